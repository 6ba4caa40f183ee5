/**
 * The encoding of lock values (see `lockValue` in check/types.ts), decoded
 * in one place for the interpreter, messages and reports. A mutex or
 * spinlock is 0 when free, holder + 1 when held. An rwsem is 0 when free, a
 * bit mask of reader instances when read-held, -(holder + 1) when
 * write-held. Reader bits use arithmetic, not JavaScript's 32-bit bitwise
 * operators, so that bit 31 does not turn the mask negative (which would
 * read as write-held).
 */
import { lockValue } from '../check/types.ts';

/** The holder of a mutex or spinlock, or null when it is free. */
export function exclusiveHolder(value: number): number | null {
  return value === lockValue.free ? null : value - 1;
}

/** The writer holding an rwsem, or null when it is free or read-held. */
export function writer(value: number): number | null {
  return value < 0 ? -value - 1 : null;
}

export function hasReader(value: number, instance: number): boolean {
  return value > 0 && Math.floor(value / 2 ** instance) % 2 === 1;
}

/** The instances holding an rwsem for reading, in increasing order. */
export function readers(value: number): number[] {
  const out: number[] = [];
  for (let i = 0, rest = value; rest > 0; i++, rest = Math.floor(rest / 2)) if (rest % 2 === 1) out.push(i);
  return out;
}

export function withReader(value: number, instance: number): number {
  return hasReader(value, instance) ? value : value + 2 ** instance;
}

export function withoutReader(value: number, instance: number): number {
  return hasReader(value, instance) ? value - 2 ** instance : value;
}
