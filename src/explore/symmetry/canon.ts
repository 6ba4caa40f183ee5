/**
 * The canonical form of a packed state under the permutations of each
 * symmetric actor's instances (Program.symmetry, proved by
 * lower/symmetry.ts): the least state, in a fixed total order, of the
 * state's orbit. Every orbit has exactly one canonical form, so a search
 * that stores canonical forms stores one state per orbit, no more (an
 * approximate form, as Murphi's "fast" normalisation, may store an orbit
 * several times; this one may not).
 *
 * A permutation π of a group's instances moves each scalar of the state
 * and maps its value. Every scalar is at `base + Σ c * stride` for its
 * coordinates c in the group (its instance, for a pc or a local of the
 * symmetric actor; its index, in an array indexed by the instances), so
 * it moves to `base + Σ π(c) * stride`. A scalar holding an instance
 * number maps its value by π (one outside 0..count-1, as -1 for "none",
 * stays); a lock maps its holders (state/locks.ts: holder + 1, a reader
 * mask, -(writer + 1)) by state/locks.ts's renameHolders.
 *
 * The order compares first, group by group and instance by instance, each
 * instance's signature (the scalars that move with it and whose value no
 * permutation changes: its pc, its plain locals, its elements of plain
 * indexed arrays; then, for each scalar that does not move and names
 * instances, an instance number or a lock, whether it names this one),
 * then the whole vector word by word. The least state
 * thus lists the instances by increasing signature: only the orderings
 * that sort the signatures need be tried, all orderings of instances with
 * equal signatures, and the least vector among them is the canonical one.
 */
import type { Program, Slot, SlotPart } from '../../lower/ir.ts';
import { readScalar, writeScalar, type Layout, type Scalar, type TypeLayout } from '../../emit/layout.ts';
import { heldBy, renameHolders } from '../../state/locks.ts';

const PLAIN = 0;
const ID = 1;
const MUTEX = 2;
const RWSEM = 3;

/** One scalar of the state vector: where it is, how it is stored, and how a permutation moves and maps it. */
interface Position {
  readonly at: number;
  readonly scalar: Scalar;
  readonly value: typeof PLAIN | typeof ID | typeof MUTEX | typeof RWSEM;
  /** For ID: its group. */
  readonly group: number;
  /** Its coordinates: in `group`, coordinate `c`, a step of `stride` bytes. */
  readonly coords: readonly { readonly group: number; readonly c: number; readonly stride: number }[];
}

interface Group {
  readonly count: number;
  /** The global instance number of its instance 0. */
  readonly base: number;
  /** Signature scalars of instance 0 (instance k's are `stride * k` further on). */
  readonly sig: readonly { readonly at: number; readonly scalar: Scalar; readonly stride: number }[];
  /**
   * Scalars that stay where they are and may name an instance of the group
   * (its number, or a lock's holder or reader): whether one names instance
   * k is part of k's signature, and moves with k under any permutation.
   */
  readonly marks: readonly { readonly at: number; readonly scalar: Scalar; readonly value: typeof ID | typeof MUTEX | typeof RWSEM }[];
}

export class Canonicaliser {
  private readonly positions: Position[] = [];
  private readonly groups: Group[];
  /** Per group: instance numbers in signature order, and π (instance → its place in the canonical state). */
  private readonly order: Int32Array[];
  private readonly perm: Int32Array[];
  /** Global instance → group, or -1 when its actor is not symmetric. */
  private readonly groupOfInstance: Int32Array;
  /** The permutation of global instance numbers the last canon() applied: concrete → canonical. */
  readonly lastPerm: Int32Array;
  private readonly best: Uint32Array;
  private readonly tmp: Uint32Array;
  private readonly tmp8: Uint8Array;
  private readonly bestPerm: Int32Array;
  private readonly runs: { group: number; start: number; end: number }[] = [];
  /** Heap's algorithm's counters, one array per run. */
  private readonly counters: Int32Array[] = [];
  /** The positions a permutation moves or changes, flattened for apply(). */
  private active!: { at: Int32Array; scalar: Scalar[]; coordStart: Int32Array; coordGroup: Int32Array; coordC: Int32Array; coordStride: Int32Array };
  private activeIndex!: Int32Array;
  private src8: Uint8Array = new Uint8Array(0);

