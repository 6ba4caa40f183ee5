/**
 * The cross-checks at any size: `npm run soak -- --models N --seed S`
 * generates N random models (test/generators.ts) from seed S, runs each
 * variant on both engines, and, when SPIN is installed, each complete one
 * on SPIN through every exporter (through lower/, and from the checked AST
 * when test/oracle/promela/index.ts exists). Each disagreement is printed
 * with the smallest model that shows it (fast-check's shrinking, replaying
 * the failing run from the same seed), then a summary line with the counts.
 * Exit 1 on a disagreement, 0 otherwise.
 *
 * Options: --no-spin (engines only), --exclude big,dynamicLiteral (leave out
 * a family of constructs whose disagreement is already known), --max-states
 * (default 20,000: a bigger search is skipped and counted), --shrinks (how
 * many disagreements to shrink, default 6, each of a different kind),
 * --shrink-seconds (time for each, default 180).
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { randomModel, type Family } from '../test/generators.ts';
import { spinAvailable } from '../test/support/spin.ts';
import { casesOf, compiledExplorers, enginesDiffer, exporters as loadExporters, limiter, spinAgrees, type Case, type Exporter } from '../test/support/crosscheck.ts';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: '1000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    'no-spin': { type: 'boolean', default: false },
    exclude: { type: 'string', default: '' },
    'max-states': { type: 'string', default: '20000' },
    shrinks: { type: 'string', default: '6' },
    'shrink-seconds': { type: 'string', default: '180' },
  },
});
const count = Number(args.models);
const seed = Number(args.seed);
const maxStates = Number(args['max-states']);
const exclude = args.exclude ? (args.exclude.split(',') as Family[]) : [];
for (const [name, v] of [['--models', count], ['--seed', seed], ['--max-states', maxStates], ['--shrinks', Number(args.shrinks)], ['--shrink-seconds', Number(args['shrink-seconds'])]] as const) {
  if (!Number.isInteger(v) || v < 0) { console.error(`soak: ${name} needs a whole number`); process.exit(2); }
}
for (const f of exclude) if (f !== 'big' && f !== 'dynamicLiteral') { console.error(`soak: --exclude knows big and dynamicLiteral, not '${f}'`); process.exit(2); }

const arbitrary = randomModel({ illTyped: false, exclude });
const useSpin = !args['no-spin'] && (await spinAvailable());
const { exporters, notice } = useSpin ? await loadExporters() : { exporters: new Map<string, Exporter>(), notice: args['no-spin'] ? null : 'spin or gcc is not on PATH: engines only' };
if (notice) console.error(`soak: ${notice}`);
const slot = limiter(2);

/** What one model shows: the first disagreement (kind and detail), or null; and what it counted. */
interface Finding { readonly kind: string; readonly signature: string; readonly detail: string; readonly variant: string | null }
/** `omitted`: per exporter, the liveness verdicts not compared because the export leaves them out (fairness pan cannot give). */
interface Tally { variants: number; compared: number; tooBig: number; illTyped: number; spin: Map<string, number>; refused: Map<string, number>; omitted: Map<string, number> }

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** A signature that groups findings of one cause: the kind and the message with its numbers and quoted model text taken out. */
const signatureOf = (kind: string, detail: string): string => `${kind}: ${detail.split('\n')[0]!.replace(/\(.*\)/g, '(…)').replace(/-?\d+/g, 'N').slice(0, 100)}`;

/**
 * Checks a batch of models (their generated modules compiled in one
 * TypeScript program): for each, the first disagreement, or null.
 */
async function checkModels(models: readonly { path: string; text: string }[], tally: Tally): Promise<(Finding | null)[]> {
  const out: (Finding | null)[] = models.map(() => null);
  const cases: { c: Case; model: number }[] = [];
  models.forEach((m, i) => {
    try {
      const cs = casesOf(m.path, m.text);
      if (cs.length === 0) tally.illTyped++;
      for (const c of cs) cases.push({ c, model: i });
    } catch (e) {
      out[i] = { kind: 'front end crash', signature: signatureOf('front end crash', errorText(e)), detail: errorText(e), variant: null };
    }
  });
  const compiled = await compiledExplorers(cases.map((x) => x.c.program));
  await Promise.all(cases.map(async ({ c, model }, i) => {
    if (out[model]) return;
    tally.variants++;
    const variant = c.program.variant;
    let diff: string | null;
    let weft;
    try {
      ({ diff, result: weft } = await enginesDiffer(c.program, compiled[i]!, maxStates));
    } catch (e) {
      out[model] ??= { kind: 'engine crash', signature: signatureOf('engine crash', errorText(e)), detail: errorText(e), variant };
      return;
    }
    if (diff !== null) {
      out[model] ??= { kind: 'engines differ', signature: `engines differ: ${diff.split(':')[0]!.replace(/\[\d+\]/g, '[]')}`, detail: `compiled ≠ reference at ${diff}`, variant };
      return;
    }
    tally.compared++;
    if (exporters.size === 0) return;
    if (!weft.complete) { tally.tooBig++; return; }
    for (const [name, exporter] of exporters) {
      let outcome;
      try {
        outcome = await slot(() => spinAgrees(c, weft, exporter));
      } catch (e) {
        outcome = { kind: 'disagrees' as const, detail: `the exporter failed: ${errorText(e)}` };
      }
      if (outcome.kind === 'refused') { tally.refused.set(`${name}: ${outcome.reason}`, (tally.refused.get(`${name}: ${outcome.reason}`) ?? 0) + 1); continue; }
      if (outcome.kind === 'disagrees') {
        const kind = `SPIN [${name}]`;
        out[model] ??= { kind, signature: signatureOf(kind, outcome.detail), detail: outcome.detail, variant };
        return;
      }
      tally.spin.set(name, (tally.spin.get(name) ?? 0) + 1);
      if (outcome.omitted.length) tally.omitted.set(name, (tally.omitted.get(name) ?? 0) + outcome.omitted.length);
    }
  }));
  return out;
}

