/**
 * What a proof claims besides its traces, and how `weft replay` checks it.
 * A proof says: this is variant V of model M with these options; the
 * search was complete and stored S states, T transitions, depth D; each
 * property of the model has this verdict (one each, none unknown, none
 * extra); each step fired this often. Some of that can be checked against
 * the model and the proof itself (`consistencyOf`: every property has one
 * verdict of its kind, a `violated` or `reached` has its trace, a `holds`
 * or `unreachable` none, a liveness verdict its `lasso` field); the rest
 * only by searching again (`freshOf`:
 * a `holds` is the absence of a trace, which no trace can certify). Each
 * check returns the first claim that fails, or null.
 */
import type { Program, Property } from '../lower/ir.ts';
import type { CheckResult } from '../explore/verdict.ts';
import type { JsonValue } from '../report/values.ts';
import { kindColumn } from '../report/text.ts';
import { JSON_SCHEMA, toJson } from '../report/json.ts';
import { firstDifference } from './diff.ts';
import type { Proof, ProofVerdict } from './format.ts';

/** A claim that fails: what it is about, what the proof says, what is true instead. */
export interface Rejection {
  /** `invariant mutual_exclusion violated`, `states`, `options`. */
  readonly claim: string;
  readonly claimed: string;
  readonly found: string;
}

export function rejectionText(r: Rejection): string {
  return `${r.claim}: the proof claims ${r.claimed}, but ${r.found}`;
}

/** `invariant x holds`, `builtin deadlock violated`: a verdict as the reports name it. */
export function verdictHead(program: Program, v: ProofVerdict): string {
  const declared = program.properties.find((p) => p.name === v.property);
  return `${declared ? propertyHead(declared) : `${v.kind} ${v.property}`} ${v.status}`;
}

/** `invariant x`, `builtin deadlock`: a property as the reports name it. */
function propertyHead(p: Property): string {
  return `${kindColumn(p.kind)} ${p.name}`.replace(/^deadlock deadlock/, 'builtin deadlock');
}

/** `a reachable`, `an invariant`. */
const an = (word: string): string => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

const STATUSES: Readonly<Record<Property['kind'], readonly string[]>> = {
  invariant: ['holds', 'violated'],
  reachable: ['reached', 'unreachable'],
  liveness: ['holds', 'violated'],
  assert: ['holds', 'violated'],
  warning: ['holds', 'violated'],
  deadlock: ['holds', 'violated'],
  ranges: ['holds', 'violated'],
  locking: ['holds', 'violated'],
};

/** Is `status` decided by a trace (violated, reached) rather than by a whole search (holds, unreachable)? */
export const hasTrace = (status: string): boolean => status === 'violated' || status === 'reached';

/**
 * What the model and the proof alone can refute: which model and variant
 * it is of, that the search completed, that the counts can be counts of a
 * search, and that the verdicts are one per property of the model, each of
 * a status its kind has, with a trace exactly when the status needs one.
 */
export function consistencyOf(program: Program, proof: Proof, declaredVariants: readonly string[]): Rejection | null {
  const no = (claim: string, claimed: string, found: string): Rejection => ({ claim, claimed, found });
  if (proof.schema !== JSON_SCHEMA) return no('schema', `the JSON schema ${proof.schema}`, `this Weft writes schema ${JSON_SCHEMA}`);
  if (proof.model !== program.model) return no('model', `model ${proof.model}`, `${program.file.path} is model ${program.model}`);
  if (!declaredVariants.includes(proof.variant)) return no('variant', `variant ${proof.variant}`, `${program.file.path} declares only ${declaredVariants.join(', ')}`);
  // `weft prove` never overrides an option, so a proof of other options is not a proof of this variant.
  const options = firstDifference(proof.options, program.options, 'options');
  if (options) return no('options', `variant ${proof.variant}'s options`, options);

  if (!proof.complete) return no('complete', `an incomplete search${proof.reason === null ? '' : ` (${proof.reason})`}`, '`weft prove` writes only searches that ran to the end');
  if (proof.reason !== null) return no('reason', `a complete search stopped by ${proof.reason}`, 'a complete search has no reason to stop (null)');
  const { states, transitions, depth } = proof.stats;
  if (states < 1) return no('states', `${states} states`, 'a search stores at least the initial state');
  if (depth < 0 || depth > states - 1) return no('depth', `depth ${depth} with ${states} states`, `the depth is between 0 and one less than the states (${states - 1})`);
  if (transitions < states - 1) return no('transitions', `${transitions} transitions with ${states} states`, `each state but the initial one is reached by a transition (at least ${states - 1})`);
  const timing = Object.entries(proof.stats.rest).find(([, v]) => v !== null);
  if (timing) return no(`stats.${timing[0]}`, `${JSON.stringify(timing[1])}`, 'a proof records no times or memory figures (null): they differ from run to run');

  const seen = new Map<string, number>();
  for (const [i, v] of proof.verdicts.entries()) {
    const head = verdictHead(program, v);
    const property = program.properties.find((p) => p.name === v.property);
    if (!property) return no(head, `a verdict for ${v.property}`, `${program.file.path} has no property ${v.property}`);
    const other = seen.get(v.property);
    if (other !== undefined) return no(head, `a second verdict for ${v.property}`, `verdicts[${other}] is ${v.property}'s already: one verdict per property`);
    seen.set(v.property, i);
    if (property.kind !== v.kind) return no(head, `${v.property} is ${an(v.kind)}`, `the model declares it as ${an(property.kind)}`);
    if (v.status === 'unknown') return no(head, `${v.property} undecided (unknown)`, 'a complete search decides every property');
    const statuses = STATUSES[property.kind];
    if (!statuses.includes(v.status)) return no(head, `${v.property} ${v.status}`, `${an(property.kind)} is ${statuses.join(' or ')}`);
    if (hasTrace(v.status) && !v.trace) return no(head, `${v.property} ${v.status} without a trace`, `${an(v.status)} verdict is certified by its trace, and the proof stores none`);
    if (!hasTrace(v.status) && v.trace) return no(head, `${v.property} ${v.status} with a trace`, `${an(v.status)} verdict has no trace (a trace shows ${v.status === 'holds' ? 'a violation' : 'a target reached'})`);
    const lasso = lassoConsistency(property.kind, v);
    if (lasso) return no(head, lasso[0], lasso[1]);
  }
  for (const p of program.properties) {
    if (!seen.has(p.name)) return no(propertyHead(p), 'nothing about it (no verdict)', `the model declares ${propertyHead(p)}, and a proof has a verdict for every property`);
  }
  return null;
}

