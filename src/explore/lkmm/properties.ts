/**
 * A Weft model's properties under the LKMM: each a condition on an
 * execution's end, in herd's terms (fromModel.ts made the threads). The
 * LKMM has no global states between the start and the end, so:
 *
 *   - an invariant is asked of the final state (memory as coherence
 *     leaves it, each actor's locals as its thread left them, every actor
 *     at its end): violated when some allowed execution ends where it is
 *     false;
 *   - a reachable target is reached when some allowed execution ends
 *     where it is true;
 *   - an assert or a warning fails when, in some allowed execution, it
 *     fails where it stands (the register fromModel.ts sets there);
 *   - liveness, deadlock, ranges and locking are not decided here.
 *
 * herd's condition language has only `term = value`, so a comparison is
 * turned into the values of its terms that make it true, found by
 * Weft's own evaluator (explore/evaluate.ts) on each combination of
 * values the terms' types allow: the language's rule, not a second one.
 */
import type { Expr, Program, Property } from '../../lower/ir.ts';
import type { Type, Value as WeftValue } from '../../check/types.ts';
import { evaluateProperty } from '../evaluate.ts';
import { initialState, type State } from '../state.ts';
import { leaves, scalar, type Threads } from './fromModel.ts';
import type { CondTerm, MemCond } from './program.ts';

export type Decided =
  | { readonly property: Property; readonly decided: true; readonly condition: MemCond }
  | { readonly property: Property; readonly decided: false; readonly why: string };

/** Combinations of term values a comparison may be tried on. */
export const MAX_COMBINATIONS = 1 << 16;

export class TooManyValues extends Error {
  constructor(readonly property: Property) { super('too many values'); }
}

export function propertyConditions(program: Program, threads: Threads): Decided[] {
  return program.properties.map((p): Decided => {
    switch (p.kind) {
      case 'invariant': return { property: p, decided: true, condition: not(finalCondition(program, threads, p.expr, p)) };
      case 'reachable': return { property: p, decided: true, condition: finalCondition(program, threads, p.expr, p) };
      case 'assert': case 'warning': {
        const sites = threads.fails.flatMap((m, thread): MemCond[] => {
          const reg = m.get(p.name);
          return reg ? [{ kind: 'eq', left: { kind: 'reg', thread, reg }, right: 1 }] : [];
        });
        return { property: p, decided: true, condition: sites.length ? sites.reduce((a, b) => ({ kind: 'or', left: a, right: b })) : FALSE };
      }
      case 'liveness': return { property: p, decided: false, why: 'liveness is about infinite runs; an execution of the LKMM is finite' };
      case 'deadlock': return { property: p, decided: false, why: 'an execution in which an await or a lock never passes is left out, not reported' };
      case 'ranges': return { property: p, decided: false, why: 'stores out of range are checked under interleavings only' };
      case 'locking': return { property: p, decided: false, why: 'lock misuse is checked under interleavings only' };
    }
  });
}

const TRUE: MemCond = { kind: 'true' };
const FALSE: MemCond = { kind: 'not', operand: TRUE };

function not(c: MemCond): MemCond {
  if (c.kind === 'not') return c.operand;
  return { kind: 'not', operand: c };
}

function and(a: MemCond, b: MemCond): MemCond {
  if (a.kind === 'true') return b;
  if (b.kind === 'true') return a;
  if (a === FALSE || b === FALSE) return FALSE;
  return { kind: 'and', left: a, right: b };
}

function or(a: MemCond, b: MemCond): MemCond {
  if (a.kind === 'true' || b.kind === 'true') return TRUE;
  if (a === FALSE) return b;
  if (b === FALSE) return a;
  return { kind: 'or', left: a, right: b };
}

/** One scalar of the final state: where it lives in a State, its type, and its name as a condition term. */
interface Term {
  readonly set: (s: Mutable, v: WeftValue) => void;
  readonly type: Type;
  readonly term: CondTerm;
}

interface Mutable { globals: WeftValue[]; locals: WeftValue[][] }

function finalCondition(program: Program, threads: Threads, e: Expr, p: Property): MemCond {
  if (e.kind === 'unary' && e.op === '!') return not(finalCondition(program, threads, e.operand, p));
  if (e.kind === 'binary' && (e.op === '&&' || e.op === '||' || e.op === '->')) {
    const l = finalCondition(program, threads, e.left, p);
    const r = finalCondition(program, threads, e.right, p);
    return e.op === '&&' ? and(l, r) : e.op === '||' ? or(l, r) : or(not(l), r);
  }
  return leaf(program, threads, e, p);
}

