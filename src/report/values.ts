/**
 * Rendering run-time values by their declared type, as traces and reports
 * print them: enums by member name, locks by holder, structs with field
 * names. `formatValue` gives the text form, `jsonValue` the JSON form.
 */
import type { Program } from '../lower/ir.ts';
import { COMPLETION_ALL, REFCOUNT_SATURATED, type Type, type Value } from '../check/types.ts';
import type { LockKind } from '../syntax/ast.ts';
import { exclusiveHolder, readers, writer } from '../state/locks.ts';
import { assertNever } from '../util.ts';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * `true`, `3`, `rw`, `{dirty: true, pins: 1}`, `[free, phil[1]]`, `pinner`, `read: r[0], r[1]`, `write: w`, `saturated`,
 * a wait queue's waiters `{consumer, cpu[1]}`, a completed-for-all completion `all`.
 */
export function formatValue(type: Type, value: Value, program: Program): string {
  switch (type.kind) {
    case 'int':
      // A saturated refcount_t, a complete_all'd completion (JSON keeps the number).
      if (type.counter === 'completion' && value === COMPLETION_ALL) return 'all';
      return type.counter === 'refcount_t' && value === REFCOUNT_SATURATED ? 'saturated' : String(value);
    case 'bool':
    case 'integer':
      return String(value);
    case 'enum':
      return enumName(type.members, value);
    case 'struct': {
      const items = members(value);
      return `{${type.fields.map((f, i) => `${f.name}: ${formatValue(f.type, items[i]!, program)}`).join(', ')}}`;
    }
    case 'array':
      if (type.waitQueue) return `{${waiters(value, program).join(', ')}}`;
      return `[${members(value).map((v) => formatValue(type.element, v, program)).join(', ')}]`;
    case 'lock':
      return formatLock(type.lock, value, program);
    default:
      return assertNever(type);
  }
}

/** The instances a wait queue holds (a bool per instance, check/waitq.ts), by name. */
function waiters(value: Value, program: Program): string[] {
  return members(value).flatMap((on, i) => (on === true ? [program.instances[i]?.name ?? `#${i}`] : []));
}

/** A wait queue is one value in traces and the state view (`wq: {} -> {consumer}`), not a bool per instance. */
export function isLeafValue(type: Type): boolean {
  return type.kind !== 'struct' && (type.kind !== 'array' || type.waitQueue === true);
}

/** The JSON form: bools and integers as themselves, enums and locks as their text, structs as objects, arrays as arrays. */
export function jsonValue(type: Type, value: Value, program: Program): JsonValue {
  switch (type.kind) {
    case 'bool':
    case 'int':
    case 'integer':
      return value as boolean | number;
    case 'enum':
      return enumName(type.members, value);
    case 'struct': {
      const items = members(value);
      const out: Record<string, JsonValue> = {};
      type.fields.forEach((f, i) => { out[f.name] = jsonValue(f.type, items[i]!, program); });
      return out;
    }
    case 'array':
      if (type.waitQueue) return waiters(value, program);
      return members(value).map((v) => jsonValue(type.element, v, program));
    case 'lock':
      return formatLock(type.lock, value, program);
    default:
      return assertNever(type);
  }
}

/** `free`, the holder's instance name, or for an rwsem `read: r[0], r[1]` / `write: w`. */
export function formatLock(kind: LockKind, value: Value, program: Program): string {
  if (typeof value !== 'number') return String(value);
  const name = (i: number): string => program.instances[i]?.name ?? `#${i}`;
  if (kind !== 'rwsem') {
    const holder = exclusiveHolder(value);
    return holder === null ? 'free' : name(holder);
  }
  const w = writer(value);
  if (w !== null) return `write: ${name(w)}`;
  if (value === 0) return 'free';
  return `read: ${readers(value).map(name).join(', ')}`;
}

function enumName(names: readonly string[], value: Value): string {
  return typeof value === 'number' && names[value] !== undefined ? names[value] : `#${String(value)}`;
}

function members(value: Value): readonly Value[] {
  return Array.isArray(value) ? (value as readonly Value[]) : [];
}
