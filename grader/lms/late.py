"""Late work: the deadline, a small strict parser for the late policy, and the penalty of one attempt.

Policies (``--late-policy``), case and spaces ignored:

- ``none``: lateness is recorded, nothing is taken off;
- ``zero``: late work scores 0;
- ``P%/day`` (or ``P%/hour``), optionally followed by ``, max N days`` (or hours): P percent of the
  score is taken off per started day (hour) late; work later than N days (hours) scores 0.

    days_late  = ceil((submitted_at - deadline) / 1 day)          (0 when on time)
    penalty    = min(1, rate * days_late)                          fraction of the score taken off
    final      = score * (1 - penalty)

A submission the LMS marks late without a time (Canvas's ``LATE``) counts as one unit late.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional

from grader.core.errors import UserError

_UNITS = {"day": timedelta(days=1), "days": timedelta(days=1), "hour": timedelta(hours=1),
          "hours": timedelta(hours=1)}
_RATE = re.compile(r"^(?P<pct>\d+(?:\.\d+)?)\s*%\s*/\s*(?P<unit>day|hour)$")
_MAX = re.compile(r"^max\s+(?P<n>\d+)\s*(?P<unit>days?|hours?)$")


class LatePolicyError(UserError):
    """A --late-policy or --deadline that cannot be read."""


@dataclass(frozen=True)
class LatePolicy:
    text: str
    kind: str  # "none" | "zero" | "rate"
    rate: float = 0.0  # fraction per unit
    unit: timedelta = timedelta(days=1)
    max_units: Optional[int] = None

    def penalty(self, units_late: int) -> float:
        """The fraction of the score taken off for work ``units_late`` units late (0 when on time)."""
        if units_late <= 0 or self.kind == "none":
            return 0.0
        if self.kind == "zero":
            return 1.0
        if self.max_units is not None and units_late > self.max_units:
            return 1.0
        return min(1.0, round(self.rate * units_late, 10))


NO_POLICY = LatePolicy("none", "none")


def parse_policy(text: str) -> LatePolicy:
    """``"10%/day, max 3 days"`` -> LatePolicy; LatePolicyError naming what was not understood."""
    raw = (text or "").strip()
    low = raw.lower()
    if low in ("none", "zero"):
        return LatePolicy(low, low)
    parts = [p.strip() for p in low.split(",")]
    m = _RATE.match(parts[0])
    if m is None:
        raise LatePolicyError(
            f"--late-policy {raw!r}: expected 'zero', 'none' or a rate such as '10%/day' or "
            f"'10%/day, max 3 days'; could not read {parts[0]!r}.")
    pct, unit = float(m["pct"]), m["unit"]
    if not 0 < pct <= 100:
        raise LatePolicyError(f"--late-policy {raw!r}: the rate must be more than 0% and at most 100%.")
    max_units = None
    for extra in parts[1:]:
        mm = _MAX.match(extra)
        if mm is None:
            raise LatePolicyError(f"--late-policy {raw!r}: after the rate only 'max N {unit}s' may follow; "
                                  f"could not read {extra!r}.")
        if _UNITS[mm["unit"]] != _UNITS[unit]:
            raise LatePolicyError(f"--late-policy {raw!r}: the rate is per {unit}, so the maximum must be "
                                  f"in {unit}s too.")
        if max_units is not None:
            raise LatePolicyError(f"--late-policy {raw!r}: give 'max' once.")
        max_units = int(mm["n"])
    return LatePolicy(raw, "rate", pct / 100.0, _UNITS[unit], max_units)


def parse_deadline(text: str) -> datetime:
    """An ISO 8601 time with an offset (``2026-12-01T23:59:00+08:00``); LatePolicyError otherwise."""
    try:
        value = datetime.fromisoformat((text or "").strip())
    except ValueError:
        raise LatePolicyError(f"--deadline {text!r} is not an ISO 8601 time; write it like "
                              "2026-12-01T23:59:00+08:00.") from None
    if re.fullmatch(r"\d{4}-?\d{2}-?\d{2}", (text or "").strip()):  # midnight would be a day early
        raise LatePolicyError(f"--deadline {text!r} is a date without a time of day; give the time and the "
                              f"offset, e.g. {value.date().isoformat()}T23:59:00+08:00 for the end of that day.")
    if value.tzinfo is None:
        raise LatePolicyError(f"--deadline {text!r} has no time zone offset; add one, e.g. "
                              f"{value.isoformat()}+08:00.")
    return value


def units_late(submitted_at: datetime, deadline: datetime, unit: timedelta) -> int:
    """Started units (days, hours) between the deadline and the submission; 0 when on time."""
    delta = submitted_at - deadline
    if delta <= timedelta(0):
        return 0
    return math.ceil(delta / unit)


def assume_zone(value: Optional[datetime], deadline: Optional[datetime]) -> Optional[datetime]:
    """A naive LMS time (Blackboard's file names, zip entry times) read in the deadline's offset
    (UTC without a deadline)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=deadline.tzinfo if deadline is not None else timezone.utc)


def late_info(submitted_at: Optional[datetime], marked_late: bool, deadline: Optional[datetime],
              policy: LatePolicy) -> dict:
    """What the gradebook keeps about one attempt's lateness (empty when nothing is known to be late).

    ``{"submitted_at", "deadline", "late": bool, "units": n, "unit": "day"|"hour", "penalty": fraction,
    "policy": text, "basis": "time"|"marker"}``
    """
    unit = policy.unit
    unit_name = "hour" if unit == timedelta(hours=1) else "day"
    if submitted_at is not None and deadline is not None:
        n = units_late(submitted_at, deadline, unit)
        basis = "time"
    elif marked_late:
        n, basis = 1, "marker"
    else:
        return {"submitted_at": submitted_at.isoformat() if submitted_at else None} if submitted_at else {}
    return {"submitted_at": submitted_at.isoformat() if submitted_at else None,
            "deadline": deadline.isoformat() if deadline else None, "late": n > 0, "units": n,
            "unit": unit_name, "penalty": policy.penalty(n), "policy": policy.text, "basis": basis}
