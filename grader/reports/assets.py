"""Inline CSS of the reports (a report is one file: no stylesheet, font or image is fetched)."""

CSS = """
:root { --fg:#1d232a; --muted:#5b6673; --line:#d9dee4; --bg:#fff; --soft:#f5f7f9;
  --ok:#1e7b34; --ok-bg:#e6f4ea; --warn:#8a5a00; --warn-bg:#fff4d6; --bad:#b3261e; --bad-bg:#fdecea;
  --info:#1f5fa8; --info-bg:#e8f0fb; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Hiragino Sans GB",
  "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0; line-height: 1.25; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 0; line-height: 1.3; }
h4 { font-size: .95rem; margin: .75rem 0 .25rem; }
p { margin: .4rem 0; }
a { color: var(--info); }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: .875rem; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem;
  white-space: pre-wrap; overflow-wrap: anywhere; margin: .4rem 0; }
.muted { color: var(--muted); }
.small { font-size: .875rem; }
.score { display: flex; flex-wrap: wrap; align-items: baseline; gap: .25rem 1rem; margin: .5rem 0 1rem; }
.score .big { font-size: 2.25rem; font-weight: 700; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.s-passed, .s-equivalent, .s-consistent, .s-graded { color: var(--ok); background: var(--ok-bg); border-color: #b7dfc2; }
.s-partial, .s-pending_manual, .s-not_checked { color: var(--warn); background: var(--warn-bg); border-color: #f0d58a; }
.s-failed, .s-error, .s-timeout, .s-not_equivalent, .s-unparsable, .s-inconsistent, .s-load_error,
.s-missing { color: var(--bad); background: var(--bad-bg); border-color: #f3b8b3; }
.s-unanswered { color: var(--muted); background: var(--soft); border-color: var(--line); }
.box { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; margin: .75rem 0; }
.alert { border-left: 4px solid var(--bad); background: var(--bad-bg); padding: .5rem .75rem; border-radius: 4px; }
.note { border-left: 4px solid var(--info); background: var(--info-bg); padding: .5rem .75rem; border-radius: 4px; }
.item-head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .25rem .75rem; align-items: baseline; }
.item-head .pts { font-weight: 700; white-space: nowrap; }
.case { border-top: 1px dashed var(--line); padding-top: .5rem; margin-top: .5rem; }
.diag { background: var(--warn-bg); border-radius: 6px; padding: .5rem .75rem; margin: .5rem 0; }
.diag .title { font-weight: 600; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top;
  overflow-wrap: break-word; }
td code { overflow-wrap: anywhere; }
th { background: var(--soft); font-weight: 600; overflow-wrap: normal; }
table.counterexample { width: auto; min-width: 12rem; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; overflow-wrap: normal; }
table.outputs { margin: .4rem 0; }
table.outputs th { white-space: nowrap; }
table.outputs td { font-size: .85rem; }
.cases-summary { font-weight: 600; }
.cmp { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }
.cmp > div { min-width: 0; }
.math { overflow-x: auto; padding: .25rem 0; font-size: 1.1rem; }
img.answer { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
.bar { background: var(--soft); border-radius: 3px; height: .75rem; min-width: 4rem; }
.bar > span { display: block; height: 100%; background: #4a8bd6; border-radius: 3px; }
svg.hist { width: 100%; height: auto; max-width: 40rem; display: block; }
details > summary { cursor: pointer; color: var(--muted); }
ul.compact { margin: .25rem 0; padding-left: 1.25rem; }
nav.toc ol { padding-left: 1.25rem; margin: .25rem 0; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  .cmp { grid-template-columns: 1fr; }
  .score .big { font-size: 1.9rem; }
  .col-ex { display: none; }  /* the item's card names its exercise; the points must fit */
}
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .box, .case, .diag, pre { break-inside: avoid; }
  details::details-content { content-visibility: visible; display: contents; }
  .badge { border-color: currentColor; }
}
"""
