/**
 * Weft variables as Promela variables, for the AST oracle. Every variable
 * is flattened all the way down to scalars: a struct field and an array
 * element each get a Promela variable of their own (`g0_folios_1_pins`),
 * never a Promela array. That makes every initial value a scalar
 * initialiser (negative ones included), and an index a choice among
 * variables (expr.ts), so pan can never read outside an array. It is
 * slower than the product exporter's arrays, which does not matter for an
 * oracle; what matters is that nothing here is copied from it.
 */
import type { Type, Value } from '../../../src/check/types.ts';

/** One step from a variable to one of its parts. */
export type PathStep = { readonly kind: 'field'; readonly name: string } | { readonly kind: 'index'; readonly index: number };

/** A scalar part (bool, integer range, enum member, lock) of a variable. */
export interface Leaf {
  /** The Promela variable. */
  readonly name: string;
  /** The Weft type of the part: bool, int, enum or lock. */
  readonly type: Type;
  readonly init: number | boolean;
  /** `.f[2].g`, the part's path below its root: how places find the leaf. */
  readonly key: string;
}

/** A Weft variable (shared, or one local of an actor), with its leaves in order. */
export interface Root {
  readonly weftName: string;
  readonly type: Type;
  readonly leaves: readonly Leaf[];
  readonly byKey: ReadonlyMap<string, Leaf>;
}

export class Unsupported extends Error {}

export function keyOf(path: readonly PathStep[]): string {
  return path.map((s) => (s.kind === 'field' ? `.${s.name}` : `[${s.index}]`)).join('');
}

/** The scalar shapes of a type in leaf order: the path to each and its type. */
export function shapes(type: Type): { path: PathStep[]; type: Type }[] {
  switch (type.kind) {
    case 'struct':
      return type.fields.flatMap((f) => shapes(f.type).map((s) => ({ path: [{ kind: 'field', name: f.name } as PathStep, ...s.path], type: s.type })));
    case 'array': {
      const inner = shapes(type.element);
      const out: { path: PathStep[]; type: Type }[] = [];
      for (let i = 0; i < type.size; i++) for (const s of inner) out.push({ path: [{ kind: 'index', index: i }, ...s.path], type: s.type });
      return out;
    }
    case 'bool': case 'int': case 'enum': case 'lock': return [{ path: [], type }];
    case 'integer': throw new Unsupported('a variable of unbounded integer type');
  }
}

/** The part of a constant value at a path (struct values are arrays of their fields in order). */
export function valueAt(type: Type, value: Value, path: readonly PathStep[]): Value {
  let t = type;
  let v = value;
  for (const s of path) {
    if (s.kind === 'field') {
      if (t.kind !== 'struct') throw new Error('internal error: field of a non-struct');
      const i = t.fields.findIndex((f) => f.name === s.name);
      v = (v as readonly Value[])[i]!;
      t = t.fields[i]!.type;
    } else {
      if (t.kind !== 'array') throw new Error('internal error: index of a non-array');
      v = (v as readonly Value[])[s.index]!;
      t = t.element;
    }
  }
  return v;
}

/** The type of the part at a path. */
export function typeAt(type: Type, path: readonly PathStep[]): Type {
  let t = type;
  for (const s of path) {
    if (s.kind === 'field') {
      if (t.kind !== 'struct') throw new Error('internal error: field of a non-struct');
      t = t.fields.find((f) => f.name === s.name)!.type;
    } else {
      if (t.kind !== 'array') throw new Error('internal error: index of a non-array');
      t = t.element;
    }
  }
  return t;
}

/**
 * Makes the root of a variable; `prefix` is `g` for shared variables, `l`
 * for locals, and `n` is unique in the model, so that `g3_a_b` (root 3,
 * `a.b`) can never be another variable's name, whatever Weft names contain.
 */
export function makeRoot(prefix: string, n: number, weftName: string, type: Type, init: Value): Root {
  const leaves = shapes(type).map(({ path, type: t }) => {
    const v = valueAt(type, init, path);
    if (typeof v !== 'number' && typeof v !== 'boolean') throw new Error('internal error: aggregate initial value at a leaf');
    const suffix = path.map((s) => (s.kind === 'field' ? s.name : String(s.index))).join('_');
    return { name: `${prefix}${n}_${weftName}${suffix ? `_${suffix}` : ''}`, type: t, init: v, key: keyOf(path) };
  });
  return { weftName, type, leaves, byKey: new Map(leaves.map((l) => [l.key, l])) };
}

/**
 * The Promela type of a leaf. Locks: a mutex or spinlock is 0 when free and
 * holder + 1 when held; an rwsem is 0, a mask of reader pids, or
 * -(writer + 1): that is Weft's documented encoding (check/types.ts
 * lockValue), but any one-to-one encoding gives the same state count.
 */
export function promelaType(t: Type, instances: number): string {
  switch (t.kind) {
    case 'bool': return 'bool';
    case 'int': return t.lo >= 0 && t.hi <= 255 ? 'byte' : t.lo >= -32768 && t.hi <= 32767 ? 'short' : 'int';
    case 'enum': return t.members.length <= 256 ? 'byte' : 'short';
    case 'lock': return t.lock === 'rwsem' ? 'int' : instances < 255 ? 'byte' : 'short';
    case 'integer': case 'struct': case 'array': throw new Error('internal error: not a leaf type');
  }
}

/** `byte g0_x = 2;` for each leaf; Promela starts at 0, so a 0 needs no initialiser. */
export function declare(root: Root, instances: number, indent: string): string[] {
  return root.leaves.map((l) => {
    const v = typeof l.init === 'boolean' ? (l.init ? 'true' : 'false') : String(l.init);
    const init = l.init === 0 || l.init === false ? '' : ` = ${v}`;
    return `${indent}${promelaType(l.type, instances)} ${l.name}${init};`;
  });
}
