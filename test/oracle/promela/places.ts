/**
 * Places for the AST oracle: what a variable, field or element expression
 * names. Variables are flattened to scalar leaves (types.ts), so a place
 * with dynamic indexes is a choice among leaves, each selected by the
 * values of its indexes; the place's `def` says the indexes are in bounds.
 * Aggregate values (struct and array literals, places, conditionals) are
 * lists of parts in leaf order.
 */
import type * as A from '../../../src/syntax/ast.ts';
import type { Type } from '../../../src/check/types.ts';
import { Unsupported, keyOf, shapes, typeAt, type Leaf, type PathStep, type Root } from './types.ts';
import { and, compile, instance, lit, type C, type Env } from './expr.ts';

export type PStep = { readonly kind: 'field'; readonly name: string } | { readonly kind: 'index'; readonly index: C; readonly size: number };

export interface Place {
  readonly root: Root;
  /** The type of the part the place names (from the root's declared type). */
  readonly type: Type;
  readonly steps: readonly PStep[];
  readonly def: string | null;
  /**
   * The declared types of the scalar parameters the place was reached
   * through (a parameter standing for a parameter standing for the
   * variable): a store through them is checked against each.
   */
  readonly via: readonly Type[];
}

/** What a place expression names: a variable and the path to the part, indexes compiled. */
export function resolvePlace(e: A.Expr, env: Env): Place {
  switch (e.kind) {
    case 'name': {
      const sym = env.ctx.refs.get(e);
      if (sym?.kind === 'shared') return { root: env.globals[sym.index]!, type: env.globals[sym.index]!.type, steps: [], def: null, via: [] };
      if (sym?.kind === 'local') {
        if (!env.locals) throw new Error('internal error: a local outside an actor');
        const root = env.locals[sym.index]!;
        // A local kept global over an actor array's instances: this instance's element.
        if (!env.perInstance?.has(sym.index) || !env.self) return { root, type: root.type, steps: [], def: null, via: [] };
        const self: C = { text: env.self.text, def: null, iv: [env.self.lo, env.self.hi] };
        return { root, type: sym.type, steps: [{ kind: 'index', index: self, size: env.self.hi + 1 }], def: null, via: [] };
      }
      if (sym?.kind === 'param') {
        const b = env.params?.[sym.index];
        if (!b) throw new Error(`internal error: parameter ${e.name} is not bound`);
        const p = resolvePlace(b.arg, b.env);
        return sym.type.kind === 'int' ? { ...p, via: [...p.via, sym.type] } : p;
      }
      throw new Unsupported(`'${e.name}' (${sym?.kind ?? 'unknown'}) used as a variable`);
    }
    case 'field': {
      if (env.ctx.actorRefs.has(e.object)) {
        const inst = instance(e.object, env);
        const k = env.ctx.actorRefs.get(e.object)!.locals.findIndex((l) => l.name === e.field.name);
        const root = inst.actor.locals[k];
        if (!root || !inst.actor.global.has(k)) throw new Error(`internal error: local ${e.field.name} is not kept global`);
        if (!inst.actor.isArray) return { root, type: root.type, steps: [], def: null, via: [] };
        const type = (root.type as Type & { kind: 'array' }).element;
        return { root, type, steps: [{ kind: 'index', index: inst.index!, size: inst.actor.count }], def: inst.def, via: [] };
      }
      const p = resolvePlace(e.object, env);
      if (p.type.kind !== 'struct') throw new Error('internal error: field of a non-struct');
      const f = p.type.fields.find((x) => x.name === e.field.name)!;
      return { root: p.root, type: f.type, steps: [...p.steps, { kind: 'field', name: f.name }], def: p.def, via: [] };
    }
    case 'index': {
      const p = resolvePlace(e.object, env);
      if (p.type.kind !== 'array') throw new Error('internal error: index of a non-array');
      const i = compile(e.index, env);
      const size = p.type.size;
      const [lo, hi] = i.iv!;
      const inBounds = lo >= 0 && hi < size ? null : hi < 0 || lo >= size ? 'false' : `${i.text} >= 0 && ${i.text} < ${size}`;
      return { root: p.root, type: p.type.element, steps: [...p.steps, { kind: 'index', index: i, size }], def: and(p.def, i.def, inBounds), via: [] };
    }
    default:
      throw new Unsupported(`a ${e.kind} expression used as a variable`);
  }
}

