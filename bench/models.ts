/** The benchmark's models and sizes (bench/run.ts), shared with the test of the hand-written peers (test/peers.test.ts). */
import type { BenchModel } from './common.ts';

export const MODELS: readonly BenchModel[] = [
  { name: 'filter', file: 'bench/models/filter.weft', option: 'N', sizes: [3, 4, 5, 6], quick: [3, 4], reference: [3, 4] },
  { name: 'philosophers', file: 'bench/models/philosophers.weft', option: 'N', sizes: [5, 6, 12, 13, 14], quick: [5, 6], reference: [5, 6] },
  { name: 'gup-two-pinners', file: 'bench/models/gup-two-pinners.weft', option: 'USERS', sizes: [1, 2, 4, 5, 6], quick: [1, 2], reference: [1] },
];
