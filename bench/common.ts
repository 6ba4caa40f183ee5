/** What bench/run.ts and its parts share: the measured models' shape, a row of figures, the arguments. */
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export interface BenchModel {
  readonly name: string;
  readonly file: string;
  /** The option that sizes the model. */
  readonly option: string;
  readonly sizes: readonly number[];
  /** Sizes of a --quick run. */
  readonly quick: readonly number[];
  /** Sizes the reference (immer) explorer also runs: it is 10-100 times slower. */
  readonly reference: readonly number[];
  /** Other options, fixed. */
  readonly defines?: Record<string, string>;
  /** null: the model's first variant. */
  readonly variant?: string;
}


export type Tool = 'weft' | 'weft-tree' | 'weft-2w' | 'weft-ref' | 'spin-dfs' | 'spin-bfs' | 'spin-dfs-noclaim' | 'spin-bfs-noclaim'
  | 'spin-hand-dfs' | 'spin-hand-bfs' | 'spin-hand-dfs-por' | 'spin-hand-dfs-noclaim' | 'rumur-1' | 'rumur-2';
export const TOOL_NAMES: Record<Tool, string> = {
  weft: 'weft compiled', 'weft-tree': 'weft compiled tree', 'weft-2w': 'weft compiled 2 workers', 'weft-ref': 'weft reference',
  // SPIN on Weft's Promela export
  'spin-dfs': 'spin dfs', 'spin-bfs': 'spin bfs', 'spin-dfs-noclaim': 'spin dfs noclaim', 'spin-bfs-noclaim': 'spin bfs noclaim',
  // the peers written by hand (bench/peers/)
  'spin-hand-dfs': 'spin-hand dfs', 'spin-hand-bfs': 'spin-hand bfs', 'spin-hand-dfs-por': 'spin-hand dfs por', 'spin-hand-dfs-noclaim': 'spin-hand dfs noclaim',
  'rumur-1': 'rumur 1 thread', 'rumur-2': 'rumur 2 threads',
};

export interface Row {
  readonly model: string;
  readonly size: string;
  readonly tool: Tool;
  readonly complete: boolean;
  readonly note: string;
  readonly states: number;
  readonly transitions: number;
  readonly seconds: number;
  /** Peak RSS of the process, or null when it could not be measured. */
  readonly peakBytes: number | null;
  /** The tool's own accounting: Weft's state store, pan's "total actual memory usage". */
  readonly ownBytes: number | null;
  /** Bytes of one state vector (Weft's packed layout; pan's "State-vector N byte"). */
  readonly vector: number | null;
}

export interface Args {
  quick: boolean;
  only: string[];
  sizes: number[];
  spin: boolean;
  rumur: boolean;
  reference: boolean;
  markdown: boolean;
  json: string | null;
  timeLimit: number;
  maxMemory: number;
  /** Pairs of 1 and 2 worker runs whose median ratio the --workers target is read from. */
  pairs: number;
}

export const group = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The median of `xs` (the mean of the middle two for an even count). */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
