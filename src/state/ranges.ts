/**
 * The range rule of stores, defined once: a value fits its declared type
 * when every scalar in it lies in its range (an int in lo..hi, an enum in
 * its members), fields and elements included. The checker applies it to
 * constants (W3004), the reference interpreter to every store and argument
 * check; the generated code inlines the same test on one scalar
 * (`v < lo || v > hi`), and the index check is `inIndex` of arith.ts.
 */
import type { Type, Value } from '../check/types.ts';

/** The first scalar of `value` outside its part of `type`, with that part's type; null when it fits. */
export function outOfRange(type: Type, value: Value): { readonly value: Value; readonly type: Type } | null {
  switch (type.kind) {
    case 'int':
      return typeof value === 'number' && value >= type.lo && value <= type.hi ? null : { value, type };
    case 'enum':
      return typeof value === 'number' && value >= 0 && value < type.members.length ? null : { value, type };
    case 'struct':
      for (let i = 0; i < type.fields.length; i++) {
        const bad = outOfRange(type.fields[i]!.type, parts(value)[i]!);
        if (bad) return bad;
      }
      return null;
    case 'array':
      for (const v of parts(value)) {
        const bad = outOfRange(type.element, v);
        if (bad) return bad;
      }
      return null;
    case 'bool': case 'integer': case 'lock':
      return null;
  }
}

function parts(v: Value): readonly Value[] {
  if (!Array.isArray(v)) throw new Error(`internal error: expected an aggregate, found ${JSON.stringify(v)}`);
  return v as readonly Value[];
}
