/**
 * The cross-checks of one model, shared by the tests (agreement, SPIN) and
 * the soak script: compile every variant, run the compiled engine and the
 * reference interpreter and compare what they report, export to Promela
 * (through lower/, and from the checked AST when test/oracle/promela/
 * exists) and compare SPIN's states and verdicts with Weft's. Each check
 * returns a description of the disagreement or null, so that a caller can
 * collect them (the soak script) or assert on them (the tests).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../../src/check/check.ts';
import { compileModel, parseModel, variantNames, type Reader } from '../../src/pipeline.ts';
import { noFiles } from '../../src/syntax/imports.ts';
import type { Program } from '../../src/lower/ir.ts';
import type { Model } from '../../src/syntax/ast.ts';
import type { SourceFile } from '../../src/text/source.ts';
import { computeLayout } from '../../src/emit/layout.ts';
import { emitTs } from '../../src/emit/emitTs.ts';
import { compileTs } from '../../src/emit/compileTs.ts';
import { importJs } from '../../src/emit/cache.ts';
import { runtime } from '../../src/explore/runtime.ts';
import { exploreCompiled, type SearchOptions } from '../../src/explore/compiled.ts';
import { explore } from '../../src/explore/reference.ts';
import type { CheckResult } from '../../src/explore/verdict.ts';
import { promelaRefusals } from '../../src/export/promelaRange.ts';
import { buildPromela, type PromelaModel } from '../../src/export/promela.ts';
import { checkQuickly, livenessQuickly, type LivenessResult, type SpinResult } from './spin.ts';

/** One configuration of a model, with what the AST exporter needs besides the program. */
export interface Case {
  readonly file: SourceFile;
  readonly model: Model;
  readonly config: Config;
  readonly program: Program;
}

/**
 * Every configuration of a model text that checks; a front end that throws
 * is left to the caller (it is a bug). `read` gives the files it imports
 * (diskFiles() for a model on disk, as `weft check` reads them): without
 * it a model that imports does not parse, and has no case.
 */
export function casesOf(path: string, text: string, read: Reader = noFiles): Case[] {
  const parsed = parseModel({ path, text }, read);
  const model = parsed.model;
  if (!model) return [];
  const file = parsed.sources;
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  return variantNames(model).flatMap((v) => {
    const config: Config = { variant: hasVariants ? v : null, defines: {} };
    const r = compileModel(file, model, config);
    return r.ok ? [{ file, model, config, program: r.program }] : [];
  });
}

export type Explorer = (limits: { maxStates?: number }, opts?: SearchOptions) => Promise<CheckResult>;

/**
 * The compiled engine for each program, the generated modules compiled in
 * one TypeScript program (loading the standard library is most of a
 * compile). A module that does not compile (a bug in the emitter) gives an
 * explorer that rejects with the compiler's error; the batch is halved
 * until the others are found, so one bad model costs a few compiles.
 */
export async function compiledExplorers(programs: readonly Program[]): Promise<Explorer[]> {
  const layouts = programs.map(computeLayout);
  const texts = programs.map((p, i) => ({ name: `m${i}`, ...emitTs(p, layouts[i]!) }));
  const js = new Map<number, string | Error>();
  const compile = (from: number, to: number): void => {
    if (from >= to) return;
    try {
      const out = compileTs(texts.slice(from, to));
      for (let i = from; i < to; i++) js.set(i, out.get(`m${i}`)!);
    } catch (e) {
      if (to - from === 1) { js.set(from, e instanceof Error ? e : new Error(String(e))); return; }
      const mid = (from + to) >> 1;
      compile(from, mid);
      compile(mid, to);
    }
  };
  compile(0, programs.length);
  return Promise.all(programs.map(async (p, i) => {
    const code = js.get(i)!;
    if (code instanceof Error) return () => Promise.reject(code);
    const create = await importJs(code);
    return (limits: { maxStates?: number }, opts?: SearchOptions) => exploreCompiled(p, layouts[i]!, create(runtime), limits, opts);
  }));
}

/** What both engines must report alike. Coverage only for complete searches: where a cut-off search stops inside a state's expansion is the engine's own business. */
export function summary(r: CheckResult): unknown {
  return { complete: r.complete, reason: r.reason, states: r.stats.states, transitions: r.stats.transitions, depth: r.stats.depth, verdicts: r.verdicts, coverage: r.complete ? r.coverage : null };
}

