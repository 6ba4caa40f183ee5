/**
 * Where each part of Weft's state lives in the exported Murphi model, and
 * with what type (docs/murphi.md, "The state"):
 *
 *   - a shared variable is a Murphi variable of the same shape (records for
 *     structs, arrays for arrays), bools as `boolean`, ranges as ranges,
 *     enums as the range of their ordinals;
 *   - per actor, `pc_A: array [I_A] of 0..pcCount-1` and one array per
 *     local, `A_x: array [I_A] of T`, where I_A is the actor's index type:
 *     `0..count-1`, or for a symmetric actor its scalarset `A_t`;
 *   - a slot holding an instance number of a symmetric actor A (its `ids`)
 *     is of type A_t; Murphi scalarsets cannot hold -1, so where the
 *     slot's range has one value outside the instances (say -1, "no
 *     instance") that value is Murphi's `undefined`, which a permutation
 *     leaves alone as Weft's does; an array indexed by A's instances (its
 *     `indexed`) is `array [A_t] of ...`;
 *   - a lock is a record (murphiLocks.ts): its holder's number, a
 *     scalarset field per symmetric actor for a holder of that actor, and
 *     for an rwsem a reader flag per instance.
 *
 * The mapping is one to one on the states Weft can reach, so Rumur stores
 * exactly Weft's states, and a permutation of A_t is Weft's permutation
 * of A's instances (pcs, locals, indexed elements, ids, lock holders).
 */
import type { StructType, Type, Value } from '../check/types.ts';
import type { Expr, Program, Slot } from '../lower/ir.ts';
import { assertNever } from '../util.ts';
import { Scope } from './murphiNames.ts';

export interface SymInfo {
  readonly actor: number;
  /** The scalarset type's name. */
  readonly type: string;
  /** Its position in Program.symmetry: the lock record's fields sym<k> and rd<k>. */
  readonly k: number;
}

type SlotClass = { readonly kind: 'id'; readonly actor: number; readonly other: number | null } | { readonly kind: 'indexed'; readonly actor: number };

export class Layout {
  readonly scope = new Scope();
  readonly sym = new Map<number, SymInfo>();
  /** Per actor: the Murphi index type of its instances. */
  readonly index: string[];
  /** Per actor: the first instance's global number (lock holders are numbered over all instances). */
  readonly first: number[];
  readonly globals: string[];
  readonly locals: string[][];
  readonly pcs: string[];
  readonly instances: number;
  readonly mutexType: string;
  readonly rwsemType: string;
  readonly holderType: string;
  private readonly classes = new Map<string, SlotClass>();
  private readonly fields = new Map<StructType, string[]>();
  /** Slots of ids whose range has more than one value outside the instances: not exportable (murphiRefusals). */
  readonly wideIds: Slot[] = [];

  constructor(readonly program: Program) {
    const s = this.scope;
    program.symmetry.forEach((g, k) => {
      const a = program.actors[g.actor]!;
      this.sym.set(g.actor, { actor: g.actor, type: s.take(`${a.name}_t`), k });
    });
    this.instances = program.instances.length;
    this.holderType = s.take('holder_t');
    this.mutexType = s.take('mutex_t');
    this.rwsemType = s.take('rwsem_t');
    this.first = program.actors.map((_, i) => program.instances.findIndex((x) => x.actor === i));
    this.index = program.actors.map((a, i) => this.sym.get(i)?.type ?? `0..${a.count - 1}`);
    for (const g of program.symmetry) {
      const count = program.actors[g.actor]!.count;
      for (const slot of g.indexed) this.classes.set(slotKey(slot), { kind: 'indexed', actor: g.actor });
      for (const slot of g.ids) {
        const t = slotType(program, slot);
        const below = t.kind === 'int' ? Math.max(0, -t.lo) : 0;
        const above = t.kind === 'int' ? Math.max(0, t.hi - count + 1) : 0;
        if (below + above > 1) this.wideIds.push(slot);
        const other = below + above === 0 || t.kind !== 'int' ? null : below > 0 ? t.lo : t.hi;
        this.classes.set(slotKey(slot), { kind: 'id', actor: g.actor, other });
      }
    }
    this.globals = program.globals.map((g) => s.take(g.name));
    this.pcs = program.actors.map((a) => s.take(`pc_${a.name}`));
    this.locals = program.actors.map((a) => a.locals.map((l) => s.take(`${a.name}_${l.name}`)));
  }

  classOf(key: string | null): SlotClass | null {
    return key === null ? null : this.classes.get(key) ?? null;
  }

  /** The Murphi names of a struct's fields, in order (one scope per struct type). */
  fieldNames(t: StructType): string[] {
    let names = this.fields.get(t);
    if (!names) {
      const scope = new Scope();
      names = t.fields.map((f) => scope.take(f.name));
      this.fields.set(t, names);
    }
    return names;
  }

