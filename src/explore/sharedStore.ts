/**
 * The parallel search's state store in shared memory: its arrays, its
 * constants and the events threads report (explore/expander.ts is the part
 * of a level's work one thread does over it; explore/parallel.ts drives).
 *
 * A state has two numbers. Its id says where its vector is: a thread takes
 * ids in blocks from a shared counter and writes a new state's vector at
 * its id before publishing it, so a vector is written once and never moved.
 * Its index is its place in the sequential search's order, known only when
 * the level is done; `order` maps index to id, and parents and moves are
 * kept by index, as the sequential store keeps them.
 *
 * The table is open addressing, one word a slot as in store.ts: a tag
 * (the top bits of the hash's second lane) above the id + 1. A thread
 * writes the vector and the owner first and then publishes the slot with
 * compareExchange 0 -> entry, so whoever reads the entry reads the vector
 * too; a probe that loses the race looks at the slot again. Every match
 * compares whole vectors, so the hash decides speed, never the result.
 * An id at or above the level's first is a state new in this level.
 *
 * Which discovery counts: a level is cut into chunks of consecutive heads,
 * which the threads claim in turn from a shared counter (so a thread that
 * finishes early takes more, and none waits for a slow one). Every
 * discovery in chunk c comes before every discovery in chunk c + 1 in the
 * sequential search's order, and within a chunk discoveries come in order.
 * The owner of a new state is the lowest chunk that discovered it (a
 * compareExchange-min on `owner`); a thread lists (id, parent, move, seq)
 * when it creates a state or lowers its owner to its chunk, and after the
 * level places the entries its chunks still own at indices given by the
 * prefix sums of the kept counts in chunk order: exactly the sequential
 * numbering, whatever the timing. A chunk keeps what it listed less what
 * lower chunks took from it: a thread that lowers an owner counts the
 * loss against the old owner's chunk, so the counts are known, in shared
 * memory, as soon as every thread is done expanding, and every thread
 * places without waiting for a message (placing checks them).
 */

/** Threads at most. */
export const MAX_THREADS = 64;
/** Chunks a level is cut into at most (an owner is a byte). */
export const MAX_CHUNKS = 255;
/** Ids a thread takes from the shared counter at a time. */
export const BLOCK = 256;
/** Growable shared buffers reserve this much address space (no memory until grown). */
const MAX_BYTES = 2 ** 32;
/**
 * The control array: the stop flag (a limit, Ctrl-C) the threads poll, the next free id, the next chunk to
 * claim, the workers that have loaded the model, the threads done expanding this level (expander.ts's
 * arrive), whether a thread gave up on the level (its room or the table was too small).
 */
export const STOP = 0;
export const NEXT_ID = 1;
export const NEXT_CHUNK = 2;
export const READY = 3;
export const DONE = 4;
export const ABORTED = 5;

/**
 * The chunks array, by chunk of the level: the entries the chunk listed, how many of them lower chunks
 * took (its kept count is the difference), and the thread that claimed it.
 */
export const LISTED = 0;
export const TAKEN = MAX_CHUNKS;
export const CLAIMER = 2 * MAX_CHUNKS;

/** Clears what a level counts in shared memory: done before the level's first request, which orders it. */
export function newLevel(buffers: Buffers): void {
  const control = new Int32Array(buffers.control);
  Atomics.store(control, NEXT_CHUNK, 0);
  Atomics.store(control, DONE, 0);
  Atomics.store(control, ABORTED, 0);
  new Int32Array(buffers.chunks).fill(0);
}

/** How a level of `heads` heads is cut into chunks of at least `least` heads (unless the level is smaller). */
export function chunking(heads: number, least: number): { chunks: number; size: number } {
  const chunks = Math.max(1, Math.min(MAX_CHUNKS, Math.ceil(heads / least)));
  return { chunks, size: Math.ceil(heads / chunks) };
}
/** Heads between two polls of the stop flag. */
export const POLL_EVERY = 1024;