/** The first difference between two summaries, as `path: a ≠ b`, or null. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${path || 'value'}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    if (d !== null) return d;
  }
  return null;
}

/** An exporter from a case to Promela: a model, or why it refuses (e.g. arithmetic SPIN's 32-bit int cannot do). */
export type Exporter = (c: Case) => { ok: true; promela: PromelaModel } | { ok: false; reason: string };

/**
 * The export through lower/. It signals a refusal by throwing; an error
 * that calls itself internal is a bug and is thrown on.
 */
export const loweredExporter: Exporter = (c) => {
  // Where SPIN's 32-bit int would differ from Weft's arithmetic the export refuses (W3020).
  const refused = promelaRefusals(c.program);
  if (refused.length) return { ok: false, reason: `W3020: ${refused[0]!.message}` };
  try {
    return { ok: true, promela: buildPromela(c.program) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/internal error/i.test(message)) throw e;
    return { ok: false, reason: message };
  }
};

const AST_EXPORTER = new URL('../oracle/promela/index.ts', import.meta.url);

/** The exporters to cross-check: through lower/, and from the checked AST when test/oracle/promela/index.ts exists. */
export async function exporters(): Promise<{ exporters: Map<string, Exporter>; notice: string | null }> {
  const out = new Map<string, Exporter>([['lowered', loweredExporter]]);
  if (!existsSync(AST_EXPORTER)) return { exporters: out, notice: 'test/oracle/promela/index.ts is absent: SPIN checks only the export through lower/' };
  type FromAst = (file: SourceFile, model: Model, config: Config) => ReturnType<Exporter>;
  const mod = (await import(pathToFileURL(AST_EXPORTER.pathname).href)) as { promelaFromAst?: FromAst };
  if (typeof mod.promelaFromAst !== 'function') throw new Error('test/oracle/promela/index.ts exports no promelaFromAst()');
  const fromAst = mod.promelaFromAst;
  out.set('ast', (c) => fromAst(c.file, c.model, c.config));
  return { exporters: out, notice: null };
}

