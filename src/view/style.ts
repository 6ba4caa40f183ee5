/**
 * The page's stylesheet, inlined into every page (no external assets).
 * Lanes are table columns; each lane cell draws its instance's thread as
 * a thin vertical line in the lane colour (`c0`..`c7`), and a step is a
 * card on that line.
 */
export const PAGE_CSS = String.raw`
:root {
  --bg: #f6f6f3; --fg: #1c2128; --muted: #687079; --rule: #e2e2dc; --panel: #fff;
  --bad: #c2261d; --bad-bg: #fdeceb; --good: #1f7a3a; --good-bg: #e7f5ec; --warn: #a15c00;
  --exp: #35557d; --exp-bg: #e8eef6; --chg: #fff1c2; --hl: #ffe98a; --sel: #eaf1fd; --loop: #5a3fc0; --loop-bg: #f6f4fd;
  --mono: ui-monospace, "SF Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 var(--sans); }
code, kbd { font-family: var(--mono); font-size: 0.92em; }
/* Kernel names (folio_clear_dirty_for_io) are never cut: a line breaks at a space or between a call path's
   names, at its › separators, and never inside a word. */
body, code { overflow-wrap: normal; word-break: normal; hyphens: none; }
.name, code.name, .callpath span, .card .label code, table.lanes th.lane, .changes .path, dl.vars dt { white-space: nowrap; }
a { color: #1d5fc4; text-decoration: none; }
a:hover { text-decoration: underline; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) clamp(18rem, 22vw, 40rem); min-height: 100vh; }
.main { padding: 1.4rem 1.5rem 3rem; min-width: 0; }
@media (max-width: 1100px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  .source { position: static !important; height: auto !important; max-height: 80vh; border-left: 0 !important; border-top: 1px solid var(--rule); }
}

/* header */
.head { margin-bottom: 1.4rem; }
.brand { margin: 0; font-size: 12px; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); }
h1 { margin: 0.2rem 0 0.1rem; font-size: 1.7rem; font-weight: 650; }
h1 .variant { font-size: 1.05rem; font-weight: 400; color: var(--muted); margin-left: 0.4rem; }
h1 .variant strong { color: var(--fg); font-weight: 600; }
.file { margin: 0 0 0.8rem; color: var(--muted); font-family: var(--mono); font-size: 12.5px; }
.file code { white-space: nowrap; background: #ecece6; border-radius: 4px; padding: 0.05rem 0.35rem; margin-left: 0.2rem; }
.headline { display: inline-block; margin: 0 0 0.8rem; padding: 0.3rem 0.8rem; border-radius: 6px; font-weight: 600; }
.headline.bad { background: var(--bad-bg); color: var(--bad); }
.headline.good { background: var(--good-bg); color: var(--good); }
.headline.unknown { background: #efefea; color: var(--muted); }
.headline.expected { background: var(--exp-bg); color: var(--exp); }
ul.verdicts { list-style: none; margin: 0; padding: 0.45rem 0.7rem; display: grid; grid-template-columns: repeat(auto-fill, minmax(27rem, 1fr)); column-gap: 1.5rem; background: var(--panel); border: 1px solid var(--rule); border-radius: 8px; font-size: 13px; }
ul.verdicts li { padding: 0.12rem 0; }
ul.verdicts .kind { display: inline-block; width: 5.4rem; color: var(--muted); font-size: 12px; }
ul.verdicts .detail { color: var(--muted); font-size: 12px; margin-left: 0.2rem; }
ul.verdicts li.holds, ul.verdicts li.unreachable, ul.verdicts li.unknown { color: var(--muted); }
.stats { margin: 0.7rem 0 0; color: var(--muted); font-size: 12.5px; }
.incomplete { margin: 0.5rem 0 0; color: var(--warn); font-weight: 600; }
.badge { display: inline-block; min-width: 4.8rem; text-align: center; font: 600 10.5px/1.6 var(--sans); text-transform: uppercase; letter-spacing: 0.05em; padding: 0 0.45rem; border-radius: 999px; background: #e9e9e3; color: var(--muted); vertical-align: 1px; }
.badge.violated { background: var(--bad); color: #fff; }
.badge.reached { background: var(--good); color: #fff; }
.badge.holds { background: var(--good-bg); color: var(--good); }
.badge.unreachable { background: #fdf0d9; color: var(--warn); }
/* A verdict the model's expect lines predict: a violation in slate blue with the word "expected", not red. */
.badge.expected { background: var(--exp-bg); color: var(--exp); border: 1px solid #b9c8dc; min-width: 0; margin-left: 0.3rem; }
.badge.unexpected { background: #fff; color: var(--bad); border: 1px solid var(--bad); min-width: 0; margin-left: 0.3rem; }
details.trace.expected > summary .badge.violated, ul.verdicts li.violated.expected .badge.violated { background: var(--exp); }
.tag { font: 500 10px var(--sans); color: var(--muted); border: 1px solid var(--rule); border-radius: 4px; padding: 0 0.25rem; margin-left: 0.3rem; vertical-align: 1px; }

/* traces */
details.trace { margin: 1.2rem 0; }
details.trace > summary { cursor: pointer; list-style: none; margin-bottom: 0.5rem; }
details.trace > summary::-webkit-details-marker { display: none; }
details.trace > summary::before { content: "▸"; display: inline-block; width: 1rem; text-align: center; margin-right: 0.2rem; color: var(--muted); font-size: 1rem; line-height: 1; vertical-align: 0.05rem; transition: transform 0.1s; }
details.trace[open] > summary::before { transform: rotate(90deg); }
details.trace > summary h2 { display: inline; font-size: 1.15rem; font-weight: 600; }
details.trace > summary .len { font-weight: 400; color: var(--muted); font-size: 0.95rem; }
.scroll { overflow-x: auto; background: var(--panel); border: 1px solid var(--rule); border-radius: 8px; }
/* Lanes of equal width, each at least as wide as the longest name a card in the trace shows (--lane-min, from
   view/trace.ts): the table scrolls sideways rather than cut a name. */
table.lanes { border-collapse: separate; border-spacing: 0; width: 100%; table-layout: fixed; min-width: calc(var(--lanes, 1) * var(--lane-min, 10rem) + 11.4rem); }
table.lanes th { background: #fafaf7; text-align: left; font-weight: 600; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--rule); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
table.lanes th.lane::before { content: ""; display: inline-block; width: 0.6rem; height: 0.6rem; border-radius: 50%; background: var(--lc); margin-right: 0.4rem; }
table.lanes td { vertical-align: top; padding: 0.28rem 0.45rem; border-top: 1px solid #f1f1ec; }
table.lanes th.n, table.lanes td.n { width: 2.4rem; text-align: right; color: var(--muted); font-family: var(--mono); font-size: 12px; padding-right: 0.4rem; }
table.lanes th.where, table.lanes td.where { width: 9rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-family: var(--mono); font-size: 11px; text-align: right; }
table.lanes td.lane { background: linear-gradient(var(--lc-soft), var(--lc-soft)) no-repeat calc(0.6rem + 0.5px) 0 / 2px 100%; }
td.init { color: var(--muted); font-style: italic; }
tr.step { cursor: pointer; }
tr.step:hover > td { background-color: #fbfbf6; }
tr.step.sel > td { background-color: var(--sel); }
tr.step:focus { outline: none; }
tr.step:focus-visible > td.n { box-shadow: inset 3px 0 0 #1d5fc4; }
.card { position: relative; background: #fff; border: 1px solid var(--rule); border-left: 3px solid var(--lc); border-radius: 6px; padding: 0.25rem 0.45rem 0.3rem; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.05); }
.card .label code { font-weight: 650; font-size: 12px; }
.callpath { color: var(--muted); font-size: 11.5px; line-height: 1.35; }
.callpath span { font-family: var(--mono); }
ul.changes { list-style: none; margin: 0.25rem 0 0; padding: 0.2rem 0 0; border-top: 1px dashed #ecece6; font: 11.5px/1.55 var(--mono); }
.changes .values { white-space: nowrap; }
.changes .path { color: var(--fg); }
.changes .old { color: var(--muted); }
.changes .arrow { color: var(--muted); }
.changes .new { font-weight: 650; background: var(--chg); border-radius: 3px; padding: 0 0.2rem; }
/* What a step read: its condition's outcome and the shared values it saw, above what it changed. */
.condition, ul.reads { margin: 0.25rem 0 0; padding: 0.2rem 0 0; border-top: 1px dashed #ecece6; font: 11.5px/1.55 var(--mono); color: var(--muted); }
ul.reads { list-style: none; }
.condition code, .reads .path { color: var(--fg); }
.condition .value, .reads .value { color: var(--fg); font-weight: 650; }
.condition .outcome { font-weight: 650; color: var(--fg); }
.condition + ul.reads, ul.reads + ul.changes, .condition + ul.changes { border-top: 0; margin-top: 0; }
tr.final .card, tr.failed .card { border-color: var(--bad); box-shadow: 0 0 0 1px var(--bad); }
tr.decisive .card { box-shadow: 0 0 0 2px #f2b632; }
tr.final.decisive .card, tr.failed.decisive .card { box-shadow: 0 0 0 1px var(--bad), 0 0 0 4px #f7d27a; }
td.n .mark, td.n.mark { color: #c98a00; margin-right: 0.15rem; }
tr.decided > td { background: #fff9e8; color: #6b4e00; padding: 0.45rem 0.6rem; border-top: 1px solid #f3e3b5; }
tr.decided code { color: var(--fg); font-weight: 600; }
tr.goal .card { border-color: var(--good); box-shadow: 0 0 0 1px var(--good); }
tr.verdict > td { border-top: 1px solid var(--rule); padding: 0.55rem 0.6rem; }
tr.verdict.violated > td { background: var(--bad-bg); color: var(--bad); }
tr.verdict.violated > td.n { box-shadow: inset 4px 0 0 var(--bad); font-weight: 700; font-size: 14px; }
tr.verdict.reached > td { background: var(--good-bg); color: var(--good); }
tr.verdict.reached > td.n { box-shadow: inset 4px 0 0 var(--good); font-weight: 700; font-size: 14px; }
tr.verdict .message, tr.verdict code { font-family: var(--mono); font-weight: 600; color: var(--fg); }
tr.verdict.violated.expected > td { background: var(--exp-bg); color: var(--exp); }
tr.verdict.violated.expected > td.n { box-shadow: inset 4px 0 0 var(--exp); }
details.trace.expected tr.final .card { border-color: var(--exp); box-shadow: 0 0 0 1px var(--exp); }
details.trace.expected tr.final.decisive .card { box-shadow: 0 0 0 1px var(--exp), 0 0 0 4px #f7d27a; }
.expect-note { font-weight: 600; white-space: nowrap; }
tr.verdict[data-line] { cursor: pointer; }
tr.blocked > td { background-color: #fff8f7; }
.wait { font-size: 12.5px; color: var(--bad); background: #fff; border: 1px dashed var(--bad); border-radius: 6px; padding: 0.2rem 0.5rem; }
.wait + .wait { margin-top: 0.25rem; }
.wait code { font-weight: 650; color: var(--fg); }
.pos { font-size: 12px; color: var(--muted); }
.pos code { color: var(--fg); }
.pos.done { font-style: italic; }
.hint { color: var(--muted); font-size: 12.5px; }
kbd { border: 1px solid var(--rule); border-bottom-width: 2px; border-radius: 4px; padding: 0 0.3rem; background: #fff; }

/* a liveness lasso: the cycle's rows tinted, a bracket down the step numbers from the loop start (its arrow into the cycle) to the loop back */
table.lanes tr.cycle:not(.state-row) > td, table.lanes tr.loop > td { background-color: var(--loop-bg); }
table.lanes tr.step.cycle:hover > td { background-color: #efebfb; }
table.lanes tr.step.cycle.sel > td { background-color: var(--sel); }
tr.cycle > td.n, tr.state-row.cycle > td, tr.loop > td.n { background-image: linear-gradient(var(--loop), var(--loop)); background-repeat: no-repeat; background-position: 0.5rem 0; background-size: 3px 100%; }
tr.loop > td { border-top-color: transparent; padding-top: 0.3rem; padding-bottom: 0.3rem; }
tr.loop > td.n { position: relative; }
tr.loop-start > td.n { background-image: linear-gradient(var(--loop), var(--loop)), linear-gradient(var(--loop), var(--loop)); background-position: 0.5rem 100%, 0.5rem 50%; background-size: 3px 50%, calc(100% - 0.9rem) 3px; }
tr.loop-start > td.n::after { content: ""; position: absolute; right: 0; top: 50%; margin-top: -6px; border: 6px solid transparent; border-left: 9px solid var(--loop); border-right-width: 0; }
tr.loop-back > td.n { background-image: linear-gradient(var(--loop), var(--loop)), linear-gradient(var(--loop), var(--loop)); background-position: 0.5rem 0, 0.5rem 50%; background-size: 3px calc(50% + 1.5px), calc(100% - 0.5rem) 3px; }
tr.loop-back > td.n::after { content: ""; position: absolute; left: calc(0.5rem - 4.5px); top: 0; border: 6px solid transparent; border-bottom: 9px solid var(--loop); border-top-width: 0; margin-top: -2px; }
.loop-note { display: inline-block; color: var(--loop); font-weight: 600; font-size: 12.5px; background: #fff; border: 1px solid #cfc6f2; border-radius: 999px; padding: 0.05rem 0.7rem 0.1rem 0.55rem; }
.loop-note .loop-icon { font-size: 14px; margin-right: 0.1rem; }
.loop-note a.goto { color: var(--loop); text-decoration: underline; }
table.lanes tr.cycle td.lane.starved { background-image: repeating-linear-gradient(var(--bad) 0 5px, transparent 5px 10px); background-size: 2px 100%; }
.tag.starved, .badge.starved { color: var(--bad); border-color: #f1b7b2; }
.badge.starved { background: var(--bad-bg); min-width: 0; }
tr.trigger > td { padding-top: 0.2rem; padding-bottom: 0.2rem; border-top: 1px dashed #e6b3ae; font-size: 12.5px; color: var(--bad); }
tr.trigger > td.n { color: var(--bad); font-size: 13px; }
tr.trigger code { color: var(--fg); font-weight: 600; }
tr.stops > td { background: #eeeeea; color: #3b4148; font-weight: 600; font-size: 12.5px; border-top: 1px solid #d5d5ce; border-bottom: 3px solid #5b6169; }
tr.stops > td.n { color: #3b4148; font-size: 12px; }
.why { margin-top: 0.15rem; font-size: 12.5px; color: var(--fg); }
tr.fairness > td { background: #fffafa; border-top: 1px solid #f3dcda; padding: 0.45rem 0.6rem 0.6rem; }
.fair-head { margin: 0 0 0.25rem; font-size: 12px; color: var(--muted); }
ul.fair { list-style: none; margin: 0; padding: 0; font-size: 12.5px; }
ul.fair li { padding: 0.1rem 0 0.1rem 0.55rem; border-left: 3px solid var(--lc); margin: 0.2rem 0; }
ul.fair .who { font-family: var(--mono); font-weight: 650; }
ul.fair li.starved .how { color: var(--bad); }
.starved-list { margin: 0.35rem 0 0; font-size: 12.5px; color: var(--bad); }
.starved-list strong { font-family: var(--mono); }

/* the page of every variant: the property × variant table, then a section per variant */
.matrix-scroll { overflow-x: auto; margin: 0.4rem 0 0; background: var(--panel); border: 1px solid var(--rule); border-radius: 8px; }
table.matrix { border-collapse: collapse; font-size: 12.5px; }
table.matrix th.prop { position: sticky; left: 0; z-index: 1; background: var(--panel); text-align: left; font-weight: 400; padding: 0.1rem 0.8rem 0.1rem 0.7rem; white-space: nowrap; border-right: 1px solid var(--rule); }
table.matrix tr.group th.prop { padding-top: 0.45rem; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
table.matrix th.corner { vertical-align: bottom; font-weight: 600; padding-bottom: 0.4rem; }
table.matrix th.vh { vertical-align: bottom; padding: 0.5rem 0 0.35rem; font-weight: 500; border-bottom: 1px solid var(--rule); }
table.matrix th.vh a { display: inline-block; writing-mode: vertical-rl; transform: rotate(180deg); font: 500 11.5px var(--mono); color: var(--fg); padding: 0 0.2rem; }
table.matrix td.cell { padding: 0; min-width: 2.6rem; text-align: center; font: 11.5px/1.7 var(--mono); border: 1px solid #fff; white-space: nowrap; }
table.matrix td.cell > a, table.matrix td.cell > span { display: block; padding: 0 0.3rem; color: inherit; }
table.matrix td.cell > a:hover { text-decoration: underline; }
table.matrix td.cell.holds { color: #9aa1a8; }
table.matrix td.cell.unreachable { color: var(--warn); }
table.matrix td.cell.reached { background: var(--good-bg); color: var(--good); }
table.matrix td.cell.violated { background: var(--bad); color: #fff; font-weight: 650; }
table.matrix td.cell.violated.expected { background: var(--exp-bg); color: var(--exp); }
table.matrix td.cell.unexpected { box-shadow: inset 0 0 0 2px var(--bad); }
table.matrix td.cell.unknown { color: var(--warn); font-weight: 650; }
table.matrix td.cell.count { color: var(--muted); font-size: 10.5px; padding: 0.2rem 0.25rem; }
table.matrix tr.states th.prop, table.matrix tr.states td { border-top: 1px solid var(--rule); }
table.matrix tbody tr:not(.group):hover > * { background-color: var(--sel); }
.legend { margin: 0.5rem 0 0; color: var(--muted); font-size: 12.5px; max-width: 60rem; }
section.variant-part { margin: 2rem 0 0; padding-top: 0.8rem; border-top: 2px solid var(--rule); }
.variant-title { margin: 0 0 0.1rem; font-size: 1.3rem; font-weight: 600; }
.variant-title .name { font-family: var(--mono); }
section.variant-part .stats { margin: 0 0 0.5rem; }

/* the state after a step */
tr.state-row > td { padding: 0; background: #f1f4f9; border-top: 1px solid #dfe6f1; }
.state-view { padding: 0.6rem 0.9rem 0.8rem 3.2rem; }
.state-title { margin: 0 0 0.45rem; font-size: 11.5px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.boxes { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.55rem; align-items: start; }
.box { background: #fff; border: 1px solid #dde3ec; border-radius: 6px; padding: 0.35rem 0.6rem 0.45rem; }
.box.shared { grid-column: span 2; }
.box.mine { border-color: #9db7e3; }
.box.shared dl.vars { columns: 2 15rem; column-gap: 1.2rem; }
.box.shared dl.vars .var { break-inside: avoid; }
.box h4 { margin: 0 0 0.2rem; font-size: 12.5px; font-weight: 650; }
dl.vars { margin: 0.2rem 0 0; font: 12px/1.55 var(--mono); }
dl.vars .var { display: flex; justify-content: space-between; gap: 1rem; padding: 0 0.25rem; border-radius: 3px; }
dl.vars dt { color: var(--muted); }
dl.vars dd { margin: 0; text-align: right; font-weight: 600; }
dl.vars .changed { background: var(--chg); }
dl.vars .was { font-weight: 400; color: var(--muted); }
.none { margin: 0; color: var(--muted); font-size: 12px; font-style: italic; }

/* lane colours: --lc for the card edge and header dot, --lc-soft for the thread */
.c0 { --lc: #2f6fdb; --lc-soft: #c9daf6; }
.c1 { --lc: #d9822b; --lc-soft: #f4dcc2; }
.c2 { --lc: #1e9e6a; --lc-soft: #c3e9d8; }
.c3 { --lc: #b4489b; --lc-soft: #ecd0e6; }
.c4 { --lc: #7351d6; --lc-soft: #dcd3f6; }
.c5 { --lc: #1b93ad; --lc-soft: #c3e6ee; }
.c6 { --lc: #7c8f1e; --lc-soft: #e0e6c2; }
.c7 { --lc: #5d6b7a; --lc-soft: #d6dbe0; }

/* model source */
.source { position: sticky; top: 0; height: 100vh; overflow: auto; background: #fcfcfa; border-left: 1px solid var(--rule); }
.source-title { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; position: sticky; top: 0; z-index: 1; margin: 0; padding: 0.65rem 1rem; background: #fcfcfa; border-bottom: 1px solid var(--rule); font: 600 12.5px var(--mono); }
.source-title .caption { display: block; font: 600 11px var(--sans); text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin-right: 0.4rem; }
.source-file { margin: 0; padding: 0.6rem 1rem 0.3rem; border-top: 1px solid var(--rule); font: 600 12.5px var(--mono); color: var(--muted); }
.code { width: max-content; min-width: 100%; padding: 0.4rem 0 2rem; font: 12px/1.6 var(--mono); }
.line { display: flex; scroll-margin: 40vh 0; }
.line .ln { position: sticky; left: 0; background: #fcfcfa; flex: 0 0 3.4rem; text-align: right; padding-right: 0.9rem; color: #a7abb0; user-select: none; }
.line code { white-space: pre; font-size: 1em; padding-right: 1.2rem; }
.line:target, .line.hl, .line:target .ln, .line.hl .ln { background: var(--hl); }
.line.hl .ln { color: var(--fg); font-weight: 700; }
.line.prop.bad, .line.prop.bad .ln { background: #fff3f2; }
.line.prop.bad .ln { color: var(--bad); font-weight: 700; box-shadow: inset -3px 0 0 var(--bad); }
.line.prop.bad.hl, .line.prop.bad.hl .ln { background: #ffd7d3; }
.cm { color: #707a84; font-style: italic; }
.kw { color: #8a3ab9; font-weight: 600; }
.ty { color: #0f7a6e; }
.st { color: #a34d00; }
.lit { color: #1f56c3; }
`;