const newTally = (): Tally => ({ variants: 0, compared: 0, tooBig: 0, illTyped: 0, spin: new Map(), refused: new Map(), omitted: new Map() });

/**
 * The smallest model that shows the same kind of disagreement: fast-check
 * replays run `index` of the same seed and shrinks it, within the time
 * given (the smallest so far when time is up).
 */
async function shrink(index: number, original: string, f: Finding): Promise<{ text: string; finding: Finding; steps: number }> {
  const deadline = Date.now() + Number(args['shrink-seconds']) * 1000;
  let best = { text: original, finding: f, steps: 0 };
  let replayed = false;
  const result = await fc.check(fc.asyncProperty(arbitrary, async (text) => {
    if (!replayed) {
      replayed = true;
      if (text !== original) throw new Error('the replay does not give the model the run gave');
    }
    if (Date.now() > deadline) return true;
    const [g] = await checkModels([{ path: 'shrink.weft', text }], newTally());
    if (g === null || g.signature !== f.signature) return true;
    if (text.length < best.text.length) best = { text, finding: g, steps: best.steps + 1 };
    return false;
  }), { seed, path: String(index), endOnFailure: false });
  if (result.errorInstance instanceof Error && /replay does not give/.test(result.errorInstance.message)) console.error('soak: could not replay the run to shrink it; showing the model as generated');
  return best;
}

const texts = fc.sample(arbitrary, { numRuns: count, seed });
const tally = newTally();
const findings: { index: number; text: string; finding: Finding }[] = [];
const started = Date.now();
let lastReport = 0;
const BATCH = 40;
for (let start = 0; start < texts.length; start += BATCH) {
  const batch = texts.slice(start, start + BATCH);
  const fs = await checkModels(batch.map((text, i) => ({ path: `soak-${seed}-${start + i}.weft`, text })), tally);
  fs.forEach((f, i) => {
    if (!f) return;
    findings.push({ index: start + i, text: batch[i]!, finding: f });
    console.error(`soak: model ${start + i}: ${f.signature}`);
  });
  const done = start + batch.length;
  if (Date.now() - lastReport > 10_000 || done === texts.length) {
    lastReport = Date.now();
    console.error(`soak: ${done}/${count} models, ${findings.length} disagreements, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

const kinds = new Map<string, typeof findings>();
for (const x of findings) kinds.set(x.finding.signature, [...(kinds.get(x.finding.signature) ?? []), x]);
let shrunk = 0;
for (const [signature, xs] of kinds) {
  const first = xs[0]!;
  console.log(`\n=== ${signature} (${xs.length} model${xs.length === 1 ? '' : 's'}: ${xs.slice(0, 10).map((x) => x.index).join(', ')}${xs.length > 10 ? ', …' : ''})`);
  let shown = { text: first.text, finding: first.finding };
  if (shrunk < Number(args.shrinks)) {
    shrunk++;
    const s = await shrink(first.index, first.text, first.finding);
    console.log(`smallest model found (${s.steps} shrinking steps, ${first.text.length} → ${s.text.length} characters):`);
    shown = s;
  } else {
    console.log('model (not shrunk: --shrinks reached):');
  }
  console.log(`variant: ${shown.finding.variant ?? '(none checks)'}\n${shown.finding.detail}\n--- model\n${shown.text}\n---`);
}

const spinText = exporters.size ? [...exporters.keys()].map((n) => `${tally.spin.get(n) ?? 0} on SPIN [${n}]`).join(', ') : 'SPIN not run';
const refused = [...tally.refused].map(([r, n]) => `${n} refused by ${r}`);
const omitted = [...tally.omitted].map(([name, n]) => `${n} liveness verdicts left out of the export [${name}] (fairness pan cannot give)`);
console.log(`\nsoak: seed ${seed}: ${count} models, ${tally.variants} variants; ${tally.compared} compared on both engines, ${spinText}; skipped: ${tally.illTyped} ill-typed models, ${tally.tooBig} variants over ${maxStates} states${refused.length ? `, ${refused.join(', ')}` : ''}${omitted.length ? `, ${omitted.join(', ')}` : ''}; ${findings.length} disagreements${kinds.size ? ` of ${kinds.size} kinds` : ''}`);
process.exit(findings.length ? 1 : 0);