  constructor(private readonly program: Program, layout: Layout) {
    const words = layout.bytes / 4;
    this.best = new Uint32Array(words);
    this.tmp = new Uint32Array(words);
    this.tmp8 = new Uint8Array(this.tmp.buffer);
    const n = program.instances.length;
    this.lastPerm = new Int32Array(n);
    this.bestPerm = new Int32Array(n);
    this.groupOfInstance = new Int32Array(n).fill(-1);
    const firstInstance = (actor: number): number => program.instances.findIndex((i) => i.actor === actor);
    this.groups = program.symmetry.map((s, g) => {
      const count = program.actors[s.actor]!.count;
      const base = firstInstance(s.actor);
      for (let k = 0; k < count; k++) this.groupOfInstance[base + k] = g;
      return { count, base, sig: [], marks: [] };
    });
    this.order = this.groups.map((g) => new Int32Array(g.count));
    this.perm = this.groups.map((g) => new Int32Array(g.count));
    this.collect(layout);
    this.flatten();
    for (const p of this.positions) {
      if (p.value !== PLAIN || p.coords.length !== 1 || p.coords[0]!.c !== 0) continue;
      (this.groups[p.coords[0]!.group]!.sig as Group['sig'][number][]).push({ at: p.at, scalar: p.scalar, stride: p.coords[0]!.stride });
    }
    for (const p of this.positions) {
      if (p.coords.length || p.value === PLAIN) continue;
      this.groups.forEach((g, gi) => {
        if (p.value !== ID || p.group === gi) (g.marks as Group['marks'][number][]).push({ at: p.at, scalar: p.scalar, value: p.value as Group['marks'][number]['value'] });
      });
    }
  }

  /**
   * Writes the canonical form of the state `v8` (`v32` is the same bytes as
   * words) into `out` (another buffer), and records the permutation in lastPerm.
   */
  canon(v8: Uint8Array, v32: Uint32Array, out: Uint32Array): void {
    this.src8 = v8;
    this.runs.length = 0;
    for (let gi = 0; gi < this.groups.length; gi++) {
      const g = this.groups[gi]!;
      const order = this.order[gi]!;
      for (let k = 0; k < g.count; k++) order[k] = k;
      // Insertion sort by signature: a handful of instances.
      for (let i = 1; i < g.count; i++) {
        const x = order[i]!;
        let j = i - 1;
        while (j >= 0 && compareSig(v8, g, order[j]!, x) > 0) { order[j + 1] = order[j]!; j--; }
        order[j + 1] = x;
      }
      for (let s = 0; s < g.count;) {
        let e = s + 1;
        while (e < g.count && compareSig(v8, g, order[s]!, order[e]!) === 0) e++;
        if (e - s > 1) {
          if (this.counters.length <= this.runs.length) this.counters.push(new Int32Array(Math.max(...this.groups.map((x) => x.count))));
          this.runs.push({ group: gi, start: s, end: e });
        }
        s = e;
      }
    }
    this.dropFixedRuns(v8, v32);
    this.haveBest = false;
    if (this.runs.length === 0 && this.sortedIsIdentity()) {
      // The only candidate is the state itself.
      out.set(v32);
      for (let i = 0; i < this.lastPerm.length; i++) this.lastPerm[i] = i;
      return;
    }
    this.permuteRuns(0);
    out.set(this.best);
    this.lastPerm.set(this.bestPerm);
  }

  private haveBest = false;