export interface Buffers {
  readonly control: SharedArrayBuffer;
  /** Per chunk of the level (LISTED, TAKEN, CLAIMER). */
  readonly chunks: SharedArrayBuffer;
  /** By id: vectors, owners, whether a state property may hold (expander.ts's fresh()). By index: ids, parents (indices), moves. */
  readonly arena: SharedArrayBuffer;
  readonly owner: SharedArrayBuffer;
  readonly flags: SharedArrayBuffer;
  readonly order: SharedArrayBuffer;
  readonly parents: SharedArrayBuffer;
  readonly moves: SharedArrayBuffer;
}

/** What a thread needs to know of the model besides its code. */
export interface Shape {
  readonly steps: number;
  readonly properties: number;
  /** The index of `ranges`, of the deadlock property, or -1. */
  readonly ranges: number;
  readonly deadlock: number;
  /** 1 for each invariant and reachable property (those check() evaluates). */
  readonly stateProperties: Uint8Array;
}

/**
 * A candidate finding, keyed by its place in the sequential order: the
 * state being expanded (`head`, for a state property the new state's
 * parent) and the emission number within its expansion (`seq`).
 */
export interface Event {
  readonly kind: 'found' | 'fault' | 'fail' | 'warn' | 'deadlock';
  readonly property: number;
  readonly head: number;
  readonly seq: number;
  /** The state: for found and fault the new state's index, else the head. */
  readonly node: number;
  readonly instance: number;
  readonly step: number;
}

export const before = (a: Event, b: Event): number => a.head - b.head || a.seq - b.seq;

/** ES2024's growable SharedArrayBuffer (Node 20 has it; the TypeScript lib here predates it). */
interface Growable {
  readonly byteLength: number;
  readonly maxByteLength: number;
  grow(bytes: number): void;
}
type GrowableCtor = new (bytes: number, opts: { maxByteLength: number }) => SharedArrayBuffer;

/** An empty growable shared buffer (ensure() grows it). */
export function newGrowable(): SharedArrayBuffer {
  return new (SharedArrayBuffer as unknown as GrowableCtor)(0, { maxByteLength: MAX_BYTES });
}

export function newBuffers(): Buffers {
  return { control: new SharedArrayBuffer(32), chunks: new SharedArrayBuffer(4 * 3 * MAX_CHUNKS), arena: newGrowable(), owner: newGrowable(), flags: newGrowable(), order: newGrowable(), parents: newGrowable(), moves: newGrowable() };
}

/** Ids the vector array can hold at `words` words a vector (a shared array is at most MAX_BYTES). */
export function maxIds(words: number): number {
  return Math.floor(MAX_BYTES / (4 * words));
}

/** Grows `b` to hold at least `bytes` (by doubling, so growing costs little in all). */
export function ensure(buffer: ArrayBufferLike, bytes: number): void {
  const b = buffer as unknown as Growable;
  if (b.byteLength >= bytes) return;
  if (bytes > b.maxByteLength) throw new Error(`internal error: the parallel store is limited to ${b.maxByteLength} bytes per array`);
  b.grow(Math.min(b.maxByteLength, Math.max(bytes, b.byteLength * 2, 1 << 16)));
}

/** Grows `b` to exactly `bytes` (the parallel store's table, whose size is a power of two). */
export function growTo(buffer: ArrayBufferLike, bytes: number): void {
  const b = buffer as unknown as Growable;
  if (bytes > b.maxByteLength) throw new Error(`internal error: the parallel store is limited to ${b.maxByteLength} bytes per array`);
  if (b.byteLength < bytes) b.grow(bytes);
}

/**
 * A view of all of `b` as it is now. Views that track a growable buffer's
 * length are about ten times slower to index in Node 20 than fixed ones,
 * so views are fixed and made again when the buffer has grown.
 */
export function u32(b: ArrayBufferLike): Uint32Array {
  return new Uint32Array(b, 0, b.byteLength >>> 2);
}
export function i32(b: ArrayBufferLike): Int32Array {
  return new Int32Array(b, 0, b.byteLength >>> 2);
}
export function u8(b: ArrayBufferLike): Uint8Array {
  return new Uint8Array(b, 0, b.byteLength);
}
