/**
 * The liveness core alone (src/explore/liveness.ts) on random state graphs
 * of about a million and a half states, to see what the search costs apart
 * from any engine: prints states, transitions, seconds, states/s and
 * memory per scenario. Not a test: it only prints figures.
 *
 *   node --import tsx bench/liveness-core.ts [--states N] [--seed S]
 *
 * The graph: each state has two moves of weak instances 0 and 1 (to the
 * next state and to a random one: one giant strongly connected component),
 * and, at a share of the states, a move of strong instance 2 into a Q
 * state that loops for ever. Scenarios:
 * - strong everywhere: instance 2 is enabled at every state and never moves
 *   inside the component, so the refinement removes every state: holds,
 *   after a full search and one refinement round;
 * - strong at 1%: the refinement removes 1% of the states and the rest is
 *   fair: violated, with a cycle through the giant component;
 * - weak only: no refinement, violated at once.
 */
import { GraphBuilder, searchLiveness, type Fairness, type StateGraph } from '../src/explore/liveness.ts';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A deterministic generator (mulberry32), so runs compare. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function build(n: number, strongShare: number, seed: number): StateGraph {
  const next = random(seed);
  const sink = n - 1;
  const b = new GraphBuilder(n, 3);
  for (let s = 0; s < sink; s++) {
    b.add(s, 0, (s + 1) % sink);
    b.add(s, 1, Math.floor(next() * sink));
    if (next() < strongShare) b.add(s, 2, sink);
  }
  b.add(sink, 0, sink);
  return b.build();
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function measure(name: string, g: StateGraph, fairness: readonly Fairness[]): void {
  const q = new Uint8Array(g.stateCount);
  q[g.stateCount - 1] = 1;
  globalThis.gc?.();
  const before = process.memoryUsage();
  const start = performance.now();
  const r = searchLiveness(g, fairness, { kind: 'eventually', q });
  const seconds = (performance.now() - start) / 1000;
  const after = process.memoryUsage();
  const graphBytes = g.offsets.byteLength + g.targets.byteLength + g.instances.byteLength;
  const verdict = r.verdict === 'violated' ? `violated (stem ${r.counterexample.lasso.stem.length}, cycle ${r.counterexample.lasso.cycle.length})` : r.verdict;
  const stats = r.verdict === 'invalid' ? r.problem : `${r.stats.components} components, ${r.stats.refinements} refinements`;
  console.log(
    [
      name.padEnd(18),
      `${g.stateCount.toLocaleString('en')} states`,
      `${g.targets.length.toLocaleString('en')} transitions`,
      `${seconds.toFixed(2)} s`,
      `${Math.round(g.stateCount / seconds).toLocaleString('en')} states/s`,
      `graph ${mib(graphBytes)}`,
      `typed arrays +${mib(after.arrayBuffers - before.arrayBuffers)} (not yet collected), rss ${mib(after.rss)} (peak ${mib(process.resourceUsage().maxRSS * 1024)})`,
      verdict,
      stats,
    ].join('  '),
  );
}

const n = argument('--states', 1_500_000);
const seed = argument('--seed', 1);
measure('strong everywhere', build(n, 1, seed), ['weak', 'weak', 'strong']);
measure('strong at 1%', build(n, 0.01, seed), ['weak', 'weak', 'strong']);
measure('weak only', build(n, 0.01, seed), ['weak', 'weak', 'weak']);
