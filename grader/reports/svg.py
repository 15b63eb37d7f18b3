"""Our own inline SVG charts (built from numbers and catalogue text, escaped; no script)."""
from __future__ import annotations

from markupsafe import Markup, escape


def histogram_bins(percents: list[float], bins: int = 10) -> list[int]:
    """Counts of scores (in percent) in ``bins`` equal bins over [0, 100]; 100 falls in the last."""
    counts = [0] * bins
    for p in percents:
        k = int(min(max(p, 0.0), 100.0) * bins // 100)
        counts[min(k, bins - 1)] += 1
    return counts


def histogram_svg(counts: list[int], *, title: str, x_label: str, y_label: str) -> Markup:
    """A bar chart of ``counts`` over [0, 100] %, labelled with each bar's count."""
    w, h = 640, 280
    left, right, top, bottom = 44, 12, 24, 48
    pw, ph = w - left - right, h - top - bottom
    n = len(counts)
    peak = max(counts) if counts and max(counts) > 0 else 1
    bw = pw / n
    parts = [
        f'<svg class="hist" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#5b6673"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#5b6673"/>',
    ]
    for frac in (0.5, 1.0):
        y = top + ph - ph * frac
        value = peak * frac
        label = f"{value:g}" if value == int(value) else f"{value:.1f}"
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#d9dee4" '
                     f'stroke-dasharray="4 4"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
                     f'fill="#5b6673">{label}</text>')
    for k, c in enumerate(counts):
        bh = ph * c / peak
        x = left + k * bw
        parts.append(f'<rect class="bin" x="{x + 3:.1f}" y="{top + ph - bh:.1f}" width="{bw - 6:.1f}" '
                     f'height="{bh:.1f}" fill="#4a8bd6"><title>{k * 100 // n}–{(k + 1) * 100 // n}%: {c}</title></rect>')
        if c:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{top + ph - bh - 5:.1f}" font-size="12" '
                         f'text-anchor="middle" fill="#1d232a">{c}</text>')
    for k in range(n + 1):
        x = left + k * bw
        parts.append(f'<text x="{x:.1f}" y="{top + ph + 16}" font-size="12" text-anchor="middle" '
                     f'fill="#5b6673">{k * 100 // n}</text>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{h - 8}" font-size="13" text-anchor="middle" '
                 f'fill="#1d232a">{escape(x_label)}</text>')
    parts.append(f'<text x="12" y="{top + ph / 2:.1f}" font-size="13" text-anchor="middle" fill="#1d232a" '
                 f'transform="rotate(-90 12 {top + ph / 2:.1f})">{escape(y_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
