/**
 * The limits of a search (states, time, Ctrl-C), the clock, and the memory
 * high-water mark, shared by both explorers.
 */
import type { IncompleteReason, Limits, Progress } from './verdict.ts';

/** Give the event loop (a SIGINT handler, a progress timer) a turn this often. */
const YIELD_MS = 50;
/**
 * Reading the resident set size is a system call, and a slow one while
 * other threads fault memory in (measured on the filter lock N=6: 0.1 ms
 * a reading on one thread, 0.3 ms with a worker, 9 ms at worst; at 10 ms
 * apart, the readings took 125 ms of a 5 s search): sample it this often,
 * and also whenever the caller is about to allocate more than
 * BIG_ALLOCATION at once, so that --max-memory stops in time (a search
 * grows by a few MB in 50 ms).
 */
const RSS_MS = 50;
const BIG_ALLOCATION = 16 * 2 ** 20;
/** How often Limits.onProgress hears from a running search. */
const PROGRESS_MS = 1000;

/** What an explorer knows of its own search; the budget adds the clock and memory. */
export type SearchProgress = Omit<Progress, 'seconds' | 'rssBytes' | 'maxMemoryBytes'>;

export class Budget {
  private readonly start = performance.now();
  /** The time limit counts from here: the run's start, which may be before the search's. */
  private readonly runStart: number;
  private lastYield = this.start;
  private peak = process.memoryUsage.rss();
  private rss = this.peak;
  private lastRss = this.start;
  private lastProgress = this.start;

  constructor(private readonly limits: Limits) {
    this.runStart = limits.startedAt ?? this.start;
  }

  /**
   * Samples memory, yields to the event loop when due, and says which limit
   * (if any) is hit. `upcoming` is memory the caller is about to allocate
   * (a bigger hash table), so the search stops before it, not after.
   * `progress` is asked for a snapshot only when one is due.
   */
  async check(upcoming: number, progress: () => SearchProgress): Promise<IncompleteReason | null> {
    const now = performance.now();
    if (upcoming > BIG_ALLOCATION || now - this.lastRss >= RSS_MS) {
      this.rss = process.memoryUsage.rss();
      this.lastRss = now;
      this.peak = Math.max(this.peak, this.rss);
    }
    const max = this.limits.maxMemoryBytes;
    if (max !== undefined && this.rss + upcoming > max) return 'max-memory';
    const report = this.limits.onProgress;
    if (report && now - this.lastProgress >= (this.limits.progressIntervalMs ?? PROGRESS_MS)) {
      this.lastProgress = now;
      const m = this.limits.maxMemoryBytes;
      report({ ...progress(), seconds: this.seconds(), rssBytes: this.rss, ...(m !== undefined ? { maxMemoryBytes: m } : {}) });
    }
    if (now - this.lastYield >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
    }
    if (this.limits.signal?.aborted) return 'interrupted';
    const t = this.limits.timeLimitSeconds;
    if (t !== undefined && (now - this.runStart) / 1000 >= t) return 'time-limit';
    return null;
  }

  /** Seconds of search (the statistics' time, so states/s is the search's rate). */
  seconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  peakMemory(): number {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak;
  }
}