  /**
   * Drops the runs whose instances the state cannot tell apart: when
   * swapping each two neighbours of a run leaves the state as it is, every
   * ordering of the run gives the same state (the swaps generate them
   * all), and one is enough. Instances that have not started yet are such
   * a run, and would otherwise cost count! tries.
   */
  private dropFixedRuns(v8: Uint8Array, v32: Uint32Array): void {
    if (!this.runs.length) return;
    for (const p of this.perm) for (let k = 0; k < p.length; k++) p[k] = k;
    let kept = 0;
    for (const run of this.runs) {
      const order = this.order[run.group]!;
      const perm = this.perm[run.group]!;
      let fixed = true;
      for (let i = run.start; fixed && i + 1 < run.end; i++) {
        const a = order[i]!;
        const b = order[i + 1]!;
        perm[a] = b;
        perm[b] = a;
        this.apply(v8);
        perm[a] = a;
        perm[b] = b;
        for (let w = 0; w < v32.length; w++) if (this.tmp[w] !== v32[w]) { fixed = false; break; }
      }
      if (!fixed) this.runs[kept++] = run;
    }
    this.runs.length = kept;
  }

  private sortedIsIdentity(): boolean {
    for (const order of this.order) for (let k = 0; k < order.length; k++) if (order[k] !== k) return false;
    return true;
  }

  /** Tries every ordering of the instances within each run of equal signatures. */
  private permuteRuns(r: number): void {
    if (r === this.runs.length) return this.tryOrder();
    const { group, start, end } = this.runs[r]!;
    const a = this.order[group]!;
    // Heap's algorithm over a[start..end).
    const n = end - start;
    const c = this.counters[r]!;
    c.fill(0);
    this.permuteRuns(r + 1);
    for (let i = 1; i < n;) {
      if (c[i]! < i) {
        const j = i % 2 === 0 ? 0 : c[i]!;
        const t = a[start + j]!;
        a[start + j] = a[start + i]!;
        a[start + i] = t;
        this.permuteRuns(r + 1);
        c[i]!++;
        i = 1;
      } else {
        c[i] = 0;
        i++;
      }
    }
  }

  /** The state under the current orders: keeps it if it is the least so far. */
  private tryOrder(): void {
    for (let gi = 0; gi < this.groups.length; gi++) {
      const order = this.order[gi]!;
      const perm = this.perm[gi]!;
      for (let k = 0; k < order.length; k++) perm[order[k]!] = k;
    }
    this.apply(this.src8);
    if (this.haveBest && !less(this.tmp, this.best)) return;
    this.best.set(this.tmp);
    this.haveBest = true;
    const gp = this.bestPerm;
    for (let i = 0; i < gp.length; i++) {
      const g = this.groupOfInstance[i]!;
      gp[i] = g < 0 ? i : this.groups[g]!.base + this.perm[g]![i - this.groups[g]!.base]!;
    }
  }

  /** Writes the state `v` under the permutations in `perm` into tmp: a copy, then the scalars that move or change. */
  private apply(v: Uint8Array): void {
    const out = this.tmp8;
    out.set(v);
    const { perm } = this;
    const { at, scalar, coordStart, coordGroup, coordC, coordStride } = this.active;
    for (let i = 0; i < at.length; i++) {
      let to = at[i]!;
      for (let c = coordStart[i]!; c < coordStart[i + 1]!; c++) to += (perm[coordGroup[c]!]![coordC[c]!]! - coordC[c]!) * coordStride[c]!;
      const s = scalar[i]!;
      const x = readScalar(v, at[i]!, s);
      writeScalar(out, to, s, this.positions[this.activeIndex[i]!]!.value === PLAIN ? x : this.mapValue(this.positions[this.activeIndex[i]!]!, x));
    }
  }

  private mapValue(p: Position, value: number): number {
    switch (p.value) {
      case ID: {
        const g = this.groups[p.group]!;
        return value >= 0 && value < g.count ? this.perm[p.group]![value]! : value;
      }
      case MUTEX: return renameHolders(value, false, this.rename);
      case RWSEM: return renameHolders(value, true, this.rename);
      default: return value;
    }
  }

  /** mapInstance as a value made once (apply() runs per successor). */
  private readonly rename = (i: number): number => this.mapInstance(i);

  private mapInstance(i: number): number {
    const g = this.groupOfInstance[i]!;
    if (g < 0) return i;
    const { base } = this.groups[g]!;
    return base + this.perm[g]![i - base]!;
  }