/** At most `n` of these run at once (gcc and pan are the cost; the machine has few cores). */
export function limiter(n: number): <T>(f: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(f: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await f();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export type SpinOutcome =
  /** `omitted`: the liveness properties the export leaves out (fairness pan cannot give), whose verdicts are not compared. */
  | { readonly kind: 'agrees'; readonly omitted: readonly string[] }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'disagrees'; readonly detail: string };

/**
 * SPIN on one export of a case against Weft's complete result: the same
 * stored states in every pan run, the same properties violated (reachable
 * targets: reached), and no message that names no property; then each
 * liveness property the export writes (spinLivenessAgrees). pan is built
 * by tcc, and again by gcc -O0 when they disagree (spin.ts checkQuickly).
 */
export async function spinAgrees(c: Case, weft: CheckResult, exporter: Exporter): Promise<SpinOutcome> {
  const exported = exporter(c);
  if (!exported.ok) return { kind: 'refused', reason: exported.reason };
  const safety = await spinSafetyAgrees(exported.promela, weft);
  if (safety.kind !== 'agrees') return safety;
  const live = await spinLivenessAgrees(exported.promela, weft);
  return live.kind === 'agrees' ? { kind: 'agrees', omitted: live.omitted } : live;
}

/** The liveness properties of a result (they are decided by pan -a runs, not the safety runs). */
function livenessNames(weft: CheckResult): Set<string> {
  return new Set(weft.verdicts.filter((v) => v.kind === 'liveness').map((v) => v.property));
}

async function spinSafetyAgrees(promela: PromelaModel, weft: CheckResult): Promise<{ readonly kind: 'agrees' } | Extract<SpinOutcome, { kind: 'disagrees' }>> {
  const live = livenessNames(weft);
  const expected = weft.verdicts.filter((v) => !live.has(v.property) && (v.status === 'violated' || v.status === 'reached')).map((v) => v.property).sort();
  const dir = await mkdtemp(join(tmpdir(), 'weft-spin-'));
  try {
    const hashBits = Math.max(10, Math.ceil(Math.log2(weft.stats.states + 1)) + 1);
    const problemsOf = (spin: SpinResult): string[] => {
      const problems: string[] = [];
      if (spin.unexplained.length) problems.push(`pan printed messages that name no property: ${spin.unexplained.join('; ')}`);
      for (const r of spin.runs) if (r.states !== weft.stats.states) problems.push(`pan (${r.build}) stored ${r.states} states, Weft ${weft.stats.states}`);
      if (spin.found.join() !== expected.join()) problems.push(`SPIN found [${spin.found.join(', ')}], Weft [${expected.join(', ')}]`);
      return problems;
    };
    const problems = problemsOf(await checkQuickly(promela, { dir, hashBits }, (r) => problemsOf(r).length === 0));
    return problems.length ? { kind: 'disagrees', detail: problems.join('\n') } : { kind: 'agrees' };
  } catch (e) {
    return { kind: 'disagrees', detail: `SPIN failed: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type LivenessOutcome =
  /**
   * `compared`: the properties whose verdicts are equal; `faulted`: those where a step fails in pan's run (LtlRun.faults), compared one way only;
   * `omitted`: those the export leaves out (PromelaModel.omittedLiveness), not compared.
   */
  | { readonly kind: 'agrees'; readonly compared: readonly string[]; readonly faulted: readonly string[]; readonly omitted: readonly string[] }
  | { readonly kind: 'disagrees'; readonly detail: string };

/**
 * pan's verdict on each liveness property of an export against Weft's
 * complete result: an acceptance cycle exactly where Weft finds the
 * property violated. Where pan's run also reports a failing step, the
 * property is counted apart (`faulted`) and only one way is required: a
 * failing step is a self-loop of its process in pan and no transition in
 * Weft, so pan has every violating fair run Weft has, and may have more
 * (docs/promela.md, "Liveness"). A property the export leaves out, where
 * pan cannot give the model's fairness, is skipped and returned as
 * `omitted`; it must be one of Weft's liveness properties, and every other
 * one must have its formula. What this can miss: an export that omits
 * more than it must (the tests of test/promela-liveness.test.ts pin which
 * models are omitted).
 */
export async function spinLivenessAgrees(promela: PromelaModel, weft: CheckResult): Promise<LivenessOutcome> {
  const claims = promela.liveness?.claims;
  const all = livenessNames(weft);
  const omitted = (promela.omittedLiveness ?? []).map((o) => o.property);
  const stray = omitted.filter((p) => !all.has(p));
  if (stray.length) return { kind: 'disagrees', detail: `the export leaves out ${stray.join(', ')}, which Weft has no liveness verdict for` };
  const live = new Set([...all].filter((p) => !omitted.includes(p)));
  if (!claims || claims.size === 0) {
    return live.size === 0 ? { kind: 'agrees', compared: [], faulted: [], omitted } : { kind: 'disagrees', detail: `the export has no ltl formula for ${[...live].join(', ')}` };
  }
  const status = new Map(weft.verdicts.map((v) => [v.property, v.status]));
  const dir = await mkdtemp(join(tmpdir(), 'weft-spin-ltl-'));
  try {
    const hashBits = Math.max(10, Math.ceil(Math.log2(weft.stats.states + 1)) + 3);
    const problemsOf = (r: LivenessResult): string[] => {
      const problems: string[] = [];
      if (r.unexplained.length) problems.push(`pan printed messages that name no property: ${r.unexplained.join('; ')}`);
      if (r.runs.map((x) => x.property).sort().join() !== [...live].sort().join()) problems.push(`pan checked [${r.runs.map((x) => x.property).join(', ')}], Weft has [${[...live].join(', ')}]`);
      for (const x of r.runs) {
        const weftSays = status.get(x.property);
        // With a failing step pan has more moves, never fewer: a run Weft finds violating is there too (docs/promela.md).
        const wrong = x.faults.length === 0 ? x.verdict !== weftSays : weftSays === 'violated' && x.verdict === 'holds';
        if (wrong) problems.push(`liveness ${x.property}: pan ${x.verdict} (${x.verdict === 'violated' ? 'an acceptance cycle' : 'no acceptance cycle'}${x.faults.length ? `, with failing steps: ${x.faults.join(', ')}` : ''}), Weft ${weftSays}`);
      }
      return problems;
    };
    const r = await livenessQuickly(promela, { dir, hashBits }, (x) => problemsOf(x).length === 0);
    const problems = problemsOf(r);
    if (problems.length) return { kind: 'disagrees', detail: problems.join('\n') };
    return { kind: 'agrees', compared: r.runs.filter((x) => x.faults.length === 0).map((x) => x.property), faulted: r.runs.filter((x) => x.faults.length > 0).map((x) => x.property), omitted };
  } catch (e) {
    return { kind: 'disagrees', detail: `SPIN failed on the ltl formulas: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Both engines on one program: the first difference (null when none), and the compiled engine's result. */
export async function enginesDiffer(program: Program, compiled: Explorer, maxStates?: number): Promise<{ diff: string | null; result: CheckResult }> {
  const c = await compiled({ maxStates });
  const r = await explore(program, { maxStates });
  return { diff: firstDifference(summary(c), summary(r)), result: c };
}
