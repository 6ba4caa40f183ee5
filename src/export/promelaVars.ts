/**
 * How Weft's variables become Promela variables. Every variable is
 * flattened into its scalar leaves: a struct field becomes a variable of
 * its own (`folio.dirty` is `folio_dirty`), and the array dimensions on the
 * way to a leaf become one one-dimensional Promela array indexed row-major
 * (`folios[i].dirty` is `folios_dirty[i]`, `grid[i][j]` is `grid[i*4 + j]`).
 *
 * Why not typedefs: Promela can give a typedef field one initial value for
 * every variable of the type and an array one list of element values, but
 * it cannot start two elements of an array of typedefs with different
 * values. Leaves always can, so every Weft initial state is SPIN's initial
 * state, with no initialising step that would add a state to SPIN's count.
 *
 * One more limit of Promela: a list initialiser takes no negative numbers
 * (`short a[2] = { -1, 2 }` is a syntax error). A leaf that needs one is
 * stored with a bias: it holds value - lo, which is never negative, and
 * every read adds lo back (`slots_val[i] - 2`). Only such leaves are biased.
 */
import type { Expr, Program } from '../lower/ir.ts';
import type { Span } from '../text/source.ts';
import type { Type, Value } from '../check/types.ts';
import { assertNever } from '../util.ts';
import type { Scope } from './promelaNames.ts';
import { placeParts, stepType, type PlaceStep } from '../lower/places.ts';

export type ScalarType = Extract<Type, { kind: 'bool' | 'int' | 'enum' | 'lock' }>;

/** One step from a value to a part of it: a struct field, or an array element. */
export type ShapeStep =
  | { readonly kind: 'field'; readonly field: number; readonly name: string }
  | { readonly kind: 'index'; readonly size: number };

/** A scalar part of a type and the steps that lead to it. */
export interface LeafShape {
  readonly steps: readonly ShapeStep[];
  readonly type: ScalarType;
}

export interface Leaf {
  /** The Promela variable. */
  readonly name: string;
  readonly type: ScalarType;
  /** The array dimensions on the way to the leaf, outer first; empty for a scalar. */
  readonly dims: readonly number[];
  readonly shape: LeafShape;
  /** What the Promela variable holds is the Weft value minus `bias` (0 but for the leaves described above). */
  readonly bias: number;
}

/** A Weft variable (`shared` or `var`) and its leaves. */
export interface Root {
  /** `g<index>` for a shared variable, `l<index>` for a local of the running instance. */
  readonly key: string;
  readonly weftName: string;
  readonly type: Type;
  readonly init: Value;
  readonly leaves: readonly Leaf[];
  /** A local declared as a Promela global (a property reads it; rootsOf). */
  readonly global?: boolean;
  /** ... and, for an actor array, one element per instance: `type` is the local's type over `count` instances. */
  readonly perInstance?: { readonly count: number; readonly span: Span };
}

/** The leaves of a type, depth-first in declaration order. */
export function leafShapes(type: Type): LeafShape[] {
  switch (type.kind) {
    case 'bool': case 'int': case 'enum': case 'lock':
      return [{ steps: [], type }];
    case 'struct':
      return type.fields.flatMap((f, i) => leafShapes(f.type).map((l) => ({ ...l, steps: [{ kind: 'field', field: i, name: f.name } as const, ...l.steps] })));
    case 'array':
      return leafShapes(type.element).map((l) => ({ ...l, steps: [{ kind: 'index', size: type.size } as const, ...l.steps] }));
    case 'integer':
      throw new Error('internal error: a variable of the intermediate integer type');
    default:
      return assertNever(type);
  }
}

/** Identifies a leaf within its root: the fields on its way, by number. */
export function fieldKey(steps: readonly ShapeStep[]): string {
  return steps.flatMap((s) => (s.kind === 'field' ? [s.field] : [])).join('.');
}

export function dimsOf(steps: readonly ShapeStep[]): number[] {
  return steps.flatMap((s) => (s.kind === 'index' ? [s.size] : []));
}