/**
 * A liveness verdict has a `lasso` field: the counterexample's shape when
 * violated, null when it holds; no other verdict has one. What the proof
 * claims and what is true instead, or null.
 */
function lassoConsistency(kind: Property['kind'], v: ProofVerdict): [string, string] | null {
  if (kind !== 'liveness') return v.lasso === undefined ? null : [`${an(kind)} verdict with a lasso`, 'only a liveness counterexample is a lasso'];
  if (v.lasso === undefined) return [`${v.property} ${v.status} without a lasso field`, 'a liveness verdict has one: its counterexample\'s shape, or null when it holds'];
  if (v.status === 'violated' && v.lasso === null) return [`${v.property} violated with a lasso of null`, 'a liveness counterexample is a lasso, and the proof says nowhere where its cycle starts'];
  if (v.status !== 'violated' && v.lasso !== null) return [`${v.property} ${v.status} with a lasso`, `${an(v.status)} verdict has no counterexample (lasso null)`];
  return null;
}

/** The parts of `weft check --json` (report/json.ts) that freshOf compares. */
interface FreshJson {
  readonly complete: boolean;
  readonly reason: string | null;
  readonly stats: Readonly<Record<string, JsonValue>>;
  readonly verdicts: readonly Readonly<Record<string, JsonValue>>[];
  readonly coverage: JsonValue;
}

/**
 * What only a search can certify, against a fresh one with the proof's
 * engine: completeness, the counts, each verdict (a `holds` or an
 * `unreachable` above all; for a violation or a target, its status, where
 * the verdict points and that the stored trace is a shortest one, or for
 * a lasso the search's), and how often each step fired.
 */
export function freshOf(program: Program, proof: Proof, result: CheckResult): Rejection | null {
  const no = (claim: string, claimed: string, found: string): Rejection => ({ claim, claimed, found });
  // Compared as `weft prove` wrote them: the JSON form, without timings.
  const fresh = toJson(result, { stats: false }) as unknown as FreshJson;
  if (!fresh.complete) return no('complete', 'a complete search', `a fresh search stopped (${fresh.reason})`);
  for (const count of ['states', 'transitions', 'depth'] as const) {
    if (proof.stats[count] !== fresh.stats[count]) return no(count, `${proof.stats[count]} ${count === 'depth' ? '(the deepest level)' : count}`, `a fresh search gives ${String(fresh.stats[count])}`);
  }
  for (const v of proof.verdicts) {
    const head = verdictHead(program, v);
    const f = fresh.verdicts.find((x) => x.property === v.property);
    if (!f) return no(head, `a verdict for ${v.property}`, 'a fresh search has none');
    const found = typeof f.trace === 'object' && f.trace !== null && 'length' in f.trace ? (f.trace as { length: number }).length : null;
    if (f.status !== v.status) return no(head, `${v.property} ${v.status}`, `a fresh search finds it ${String(f.status)}${found === null ? '' : ` (a trace of ${found} steps)`}`);
    const where = firstDifference(v.where, { message: f.message, file: f.file, line: f.line, column: f.column }, 'verdict', 'a fresh search');
    if (where) return no(head, 'where the verdict points and its message', where);
    if (v.lasso) {
      // A lasso is not a shortest run, but the search's: a shortest stem, then a cycle built from it deterministically.
      const lasso = firstDifference(v.lasso.report, f.lasso, 'lasso', 'a fresh search');
      if (lasso) return no(head, 'the lasso the search finds', lasso);
      if (v.trace && found !== null && v.trace.steps.length !== found) return no(head, `the search's lasso, of ${v.trace.steps.length} steps`, `a fresh search finds one of ${found} steps`);
    } else if (v.trace && found !== null && v.trace.steps.length !== found) {
      return no(head, `a shortest trace, of ${v.trace.steps.length} steps`, `a fresh search finds one of ${found} steps`);
    }
  }
  const coverage = firstDifference(proof.coverage, fresh.coverage, 'coverage', 'a fresh search');
  if (coverage) return no('coverage', 'how often each step fired', coverage);
  return null;
}

/** What `--traces-only` leaves unchecked, by name: everything freshOf would check. */
export function uncheckedByTraces(program: Program, proof: Proof): string[] {
  const searched = proof.verdicts.filter((v) => !hasTrace(v.status)).map((v) => verdictHead(program, v));
  const { states, transitions, depth } = proof.stats;
  return [
    'that the search is complete',
    `the counts (${states} states, ${transitions} transitions, depth ${depth})`,
    ...(searched.length ? [`the verdicts without a trace (${searched.join(', ')})`] : []),
    'that each trace is a shortest one',
    ...(proof.verdicts.some((v) => v.lasso) ? ['that each lasso is the one the search finds'] : []),
    'the coverage',
  ];
}