/** A comparison (or any expression that is not && || ! ->): the values of its terms that make it true. */
function leaf(program: Program, threads: Threads, e: Expr, p: Property): MemCond {
  const terms = termsOf(program, threads, e);
  let combinations = 1;
  for (const t of terms) combinations *= domain(t.type).length;
  if (combinations > MAX_COMBINATIONS) throw new TooManyValues(p);
  const base = finalState(program, threads);
  let out: MemCond = FALSE;
  const values: WeftValue[] = [];
  const walk = (i: number): void => {
    if (i === terms.length) {
      const s: Mutable = { globals: structuredClone(base.globals) as WeftValue[], locals: structuredClone(base.locals) as WeftValue[][] };
      terms.forEach((t, k) => t.set(s, values[k]!));
      const state: State = { globals: s.globals, pcs: base.pcs, locals: s.locals };
      if (evaluateProperty(program, state, e) !== true) return;
      const eqs = terms.map((t, k): MemCond => ({ kind: 'eq', left: t.term, right: scalar(values[k]!) }));
      out = or(out, eqs.reduce(and, TRUE));
      return;
    }
    for (const v of domain(terms[i]!.type)) { values[i] = v; walk(i + 1); }
  };
  walk(0);
  return out;
}

/** Every actor at its end (or where its slice stops), the variables at their initial values (a leaf sets the ones it reads). */
function finalState(program: Program, threads: Threads): State {
  return { ...initialState(program), pcs: [...threads.finalPcs] };
}

function domain(t: Type): WeftValue[] {
  switch (t.kind) {
    case 'bool': return [false, true];
    case 'int': return Array.from({ length: t.hi - t.lo + 1 }, (_, i) => t.lo + i);
    case 'enum': return t.members.map((_, i) => i);
    default: throw new Error(`internal error: no values for a ${t.kind}`);
  }
}

/** The scalars an expression of a property reads: whole variables, every element (an index may be a quantifier's). */
function termsOf(program: Program, threads: Threads, e: Expr): Term[] {
  const out = new Map<string, Term>();
  const visit = (x: Expr): void => {
    switch (x.kind) {
      case 'global': {
        const g = program.globals[x.index]!;
        for (const l of leaves(g.type, g.init, [])) {
          const name = threads.slotName(g.name, l.path, g.type);
          if (l.type.kind === 'lock') continue;
          out.set(`g:${name}`, { type: l.type, term: { kind: 'loc', name }, set: (s, v) => { s.globals[x.index] = setAt(s.globals[x.index]!, l.path, v); } });
        }
        return;
      }
      case 'localOf': {
        const insts = program.instances.map((inst, i) => ({ inst, i })).filter(({ inst }) => inst.actor === x.instance.actor);
        const index = x.instance.index;
        const fixed = index.kind === 'const' ? insts.filter(({ inst }) => inst.self === index.value) : insts;
        for (const { i } of fixed) {
          // An instance that takes no part keeps its locals' initial values: the base state has them.
          const thread = threads.instances.indexOf(i);
          if (thread < 0) continue;
          const local = program.actors[program.instances[i]!.actor]!.locals[x.index]!;
          for (const l of leaves(local.type, local.init, [])) {
            const reg = threads.slotName(local.name, l.path, local.type);
            out.set(`l:${i}:${reg}`, { type: l.type, term: { kind: 'reg', thread, reg }, set: (s, v) => { s.locals[i]![x.index] = setAt(s.locals[i]![x.index]!, l.path, v); } });
          }
        }
        if (x.instance.index.kind !== 'const') visit(x.instance.index);
        return;
      }
      case 'field': return visit(x.object);
      case 'index': visit(x.object); return visit(x.index);
      case 'unary': return visit(x.operand);
      case 'binary': visit(x.left); return visit(x.right);
      case 'cond': visit(x.cond); visit(x.then); return visit(x.else);
      case 'quant': return visit(x.body);
      case 'struct': return x.fields.forEach(visit);
      case 'array': return x.elements.forEach(visit);
      case 'at': if (x.instance.index.kind !== 'const') visit(x.instance.index); return;
      case 'const': case 'local': case 'self': case 'bound': case 'canAcquire': case 'lockFree': return;
    }
  };
  visit(e);
  return [...out.values()];
}

function setAt(v: WeftValue, path: readonly number[], leaf: WeftValue): WeftValue {
  if (path.length === 0) return leaf;
  const copy = [...(v as readonly WeftValue[])];
  copy[path[0]!] = setAt(copy[path[0]!]!, path.slice(1), leaf);
  return copy;
}