export function makeRoot(key: string, weftName: string, type: Type, init: Value, scope: Scope): Root {
  const leaves = leafShapes(type).map((shape) => {
    const fields = shape.steps.flatMap((s) => (s.kind === 'field' ? [s.name] : []));
    const dims = dimsOf(shape.steps);
    const values = indexTuples(dims).map((t) => valueAt(init, shape.steps, t));
    const listed = dims.length > 0 && values.some((v) => v !== values[0]);
    const bias = listed && shape.type.kind === 'int' && values.some((v) => typeof v === 'number' && v < 0) ? shape.type.lo : 0;
    return { name: scope.take([weftName, ...fields].join('_')), type: shape.type, dims, shape, bias };
  });
  return { key, weftName, type, init, leaves };
}

/** The Promela text that reads a leaf element whose stored form is `raw`. */
export function readLeaf(leaf: Leaf, raw: string): string {
  return leaf.bias === 0 ? raw : `${raw} + ${leaf.bias}`.replace('+ -', '- ');
}

/** The Promela value to store in a leaf element for the Weft value `value` (already parenthesised as needed). */
export function storedValue(leaf: Leaf, value: string): string {
  if (leaf.bias === 0) return value;
  const constant = /^\(?(-?[0-9]+)\)?$/.exec(value);
  return constant ? String(Number(constant[1]) - leaf.bias) : `${value} - ${leaf.bias}`.replace('- -', '+ ');
}

/** Every tuple of constant indexes for `dims`, row-major (the last index varies fastest). */
export function indexTuples(dims: readonly number[]): number[][] {
  let tuples: number[][] = [[]];
  for (const d of dims) tuples = tuples.flatMap((t) => Array.from({ length: d }, (_, i) => [...t, i]));
  return tuples;
}

/** The part of `value` that `steps` lead to, with `indexes` for the array steps in order. */
export function valueAt(value: Value, steps: readonly ShapeStep[], indexes: readonly number[]): Value {
  let v = value;
  let k = 0;
  for (const s of steps) {
    if (!Array.isArray(v)) throw new Error('internal error: a value does not have the shape of its type');
    v = (v as readonly Value[])[s.kind === 'field' ? s.field : indexes[k++]!]!;
  }
  return v;
}

/**
 * The row-major index into a flattened leaf: `values` holds one index per
 * dimension, a rendered expression or a constant. Constants are folded so
 * that `folios[1].dirty` stays `folios_dirty[1]`.
 */
export function flatIndex(dims: readonly number[], values: readonly (string | number)[]): string {
  let constant = 0;
  const terms: string[] = [];
  for (let k = 0; k < dims.length; k++) {
    const stride = dims.slice(k + 1).reduce((a, b) => a * b, 1);
    const v = values[k]!;
    if (typeof v === 'number') constant += v * stride;
    else terms.push(stride === 1 ? v : `${/^[A-Za-z0-9_]+$/.test(v) ? v : `(${v})`}*${stride}`);
  }
  if (constant !== 0 || terms.length === 0) terms.push(String(constant));
  return terms.join(' + ');
}

/** The Promela type that holds every value of a scalar type (lock values per state/locks.ts `lockValue`). */
export function promelaType(type: ScalarType, instances: number, bias = 0): string {
  switch (type.kind) {
    case 'bool': return 'bool';
    case 'int': return intType(type.lo - bias, type.hi - bias);
    case 'enum': return intType(0, type.members.length - 1);
    // A mutex or spinlock holds 0 or holder + 1; an rwsem holds a reader mask or -(writer + 1).
    case 'lock': return type.lock === 'rwsem' ? 'int' : intType(0, instances);
    default: return assertNever(type);
  }
}

function intType(lo: number, hi: number): string {
  if (lo >= 0 && hi <= 255) return 'byte';
  if (lo >= -32768 && hi <= 32767) return 'short';
  return 'int';
}

// ---------------------------------------------------------------- places

