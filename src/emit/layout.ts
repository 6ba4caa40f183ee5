/**
 * The packed state layout of the compiled engine. A state is a fixed-size
 * byte vector: every scalar (bool, range, enum, lock, program counter) gets
 * 1, 2 or 4 bytes as its range needs, little-endian, storing `value - lo`
 * so that every stored number is unsigned. Structs and arrays are laid out
 * field after field and element after element, so `a[i].f` is at
 * `base(a) + i * stride(a) + offset(f)`. The vector is padded to a whole
 * number of 32-bit words, which the state store hashes and compares.
 *
 * Order: shared variables in declaration order, then per instance its pc,
 * then per instance its locals. decodeState turns a vector back into the
 * reference explorer's State, so traces are rebuilt by the reference code.
 */
import type { Type, Value } from '../check/types.ts';
import type { Program } from '../lower/ir.ts';
import type { State } from '../explore/state.ts';

/** How a scalar is stored: byte width and the value stored as 0. */
export interface Scalar {
  readonly width: 1 | 2 | 4;
  readonly lo: number;
}

/** The layout of one (possibly aggregate) type: its size, and where its parts are. */
export type TypeLayout =
  | { readonly kind: 'scalar'; readonly size: number; readonly scalar: Scalar; readonly type: Type }
  | { readonly kind: 'struct'; readonly size: number; readonly fields: readonly { readonly offset: number; readonly layout: TypeLayout }[] }
  | { readonly kind: 'array'; readonly size: number; readonly length: number; readonly element: TypeLayout };

export interface Layout {
  /** Bytes of a state vector, a multiple of 4. */
  readonly bytes: number;
  readonly globals: readonly { readonly offset: number; readonly layout: TypeLayout }[];
  /** Per instance: where its pc is and how it is stored. */
  readonly pcs: readonly { readonly offset: number; readonly scalar: Scalar }[];
  /** Per instance: the offset of each of its locals. */
  readonly locals: readonly (readonly { readonly offset: number; readonly layout: TypeLayout }[])[];
  /** Per actor: where instance `self` keeps its pc and its locals (offset = base + self * stride). */
  readonly actors: readonly { readonly pcBase: number; readonly pcStride: number; readonly localBase: number; readonly localStride: number }[];
}

export function widthFor(values: number): 1 | 2 | 4 {
  return values <= 0x100 ? 1 : values <= 0x10000 ? 2 : 4;
}

/** Lock values range over instance numbers; an rwsem's over reader masks and writers. */
export function scalarOf(t: Type, instances: number): Scalar {
  switch (t.kind) {
    case 'bool': return { width: 1, lo: 0 };
    case 'int': return { width: widthFor(t.hi - t.lo + 1), lo: t.lo };
    case 'enum': return { width: widthFor(t.members.length), lo: 0 };
    case 'lock':
      return t.lock === 'rwsem'
        ? { width: widthFor(2 ** instances + instances), lo: -instances }
        : { width: widthFor(instances + 1), lo: 0 };
    case 'integer': case 'struct': case 'array':
      throw new Error(`internal error: ${t.kind} is not a stored scalar`);
  }
}

export function layoutType(t: Type, instances: number): TypeLayout {
  switch (t.kind) {
    case 'struct': {
      let size = 0;
      const fields = t.fields.map((f) => {
        const layout = layoutType(f.type, instances);
        const out = { offset: size, layout };
        size += layout.size;
        return out;
      });
      return { kind: 'struct', size, fields };
    }
    case 'array': {
      const element = layoutType(t.element, instances);
      return { kind: 'array', size: element.size * t.size, length: t.size, element };
    }
    default: {
      const scalar = scalarOf(t, instances);
      return { kind: 'scalar', size: scalar.width, scalar, type: t };
    }
  }
}

