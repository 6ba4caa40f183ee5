/**
 * The HTML view of an LKMM check (`weft check --memory-model lkmm --html
 * FILE`): one self-contained page. For each property, its verdict and
 * herd's counts, then the execution drawn as herd7 draws one: a column per
 * thread, its events top to bottom in program order, an arrow from each
 * write to the reads that read it (rf) and along each location's
 * coherence order (co), and the cycle of the explanation drawn over them
 * in red with each edge's relation; beside it the same cycle in words,
 * each event at its source line, and the barrier that forbids the
 * outcome. The source is shown below with those lines marked. Every piece
 * of model text goes through `esc`.
 */
import type { ExecutionView } from '../explore/lkmm/explain.ts';
import type { MemProgram } from '../explore/lkmm/program.ts';
import { fixText, letters, type LkmmReport } from '../report/lkmm.ts';
import { lineCol, type SourceFile } from '../text/source.ts';
import { esc } from './markup.ts';
import { highlightLines } from './source.ts';

export interface LkmmPageSection {
  /** The variant (null for a litmus test). */
  readonly variant: string | null;
  readonly header: string;
  readonly properties: readonly { readonly name: string; readonly status: string; readonly report: LkmmReport; readonly test: MemProgram }[];
}

export function renderLkmmHtml(title: string, source: SourceFile, sections: readonly LkmmPageSection[]): string {
  const marked = new Set<number>();
  const body = sections.map((s) => [
    s.variant ? `<h2>${esc(s.variant)}</h2>` : '',
    `<p class="hdr">${esc(s.header)}</p>`,
    ...s.properties.map((p) => property(p.name, p.status, p.report, p.test, source, marked)),
  ].join('\n'));
  const lines = highlightLines(source.text).map((l, i) => `<div class="ln${marked.has(i + 1) ? ' mark' : ''}" id="L${i + 1}"><span class="no">${i + 1}</span>${l}</div>`);
  return [
    '<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="generator" content="weft">',
    `<title>${esc(title)} · weft</title>`, `<style>${CSS}</style>`, '</head>', '<body>',
    `<h1>${esc(title)} <small>under the Linux-kernel memory model</small></h1>`,
    ...body,
    '<h2>Source</h2>', `<pre class="src">${lines.join('')}</pre>`,
    '</body>', '</html>', '',
  ].join('\n');
}

function property(name: string, status: string, r: LkmmReport, test: MemProgram, source: SourceFile, marked: Set<number>): string {
  const v = r.verdict;
  const out = [
    `<section class="prop ${status === 'violated' || status === 'reached' ? 'bad' : 'ok'}" id="p-${esc(name.replace(/[^A-Za-z0-9_-]/g, '_'))}">`,
    `<h3>${esc(status)} <code>${esc(name)}</code></h3>`,
    `<p><code>${esc(r.condition)}</code>: <b>${esc(v.observation)}</b>, ${v.positive} of ${v.positive + v.negative} executions the LKMM allows have this outcome${v.flags.length ? `; flags: ${esc(v.flags.join(', '))}` : ''}</p>`,
  ];
  const x = r.execution;
  if (x) {
    const names = letters(x);
    const at = (id: number): string => {
      const e = x.events[id]!;
      const line = e.span ? lineCol(source, e.span.start).line : null;
      if (line) marked.add(line);
      return `<b>${esc(names.get(id) ?? '?')}</b>: ${esc(e.label)}${line ? ` (<a href="#L${line}">line ${line}</a>)` : ''}`;
    };
    out.push(`<p>${v.positive > 0 ? 'An execution with this outcome:' : 'An execution with this outcome, which the LKMM forbids:'}</p>`, graph(x, test, names, r));
    if (r.cycle) {
      out.push(`<p>${r.cycle.check === 'sc' ? 'The cycle no interleaving has:' : `Forbidden: every such execution breaks <b>${esc(r.cycle.check)}</b>; this one has the cycle:`}</p>`, '<ol class="cycle">');
      for (const e of r.cycle.edges) {
        const via = e.via?.length ? `<ul>${e.via.map((s) => `<li>${at(s.from)} <span class="rel">${esc(s.relation)}</span> ${at(s.to)}: ${esc(s.why)}</li>`).join('')}</ul>` : '';
        out.push(`<li>${at(e.from)} <span class="rel">${esc(e.relation)}</span> ${at(e.to)}: ${esc(e.why)}${via}</li>`);
      }
      out.push('</ol>');
    }
  }
  if (r.fix === null) out.push('<p class="fix">No fence or annotation on the cycle\'s program-order edges forbids this outcome.</p>');
  else if (r.fix) out.push(`<p class="fix">${esc(fixText(r.fix, test))} forbids this outcome (checked).</p>`);
  out.push('</section>');
  return out.join('\n');
}