/** A place's field and index steps, as lower/places.ts takes them apart. */
export type { PlaceStep };

/** A place (global, local, field, index) resolved against the roots: the root, the steps from it, the type there. */
export interface Access {
  readonly root: Root;
  readonly steps: readonly PlaceStep[];
  readonly type: Type;
}

/** The roots an expression can name: the shared variables, and the running actor's locals. */
export interface Roots {
  readonly globals: readonly Root[];
  readonly locals: readonly Root[];
  /** In the never claim: every actor's locals, for the ones a property reads (`a[i].x`: always kept global, see rootsOf). */
  readonly actors?: readonly (readonly Root[])[];
}

export function accessOf(place: Expr, roots: Roots): Access | null {
  const parts = placeParts(place);
  if (!parts) return null;
  const r = parts.root;
  const root = r.kind === 'global' ? roots.globals[r.index] : r.kind === 'local' ? roots.locals[r.index] : roots.actors?.[r.instance.actor]?.[r.index];
  if (!root) throw new Error(`internal error: no ${r.kind} variable ${r.index}`);
  // A local kept global for every instance: the running instance's element (`self`), or the named one's.
  const per = root.perInstance;
  const steps: readonly PlaceStep[] = per
    ? [{ kind: 'index', index: r.kind === 'localOf' ? r.instance.index : { kind: 'self' }, size: per.count, span: per.span }, ...parts.steps]
    : parts.steps;
  if (r.kind === 'localOf' && !root.global) throw new Error(`internal error: local ${root.weftName} of another instance is not global`);
  return { root, steps, type: steps.reduce(stepType, root.type), };
}

/** A scalar part of a place: the leaf variable and the rendered reference to the element (its stored form; see `readLeaf`). */
export interface LeafRef {
  readonly leaf: Leaf;
  readonly text: string;
}

/**
 * The scalar parts of a place, in the canonical order of `leafShapes` of its
 * type and then `indexTuples` of the remaining dimensions: two places of
 * one type (or a place and a constant of its type) line up part by part.
 */
export function leafRefs(access: Access, renderIndex: (e: Expr) => string): LeafRef[] {
  const prefixFields = access.steps.flatMap((s) => (s.kind === 'field' ? [String(s.field)] : []));
  const prefixIndexes = access.steps.flatMap((s) => (s.kind === 'index' ? [constIndex(s.index) ?? renderIndex(s.index)] : []));
  const out: LeafRef[] = [];
  for (const shape of leafShapes(access.type)) {
    const key = [...prefixFields, fieldKey(shape.steps)].filter((x) => x !== '').join('.');
    const leaf = access.root.leaves.find((l) => fieldKey(l.shape.steps) === key);
    if (!leaf) throw new Error(`internal error: ${access.root.weftName} has no part ${key}`);
    for (const tuple of indexTuples(dimsOf(shape.steps))) {
      const values = [...prefixIndexes, ...tuple];
      out.push({ leaf, text: leaf.dims.length === 0 ? leaf.name : `${leaf.name}[${flatIndex(leaf.dims, values)}]` });
    }
  }
  return out;
}

function constIndex(e: Expr): number | null {
  return e.kind === 'const' && typeof e.value === 'number' ? e.value : null;
}

/**
 * The shared variables and each actor's locals as roots, named in `globals`
 * and per-actor scopes. A local that a property reads (`a[i].x`) is a
 * global instead, one element per instance for an actor array (`a_x[2]`,
 * element `self` in the actor's code): SPIN refuses remote references
 * (`a[pid]:x`) in the claim's d_step. Its values are the locals', so the
 * states are the same.
 */
