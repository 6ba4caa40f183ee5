/**
 * The lock rules, defined once: the encoding of lock values and the pure
 * transitions of mutex, spinlock and rwsem. The checker (the instance limit),
 * the reference interpreter (which words messages from a LockMisuse), the
 * runtime of the generated code (which turns a misuse into NaN) and the
 * Promela export (which renders the same tests in Promela) all follow it.
 *
 * Encoding: a mutex or spinlock is 0 when free and holder + 1 when held. An
 * rwsem is 0 when free, a bit mask of reader instances (bit i for instance
 * i) when read-held, and -(holder + 1) when write-held. The reader mask
 * fits 31 bits, so a model with an rwsem has at most 31 actor instances (the
 * checker enforces it). Reader bits use arithmetic, not JavaScript's 32-bit
 * bitwise operators, so that bit 31 does not turn the mask negative (which
 * would read as write-held).
 */

/** How a lock is taken or released: mutex and spinlock are exclusive; an rwsem is read or write. */
export type LockMode = 'exclusive' | 'read' | 'write';

export const MAX_RWSEM_INSTANCES = 31;

export const lockValue = {
  free: 0,
  heldBy: (instance: number) => instance + 1,
  writerOf: (instance: number) => -(instance + 1),
} as const;

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

/**
 * The lock's value with every holder i renamed to rename(i), a
 * permutation of the instances (symmetry reduction, explore/symmetry/): a
 * holder, a writer or each reader bit moves to its new instance.
 */
export function renameHolders(value: number, rwsem: boolean, rename: (instance: number) => number): number {
  const held = rwsem ? writer(value) : exclusiveHolder(value);
  if (held !== null) return rwsem ? lockValue.writerOf(rename(held)) : lockValue.heldBy(rename(held));
  if (!rwsem) return value;
  let mask: number = lockValue.free;
  for (let i = 0, rest = value; rest > 0; i++, rest = Math.floor(rest / 2)) if (rest % 2 === 1) mask = withReader(mask, rename(i));
  return mask;
}

/** Does `instance` hold the lock, in any mode? */
export function heldBy(value: number, rwsem: boolean, instance: number): boolean {
  return rwsem ? writer(value) === instance || hasReader(value, instance) : exclusiveHolder(value) === instance;
}

/**
 * Why a lock operation is a `locking` violation, or (`blocked`) why it
 * should not have been taken at all: an acquire is only taken where
 * canAcquire holds, so `blocked` is a bug in Weft, not in the model.
 */
export type LockMisuse =
  /** A mutex or spinlock taken again by its holder. */
  | { readonly kind: 'relock' }
  /** An rwsem taken (in `mode`) by an instance that holds it already, for writing or reading (`held`). */
  | { readonly kind: 'retake'; readonly mode: 'read' | 'write'; readonly held: 'read' | 'write' }
  /** A release of a lock that is free. */
  | { readonly kind: 'releaseFree'; readonly mode: LockMode }
  /** A release of a lock the instance does not hold (in that mode). */
  | { readonly kind: 'releaseNotHeld'; readonly mode: LockMode }
  /** An acquire of a lock held elsewhere: the step needed a canAcquire guard. */
  | { readonly kind: 'blocked'; readonly mode: LockMode };

export function isMisuse(r: number | LockMisuse): r is LockMisuse {
  return typeof r !== 'number';
}

/**
 * May instance `me` try to take the lock? It is free (for `read`, not
 * write-held), or already held by `me`, in which case the acquire is a
 * locking violation instead of a wait for ever.
 */
export function canAcquire(value: number, mode: LockMode, me: number): boolean {
  switch (mode) {
    case 'exclusive': return value === lockValue.free || exclusiveHolder(value) === me;
    case 'read': return value >= 0 || writer(value) === me;
    case 'write': return value === lockValue.free || writer(value) === me || hasReader(value, me);
  }
}

/**
 * Does a trylock in `mode` take the lock? It is free (for `read`, not
 * write-held), whoever asks: a trylock on a lock its caller holds fails,
 * as spin_trylock and mutex_trylock do, instead of deadlocking. The
 * acquire it then makes is `acquire`'s, so a down_read_trylock by an
 * instance that reads already is its `retake` (Weft counts no recursive
 * readers).
 */
export function lockFree(value: number, mode: LockMode): boolean {
  return mode === 'read' ? value >= 0 : value === lockValue.free;
}

/** The lock's value once `me` has taken it in `mode`, or the misuse. */
export function acquire(value: number, mode: LockMode, me: number): number | LockMisuse {
  if (mode === 'exclusive') {
    const holder = exclusiveHolder(value);
    if (holder === me) return { kind: 'relock' };
    if (holder !== null) return { kind: 'blocked', mode };
    return lockValue.heldBy(me);
  }
  if (writer(value) === me) return { kind: 'retake', mode, held: 'write' };
  if (hasReader(value, me)) return { kind: 'retake', mode, held: 'read' };
  if (mode === 'read') return value < 0 ? { kind: 'blocked', mode } : withReader(value, me);
  return value !== lockValue.free ? { kind: 'blocked', mode } : lockValue.writerOf(me);
}

/** The lock's value once `me` has released it from `mode`, or the misuse. */
export function release(value: number, mode: LockMode, me: number): number | LockMisuse {
  switch (mode) {
    case 'exclusive':
      if (exclusiveHolder(value) === me) return lockValue.free;
      break;
    case 'read':
      if (hasReader(value, me)) return withoutReader(value, me);
      break;
    case 'write':
      if (writer(value) === me) return lockValue.free;
      break;
  }
  return value === lockValue.free ? { kind: 'releaseFree', mode } : { kind: 'releaseNotHeld', mode };
}