  /** The Murphi type of a place with slot key `key` and Weft type `t`. */
  typeText(t: Type, key: string): string {
    switch (t.kind) {
      case 'bool': return 'boolean';
      case 'int': {
        const c = this.classOf(key);
        return c?.kind === 'id' ? this.sym.get(c.actor)!.type : `${t.lo}..${t.hi}`;
      }
      case 'integer': throw new Error('internal error: a stored integer without a range');
      case 'enum': return `0..${t.members.length - 1}`;
      case 'struct': {
        const names = this.fieldNames(t);
        return `record ${t.fields.map((f, i) => `${names[i]!}: ${this.typeText(f.type, `${key}.f${i}`)};`).join(' ')} end`;
      }
      case 'array': {
        const c = this.classOf(key);
        const index = c?.kind === 'indexed' ? this.sym.get(c.actor)!.type : `0..${t.size - 1}`;
        return `array [${index}] of ${this.typeText(t.element, `${key}.e`)}`;
      }
      case 'lock': return t.lock === 'rwsem' ? this.rwsemType : this.mutexType;
      default: return assertNever(t);
    }
  }

  /**
   * Statements that give the place `target` (Murphi text, slot key `key`)
   * the Weft value `v`. A uniform array is set by a loop over its index
   * type (the only way to name the elements of a scalarset-indexed array),
   * others element by element; `fresh` names loop variables.
   */
  initLines(target: string, t: Type, key: string, v: Value, fresh: () => string): string[] {
    switch (t.kind) {
      case 'bool': return [`${target} := ${v ? 'true' : 'false'};`];
      case 'enum': return [`${target} := ${String(v)};`];
      case 'int': {
        const c = this.classOf(key);
        if (c?.kind === 'id' && (v as number) === c.other) return [`undefine ${target};`];
        if (c?.kind === 'id') throw new Error(`internal error: an initial value names an instance (${target})`);
        return [`${target} := ${String(v)};`];
      }
      case 'integer': throw new Error('internal error: a stored integer without a range');
      case 'struct': {
        const names = this.fieldNames(t);
        return t.fields.flatMap((f, i) => this.initLines(`${target}.${names[i]!}`, f.type, `${key}.f${i}`, (v as Value[])[i]!, fresh));
      }
      case 'array': {
        const elems = v as Value[];
        const c = this.classOf(key);
        const uniform = elems.every((e) => JSON.stringify(e) === JSON.stringify(elems[0]));
        if (uniform || c?.kind === 'indexed') {
          const k = fresh();
          const index = c?.kind === 'indexed' ? this.sym.get(c.actor)!.type : `0..${t.size - 1}`;
          return [`for ${k}: ${index} do`, ...this.initLines(`${target}[${k}]`, t.element, `${key}.e`, elems[0]!, fresh).map((l) => `  ${l}`), 'endfor;'];
        }
        return elems.flatMap((e, i) => this.initLines(`${target}[${i}]`, t.element, `${key}.e`, e, fresh));
      }
      case 'lock': return this.lockFree(target, t.lock === 'rwsem', fresh);
      default: return assertNever(t);
    }
  }

  /** A free lock: no holder, every holder scalarset undefined, no reader. */
  lockFree(target: string, rwsem: boolean, fresh: () => string): string[] {
    const out = [`${target}.holder := 0;`];
    for (const s of this.sym.values()) out.push(`undefine ${target}.sym${s.k};`);
    if (rwsem) {
      const k = fresh();
      out.push(`for ${k}: 0..${this.instances - 1} do ${target}.rd[${k}] := false; endfor;`);
      for (const s of this.sym.values()) {
        const j = fresh();
        out.push(`for ${j}: ${s.type} do ${target}.rd${s.k}[${j}] := false; endfor;`);
      }
    }
    return out;
  }

  /** The type declarations of the two lock records. */
  lockTypes(): string[] {
    const syms = [...this.sym.values()];
    const holder = syms.map((s) => ` sym${s.k}: ${s.type};`).join('');
    const readers = syms.map((s) => ` rd${s.k}: array [${s.type}] of boolean;`).join('');
    return [
      `${this.holderType}: 0..${this.instances};`,
      `${this.mutexType}: record holder: ${this.holderType};${holder} end;`,
      `${this.rwsemType}: record holder: ${this.holderType};${holder} rd: array [0..${this.instances - 1}] of boolean;${readers} end;`,
    ];
  }

  /** The slot key (as lower/symmetry.ts builds it) of a place expression; `actor` is the running actor. */
  keyOf(e: Expr, actor: number | null): string | null {
    switch (e.kind) {
      case 'global': return `g${e.index}`;
      case 'local': return actor === null ? null : `l${actor}.${e.index}`;
      case 'localOf': return `l${e.instance.actor}.${e.index}`;
      case 'field': { const k = this.keyOf(e.object, actor); return k === null ? null : `${k}.f${e.field}`; }
      case 'index': { const k = this.keyOf(e.object, actor); return k === null ? null : `${k}.e`; }
      default: return null;
    }
  }
}

export function slotKey(slot: Slot): string {
  const root = slot.root.kind === 'global' ? `g${slot.root.index}` : `l${slot.root.actor}.${slot.root.index}`;
  return root + slot.path.map((p) => (p.kind === 'elem' ? '.e' : `.f${p.index}`)).join('');
}

export function slotType(program: Program, slot: Slot): Type {
  let t: Type = slot.root.kind === 'global' ? program.globals[slot.root.index]!.type : program.actors[slot.root.actor]!.locals[slot.root.index]!.type;
  for (const p of slot.path) {
    if (p.kind === 'elem' && t.kind === 'array') t = t.element;
    else if (p.kind === 'field' && t.kind === 'struct') t = t.fields[p.index]!.type;
    else throw new Error('internal error: a slot path that does not fit its type');
  }
  return t;
}