export function rootsOf(program: Program, globals: Scope, actorScopes: readonly Scope[], read: InstanceReads): { globals: Root[]; locals: Root[][] } {
  return {
    globals: program.globals.map((g, i) => makeRoot(`g${i}`, g.name, g.type, g.init, globals)),
    locals: program.actors.map((a, ai) => a.locals.map((l, i) => {
      if (!read.locals.has(localKey(ai, i))) return makeRoot(`l${i}`, l.name, l.type, l.init, actorScopes[ai]!);
      const name = `${a.name}_${l.name}`;
      if (!a.isArray) return { ...makeRoot(`l${i}`, name, l.type, l.init, globals), global: true };
      const type: Type = { kind: 'array', element: l.type, size: a.count };
      const init = Array.from({ length: a.count }, () => l.init);
      return { ...makeRoot(`l${i}`, name, type, init, globals), global: true, perInstance: { count: a.count, span: l.span } };
    })),
  };
}

/** What the properties read of actor instances: positions (by actor) and locals (by localKey). */
export interface InstanceReads {
  readonly positions: ReadonlySet<number>;
  readonly locals: ReadonlySet<string>;
}

export const localKey = (actor: number, index: number): string => `${actor}:${index}`;

/** The instances' positions and locals that the invariants, reachable targets and liveness properties read. */
export function instanceReads(program: Program): InstanceReads {
  const positions = new Set<number>();
  const locals = new Set<string>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'at': positions.add(e.instance.actor); return visit(e.instance.index);
      case 'localOf': locals.add(localKey(e.instance.actor, e.index)); return visit(e.instance.index);
      case 'const': case 'global': case 'local': case 'self': case 'bound': return;
      case 'field': return visit(e.object);
      case 'index': visit(e.object); return visit(e.index);
      case 'unary': return visit(e.operand);
      case 'binary': visit(e.left); return visit(e.right);
      case 'cond': visit(e.cond); visit(e.then); return visit(e.else);
      case 'quant': return visit(e.body);
      case 'canAcquire': case 'lockFree': return visit(e.lock);
      case 'struct': return e.fields.forEach(visit);
      case 'array': return e.elements.forEach(visit);
      default: return assertNever(e);
    }
  };
  for (const p of program.properties) {
    if (p.kind === 'invariant' || p.kind === 'reachable') visit(p.expr);
    // Liveness formulas read the same mirrors as the invariants' claim (promelaLtl.ts).
    if (p.kind === 'liveness') { if (p.p) visit(p.p); visit(p.q); }
  }
  return { positions, locals };
}

/**
 * The parts of an aggregate value, in leaf order (leafShapes, then index
 * tuples), when the value is a struct or array literal: each leaf is taken
 * from the literal part it lies in, `scalar` for a scalar part, or `whole`'s
 * parts of a part that is an aggregate itself (a place, a constant, `?:`).
 */
export function literalParts<T>(e: Expr & { kind: 'struct' | 'array' }, type: Type, scalar: (e: Expr, t: Type) => T, whole: (e: Expr, t: Type) => T[]): T[] {
  return leafShapes(type).flatMap((shape) => indexTuples(dimsOf(shape.steps)).map((tuple) => partAt(e, type, shape.steps, tuple)));

  function partAt(x: Expr, t: Type, steps: readonly ShapeStep[], tuple: readonly number[]): T {
    if (steps.length === 0) return scalar(x, t);
    const [first, ...rest] = steps;
    if (x.kind === 'struct' && first!.kind === 'field' && t.kind === 'struct') return partAt(x.fields[first!.field]!, t.fields[first!.field]!.type, rest, tuple);
    if (x.kind === 'array' && first!.kind === 'index' && t.kind === 'array') return partAt(x.elements[tuple[0]!]!, t.element, rest, tuple.slice(1));
    // A part that is not a literal: its own parts, and the one at these steps.
    const key = fieldKey(steps);
    let at = 0;
    for (const s of leafShapes(t)) {
      const tuples = indexTuples(dimsOf(s.steps));
      if (fieldKey(s.steps) === key) return whole(x, t)[at + rowMajor(dimsOf(s.steps), tuple)]!;
      at += tuples.length;
    }
    throw new Error('internal error: a literal of the wrong shape');
  }
}

function rowMajor(dims: readonly number[], tuple: readonly number[]): number {
  return dims.reduce((n, d, k) => n * d + tuple[k]!, 0);
}
