/**
 * The limits of a search (states, time, Ctrl-C), the clock, and the memory
 * high-water mark, shared by both explorers.
 */
import type { IncompleteReason, Limits } from './verdict.ts';

/** Give the event loop (a SIGINT handler, a progress timer) a turn this often. */
const YIELD_MS = 50;

export class Budget {
  private readonly start = performance.now();
  private lastYield = this.start;
  private peak = process.memoryUsage.rss();

  constructor(private readonly limits: Limits) {}

  /**
   * Samples memory, yields to the event loop when due, and says which limit
   * (if any) is hit. `upcoming` is memory the caller is about to allocate
   * (a bigger hash table), so the search stops before it, not after.
   */
  async check(upcoming = 0): Promise<IncompleteReason | null> {
    const rss = process.memoryUsage.rss();
    this.peak = Math.max(this.peak, rss);
    const max = this.limits.maxMemoryBytes;
    if (max !== undefined && rss + upcoming > max) return 'max-memory';
    if (performance.now() - this.lastYield >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
    }
    if (this.limits.signal?.aborted) return 'interrupted';
    const t = this.limits.timeLimitSeconds;
    if (t !== undefined && this.seconds() >= t) return 'time-limit';
    return null;
  }

  seconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  peakMemory(): number {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak;
  }
}