/** The concrete paths a place may name, each with the condition that selects it (null: always). */
export function candidates(p: Place): { cond: string | null; path: PathStep[] }[] {
  let out: { conds: string[]; path: PathStep[] }[] = [{ conds: [], path: [] }];
  for (const s of p.steps) {
    if (s.kind === 'field') {
      out = out.map((c) => ({ conds: c.conds, path: [...c.path, { kind: 'field', name: s.name }] }));
      continue;
    }
    const lo = Math.max(0, s.index.iv![0]);
    const hi = Math.min(s.size - 1, s.index.iv![1]);
    // An index that is never in bounds: def is false, so the part read here is never used.
    const values = lo <= hi ? Array.from({ length: hi - lo + 1 }, (_, k) => lo + k) : [0];
    out = out.flatMap((c) => values.map((v) => ({
      conds: values.length > 1 ? [...c.conds, `${s.index.text} == ${v}`] : c.conds,
      path: [...c.path, { kind: 'index', index: v } as PathStep],
    })));
  }
  return out.map((c) => ({ cond: c.conds.length ? c.conds.join(' && ') : null, path: c.path }));
}

export function leafAt(root: Root, path: readonly PathStep[]): Leaf {
  const leaf = root.byKey.get(keyOf(path));
  if (!leaf) throw new Error(`internal error: ${root.weftName}${keyOf(path)} is no leaf`);
  return leaf;
}

/** Picks among texts by their conditions; the last needs none (def has ruled out the rest). */
export function choice(options: readonly { cond: string | null; text: string }[]): string {
  let text = options[options.length - 1]!.text;
  for (let i = options.length - 2; i >= 0; i--) text = `(${options[i]!.cond} -> ${options[i]!.text} : ${text})`;
  return text;
}

export function leafIv(t: Type): readonly [number, number] | null {
  return t.kind === 'int' ? [t.lo, t.hi] : t.kind === 'enum' ? [0, t.members.length - 1] : null;
}

export function readScalar(p: Place): C {
  const cands = candidates(p);
  const text = choice(cands.map((c) => ({ cond: c.cond, text: leafAt(p.root, c.path).name })));
  return { text, def: p.def, iv: leafIv(p.type) };
}

/** The leaves of an aggregate value of type `type`, in shapes() order. */
export function parts(e: A.Expr, type: Type, env: Env): { parts: C[]; def: string | null } {
  switch (e.kind) {
    case 'struct': {
      if (type.kind !== 'struct') throw new Error('internal error: struct literal of a non-struct');
      const out: C[] = [];
      let def: string | null = null;
      for (const f of type.fields) {
        const given = e.fields.find((x) => x.name.name === f.name);
        const sub = given ? valueParts(given.value, f.type, env) : defaultParts(f.type);
        out.push(...sub.parts);
        def = and(def, sub.def);
      }
      return { parts: out, def };
    }
    case 'array': {
      if (type.kind !== 'array') throw new Error('internal error: array literal of a non-array');
      const elems = e.elements.length === 1 ? Array.from({ length: type.size }, () => e.elements[0]!) : e.elements;
      const subs = elems.map((x) => valueParts(x, type.element, env));
      return { parts: subs.flatMap((s) => s.parts), def: and(...subs.map((s) => s.def)) };
    }
    case 'cond': {
      const c = compile(e.cond, env);
      const a = parts(e.then, type, env);
      const b = parts(e.else, type, env);
      const def = a.def === null && b.def === null ? c.def : and(c.def, `(${c.text} -> ${a.def ?? 'true'} : ${b.def ?? 'true'})`);
      return {
        parts: a.parts.map((x, i) => {
          const y = b.parts[i]!;
          return { text: `(${c.text} -> ${x.text} : ${y.text})`, def: null, iv: x.iv && y.iv ? [Math.min(x.iv[0], y.iv[0]), Math.max(x.iv[1], y.iv[1])] as const : null };
        }),
        def,
      };
    }
    // READ_ONCE(x) reads x (the checker allows no other builtin here).
    case 'call': return parts(e.args[0]!, type, env);
    default: {
      const p = resolvePlace(e, env);
      const cands = candidates(p);
      return {
        parts: shapes(p.type).map((s) => ({
          text: choice(cands.map((c) => ({ cond: c.cond, text: leafAt(p.root, [...c.path, ...s.path]).name }))),
          def: null,
          iv: leafIv(typeAt(p.type, s.path)),
        })),
        def: p.def,
      };
    }
  }
}

/** Scalar or aggregate: the parts of a value. */
export function valueParts(e: A.Expr, type: Type, env: Env): { parts: C[]; def: string | null } {
  if (type.kind === 'struct' || type.kind === 'array') return parts(e, type, env);
  const c = compile(e, env);
  return { parts: [{ ...c, def: null }], def: c.def };
}

function defaultParts(type: Type): { parts: C[]; def: null } {
  return {
    parts: shapes(type).map((s) => {
      const t = s.type;
      return lit(t.kind === 'bool' ? false : t.kind === 'int' ? t.lo : 0);
    }),
    def: null,
  };
}