  private flatten(): void {
    const idx = this.positions.flatMap((p, i) => (p.coords.length || p.value !== PLAIN ? [i] : []));
    const act = idx.map((i) => this.positions[i]!);
    const coords = act.flatMap((p) => p.coords);
    const coordStart = new Int32Array(act.length + 1);
    act.forEach((p, i) => { coordStart[i + 1] = coordStart[i]! + p.coords.length; });
    this.activeIndex = Int32Array.from(idx);
    this.active = {
      at: Int32Array.from(act, (p) => p.at),
      scalar: act.map((p) => p.scalar),
      coordStart,
      coordGroup: Int32Array.from(coords, (c) => c.group),
      coordC: Int32Array.from(coords, (c) => c.c),
      coordStride: Int32Array.from(coords, (c) => c.stride),
    };
  }

  // ---- Where the scalars are ----

  private collect(layout: Layout): void {
    const key = (s: Slot): string => slotKey(s.root.kind === 'global' ? `g${s.root.index}` : `l${s.root.actor}.${s.root.index}`, s.path);
    const ids = new Map<string, number>();
    const indexed = new Map<string, number>();
    this.program.symmetry.forEach((s, g) => {
      for (const slot of s.ids) ids.set(key(slot), g);
      for (const slot of s.indexed) indexed.set(key(slot), g);
    });
    const symGroup = new Map(this.program.symmetry.map((s, g) => [s.actor, g]));
    const walk = (l: TypeLayout, at: number, root: string, path: SlotPart[], coords: Position['coords']): void => {
      const k = slotKey(root, path);
      switch (l.kind) {
        case 'scalar': {
          const t = l.type;
          const value = ids.has(k) ? ID : t.kind === 'lock' ? (t.lock === 'rwsem' ? RWSEM : MUTEX) : PLAIN;
          this.positions.push({ at, scalar: l.scalar, value, group: ids.get(k) ?? -1, coords });
          return;
        }
        case 'struct':
          l.fields.forEach((f, i) => walk(f.layout, at + f.offset, root, [...path, { kind: 'field', index: i }], coords));
          return;
        case 'array': {
          const g = indexed.get(k);
          for (let i = 0; i < l.length; i++) {
            const more = g === undefined ? coords : [...coords, { group: g, c: i, stride: l.element.size }];
            walk(l.element, at + i * l.element.size, root, [...path, { kind: 'elem' }], more);
          }
          return;
        }
      }
    };
    layout.globals.forEach((g, i) => walk(g.layout, g.offset, `g${i}`, [], []));
    this.program.instances.forEach((inst, i) => {
      const g = symGroup.get(inst.actor);
      const unit = (stride: number): Position['coords'] => (g === undefined ? [] : [{ group: g, c: inst.self, stride }]);
      const a = layout.actors[inst.actor]!;
      const pc = layout.pcs[i]!;
      this.positions.push({ at: pc.offset, scalar: pc.scalar, value: PLAIN, group: -1, coords: unit(a.pcStride) });
      layout.locals[i]!.forEach((l, j) => walk(l.layout, l.offset, `l${inst.actor}.${j}`, [], unit(a.localStride)));
    });
  }
}

function slotKey(root: string, path: readonly SlotPart[]): string {
  return root + path.map((p) => (p.kind === 'elem' ? '.e' : `.f${p.index}`)).join('');
}

function compareSig(v: Uint8Array, g: Group, a: number, b: number): number {
  for (const s of g.sig) {
    const d = readScalar(v, s.at + a * s.stride, s.scalar) - readScalar(v, s.at + b * s.stride, s.scalar);
    if (d !== 0) return d;
  }
  for (const m of g.marks) {
    const x = readScalar(v, m.at, m.scalar);
    const d = (names(x, m.value, g.base + a, a) ? 1 : 0) - (names(x, m.value, g.base + b, b) ? 1 : 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Does the value `x` of a scalar of this kind name the instance (global number `instance`, `self` within its group)? */
function names(x: number, kind: typeof ID | typeof MUTEX | typeof RWSEM, instance: number, self: number): boolean {
  return kind === ID ? x === self : heldBy(x, kind === RWSEM, instance);
}

function less(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
