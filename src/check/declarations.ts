/**
 * Top-level declarations: constants, options, enums, structs and shared
 * variables are resolved in source order, as in C (a name is visible after
 * its declaration); functions and actors are registered afterwards, so any
 * body may call any function. Option values are fixed here, from the
 * configuration being checked (variant settings, then -D overrides).
 */
import type * as A from '../syntax/ast.ts';
import { Ctx, Scope } from './context.ts';
import { cTypeHelp, isCType } from '../syntax/habits.ts';
import { checkExpr, requireConst } from './expressions.ts';
import { MAX_VALUES, valueCount } from './limits.ts';
import { INTEGER, defaultValue, typeToString, type EnumType, type StructType, type Type, type Value } from './types.ts';
import { resolveCounterType } from './kernel.ts';
import { checkWaitQueueDecl, kernelNamedType } from './waitq.ts';

export interface Config {
  /** The variant whose settings apply; null when the model declares none. */
  readonly variant: string | null;
  /** -D name=value overrides, as written on the command line. */
  readonly defines: Readonly<Record<string, string>>;
}

/** Values each option ended up with, for the IR and for reports. */
export type OptionValues = Map<string, Value>;

export function declareInOrder(ctx: Ctx, model: A.Model, config: Config): OptionValues {
  const options: OptionValues = new Map();
  const chosen = model.decls.find((d): d is A.VariantDecl => d.kind === 'variant' && d.name.name === config.variant);
  const names = new Map<string, A.Ident>();
  const claim = (id: A.Ident): boolean => {
    const first = names.get(id.name);
    if (first) { ctx.declaredTwice(id, first.span); return false; }
    names.set(id.name, id);
    return true;
  };
  for (const d of model.decls) {
    switch (d.kind) {
      case 'const': {
        if (!claim(d.name)) break;
        const t = checkExpr(ctx, d.value, ctx.global);
        if (!t) break;
        const type: Type = t.kind === 'int' ? INTEGER : t;
        const v = requireConst(ctx, d.value, ctx.global, type, 'a const must be known before the search starts');
        if (v !== null) ctx.global.define({ kind: 'const', name: d.name.name, type, value: v });
        break;
      }
      case 'enum': {
        if (!claim(d.name)) break;
        const type: EnumType = { kind: 'enum', name: d.name.name, members: d.members.map((m) => m.name) };
        ctx.enums.set(d.name.name, type);
        d.members.forEach((m, i) => {
          if (claim(m)) ctx.global.define({ kind: 'enumMember', name: m.name, type, value: i });
        });
        break;
      }
      case 'struct': {
        if (!claim(d.name)) break;
        const fields: { name: string; type: Type }[] = [];
        for (const f of d.fields) {
          if (fields.some((x) => x.name === f.name.name)) { ctx.error('W2002', f.name.span, [f.name.name]); continue; }
          const t = resolveType(ctx, f.type, ctx.global);
          if (!t) continue;
          fields.push({ name: f.name.name, type: t });
          const count = fields.reduce((n, x) => n + valueCount(x.type), 0);
          if (count > MAX_VALUES) { ctx.error('W3023', f.span, [`struct ${d.name.name}`, count, MAX_VALUES]); fields.pop(); }
        }
        const type: StructType = { kind: 'struct', name: d.name.name, fields };
        ctx.structs.set(d.name.name, type);
        break;
      }
      case 'option': {
        if (!claim(d.name)) break;
        const type = resolveType(ctx, d.type, ctx.global);
        if (!type) break;
        if (type.kind !== 'bool' && type.kind !== 'int' && type.kind !== 'enum') {
          ctx.error('W3001', d.type.span, ['bool, a range or an enum for an option', typeToString(type)]);
          break;
        }
        let value = requireConst(ctx, d.value, ctx.global, type, 'an option default must be constant');
        const setting = chosen?.settings.find((s) => s.name.name === d.name.name);
        if (setting) value = requireConst(ctx, setting.value, ctx.global, type, 'a variant setting must be constant');
        const raw = config.defines[d.name.name];
        if (raw !== undefined) {
          const parsed = parseOptionValue(type, raw);
          if (parsed === null) ctx.error('W5002', d.name.span, [d.name.name, `'${raw}' is not ${optionValuesText(type)}`]);
          else value = parsed;
        }
        if (value === null) break;
        options.set(d.name.name, value);
        ctx.global.define({ kind: 'option', name: d.name.name, type, value });
        break;
      }
      case 'shared': {
        if (!claim(d.name)) break;
        const type = resolveType(ctx, d.type, ctx.global);
        if (!type) break;
        if (d.init && !checkWaitQueueDecl(ctx, type, d.init.span, 'init')) break;
        const init = d.init ? requireConst(ctx, d.init, ctx.global, type, 'an initial value must be constant') : defaultValue(type);
        const index = ctx.globals.length;
        ctx.globals.push({ name: d.name.name, type, init: init ?? defaultValue(type), span: d.name.span });
        ctx.global.define({ kind: 'shared', name: d.name.name, type, index });
        break;
      }
      case 'fn': case 'actor':
        claim(d.name);
        break;
      case 'invariant': case 'reachable': case 'liveness': case 'variant': case 'expect': case 'shapes': case 'for':
        break;
    }
  }
  return options;
}