export function computeLayout(program: Program): Layout {
  const n = program.instances.length;
  let at = 0;
  const globals = program.globals.map((g) => {
    const layout = layoutType(g.type, n);
    const out = { offset: at, layout };
    at += layout.size;
    return out;
  });
  const actors = program.actors.map((a) => ({ pcBase: 0, pcStride: widthFor(a.pcCount), localBase: 0, localStride: 0, count: a.count }));
  const pcs: { offset: number; scalar: Scalar }[] = [];
  program.actors.forEach((a, i) => {
    const info = actors[i]!;
    info.pcBase = at;
    for (let self = 0; self < a.count; self++) {
      pcs.push({ offset: at, scalar: { width: info.pcStride as 1 | 2 | 4, lo: 0 } });
      at += info.pcStride;
    }
  });
  const locals: { offset: number; layout: TypeLayout }[][] = [];
  program.actors.forEach((a, i) => {
    const info = actors[i]!;
    const layouts = a.locals.map((l) => layoutType(l.type, n));
    info.localStride = layouts.reduce((s, l) => s + l.size, 0);
    info.localBase = at;
    for (let self = 0; self < a.count; self++) {
      let off = at;
      locals.push(layouts.map((layout) => {
        const out = { offset: off, layout };
        off += layout.size;
        return out;
      }));
      at += info.localStride;
    }
  });
  return {
    bytes: Math.max(4, Math.ceil(at / 4) * 4),
    globals,
    pcs,
    locals,
    actors: actors.map(({ pcBase, pcStride, localBase, localStride }) => ({ pcBase, pcStride, localBase, localStride })),
  };
}

// ---- Reading and writing scalars (the generated code inlines the same arithmetic) ----

export function readScalar(v: Uint8Array, at: number, s: Scalar): number {
  switch (s.width) {
    case 1: return v[at]! + s.lo;
    case 2: return (v[at]! | (v[at + 1]! << 8)) + s.lo;
    case 4: return ((v[at]! | (v[at + 1]! << 8) | (v[at + 2]! << 16) | (v[at + 3]! << 24)) >>> 0) + s.lo;
  }
}

export function writeScalar(v: Uint8Array, at: number, s: Scalar, value: number): void {
  const x = value - s.lo;
  v[at] = x & 0xff;
  if (s.width >= 2) v[at + 1] = (x >>> 8) & 0xff;
  if (s.width === 4) { v[at + 2] = (x >>> 16) & 0xff; v[at + 3] = (x >>> 24) & 0xff; }
}

function readValue(v: Uint8Array, at: number, l: TypeLayout): Value {
  switch (l.kind) {
    case 'scalar': {
      const x = readScalar(v, at, l.scalar);
      return l.type.kind === 'bool' ? x !== 0 : x;
    }
    case 'struct': return l.fields.map((f) => readValue(v, at + f.offset, f.layout));
    case 'array': return Array.from({ length: l.length }, (_, i) => readValue(v, at + i * l.element.size, l.element));
  }
}

function writeValue(v: Uint8Array, at: number, l: TypeLayout, value: Value): void {
  switch (l.kind) {
    case 'scalar': return writeScalar(v, at, l.scalar, typeof value === 'boolean' ? (value ? 1 : 0) : (value as number));
    case 'struct': return l.fields.forEach((f, i) => writeValue(v, at + f.offset, f.layout, (value as Value[])[i]!));
    case 'array': return (value as Value[]).forEach((x, i) => writeValue(v, at + i * l.element.size, l.element, x));
  }
}

/** The reference explorer's view of a packed state. */
export function decodeState(program: Program, layout: Layout, v: Uint8Array, at = 0): State {
  return {
    globals: layout.globals.map((g) => readValue(v, at + g.offset, g.layout)),
    pcs: layout.pcs.map((p) => readScalar(v, at + p.offset, p.scalar)),
    locals: layout.locals.map((ls) => ls.map((l) => readValue(v, at + l.offset, l.layout))),
  };
}

/** Packs a reference State (used for the initial state and in tests). */
export function encodeState(layout: Layout, state: State): Uint8Array {
  const v = new Uint8Array(layout.bytes);
  layout.globals.forEach((g, i) => writeValue(v, g.offset, g.layout, state.globals[i]!));
  layout.pcs.forEach((p, i) => writeScalar(v, p.offset, p.scalar, state.pcs[i]!));
  layout.locals.forEach((ls, i) => ls.forEach((l, j) => writeValue(v, l.offset, l.layout, state.locals[i]![j]!)));
  return v;
}