const COL = 230, ROW = 56, TOP = 30, LEFT = 20, BOX_W = 190, BOX_H = 30;

/** The execution as an SVG: events by thread, rf and co arrows, the cycle in red. */
function graph(x: ExecutionView, test: MemProgram, names: ReadonlyMap<number, string>, r: LkmmReport): string {
  const pos = new Map<number, { x: number; y: number }>();
  const rows: number[] = [];
  test.threads.forEach((_, t) => {
    let row = 0;
    for (const e of x.events) if (e.thread === t) pos.set(e.id, { x: LEFT + t * COL, y: TOP + ROW * row++ });
    rows.push(row);
  });
  const height = TOP + ROW * Math.max(1, ...rows) + 10;
  const width = LEFT * 2 + COL * test.threads.length;
  const parts: string[] = [];
  test.threads.forEach((t, i) => parts.push(`<text class="th" x="${LEFT + i * COL}" y="18">${esc(t.name)}</text>`));
  for (const e of x.events) {
    const p = pos.get(e.id);
    if (!p) continue;
    parts.push(`<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="4"/><text x="${p.x + 6}" y="${p.y + 19}">${esc(`${names.get(e.id) ?? '?'}: ${e.label}`)}</text>`);
  }
  const arrow = (from: number, to: number, cls: string, label: string): void => {
    const a = pos.get(from), b = pos.get(to);
    if (!a || !b) return;
    const sameColumn = a.x === b.x;
    const [x1, y1] = [a.x + (sameColumn ? BOX_W : b.x > a.x ? BOX_W : 0), a.y + BOX_H / 2];
    const [x2, y2] = [b.x + (sameColumn ? BOX_W : b.x > a.x ? 0 : BOX_W), b.y + BOX_H / 2];
    const bend = sameColumn ? ` Q ${x1 + 40} ${(y1 + y2) / 2} ` : ' L ';
    parts.push(`<path class="${cls}" d="M ${x1} ${y1}${bend}${x2} ${y2}" marker-end="url(#${cls === 'cyc' ? 'ah-red' : 'ah'})"/><text class="lbl ${cls}" x="${(x1 + x2) / 2 + (sameColumn ? 30 : 0)}" y="${(y1 + y2) / 2 - 4}">${esc(label)}</text>`);
  };
  for (const f of x.rf) arrow(f.write, f.read, 'rf', 'rf');
  for (const c of x.co) for (let i = 1; i < c.order.length; i++) arrow(c.order[i - 1]!, c.order[i]!, 'co', 'co');
  for (const e of r.cycle?.edges ?? []) arrow(e.from, e.to, 'cyc', e.relation);
  return [
    `<svg class="exec" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="the execution">`,
    '<defs><marker id="ah" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker>',
    '<marker id="ah-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/></marker></defs>',
    ...parts,
    '</svg>',
  ].join('');
}

const CSS = String.raw`
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1200px}
h1 small{font-weight:normal;color:#666;font-size:60%}
.hdr{color:#555}
.prop{border-left:4px solid #2e7d32;padding:.2em 1em;margin:1em 0}
.prop.bad{border-color:#c0392b}
.rel{font-family:monospace;background:#fde8e6;padding:0 .3em;border-radius:3px}
.fix{font-weight:bold}
svg.exec{background:#fafafa;border:1px solid #ddd;max-width:100%;height:auto}
svg.exec rect{fill:#fff;stroke:#888}
svg.exec text{font:12px monospace}
svg.exec text.th{font-weight:bold}
svg.exec path{fill:none;stroke-width:1.5}
svg.exec path.rf{stroke:#2e7d32}
svg.exec path.co{stroke:#1f5fa8;stroke-dasharray:4 3}
svg.exec path.cyc{stroke:#c0392b;stroke-width:2.5}
svg.exec text.lbl{font-size:11px}
svg.exec text.cyc{fill:#c0392b;font-weight:bold}
pre.src{background:#f6f6f6;padding:.5em;overflow:auto}
pre.src .ln{white-space:pre}
pre.src .ln.mark{background:#fff3c4}
pre.src .no{display:inline-block;width:3em;color:#999;user-select:none}
.cm{color:#6a737d}.st{color:#032f62}.kw{color:#d73a49}.ty{color:#6f42c1}.lit{color:#005cc5}
`;