/** What a -D value of `type` may be, for the diagnostic when it is not: `true or false`, `a 1..3`, `one of E (A, B)`. */
function optionValuesText(type: Type): string {
  switch (type.kind) {
    case 'bool': return 'true or false';
    case 'enum': return `a member of ${typeToString(type)} (${type.members.join(', ')})`;
    default: return `a ${typeToString(type)}`;
  }
}

/** Parses a -D value: true/false (nothing else: `1` is not a bool in the language either), an integer, or an enum member's name. */
export function parseOptionValue(type: Type, raw: string): Value | null {
  switch (type.kind) {
    case 'bool': return raw === 'true' ? true : raw === 'false' ? false : null;
    case 'int': {
      if (!/^-?\d+$/.test(raw)) return null;
      // `-0` is 0: a negative zero would print as 0 but compare apart from it in a state key.
      const n = Number(raw) + 0;
      return n >= type.lo && n <= type.hi ? n : null;
    }
    case 'enum': {
      const i = type.members.indexOf(raw);
      return i >= 0 ? i : null;
    }
    default: return null;
  }
}

export function resolveType(ctx: Ctx, t: A.TypeExpr, scope: Scope): Type | null {
  switch (t.kind) {
    case 'bool': return { kind: 'bool' };
    case 'lock': return { kind: 'lock', lock: t.lock };
    case 'atomic': case 'refcount': return resolveCounterType(ctx, t, scope);
    case 'range': {
      const lo = requireConst(ctx, t.lo, scope, INTEGER, 'range bounds must be constant');
      const hi = requireConst(ctx, t.hi, scope, INTEGER, 'range bounds must be constant');
      if (lo === null || hi === null) return null;
      if ((lo as number) > (hi as number)) { ctx.error('W3003', t.span, [lo as number, hi as number]); return null; }
      return { kind: 'int', lo: lo as number, hi: hi as number };
    }
    case 'named': {
      const found = ctx.enums.get(t.name.name) ?? ctx.structs.get(t.name.name) ?? kernelNamedType(ctx, t.name.name);
      if (!found && isCType(t.name.name)) { ctx.error('W1013', t.name.span, [t.name.name], cTypeHelp(t.name.name)); return null; }
      if (!found) { ctx.error('W2003', t.name.span, [t.name.name]); return null; }
      return found;
    }
    case 'array': {
      const element = resolveType(ctx, t.element, scope);
      const size = requireConst(ctx, t.size, scope, INTEGER, 'array sizes must be constant');
      if (!element || size === null) return null;
      if ((size as number) < 1) { ctx.error('W3006', t.size.span, [size as number]); return null; }
      const array: Type = { kind: 'array', element, size: size as number };
      if (valueCount(array) > MAX_VALUES) { ctx.error('W3023', t.span, [typeToString(array), (size as number) * valueCount(element), MAX_VALUES]); return null; }
      return array;
    }
  }
}
