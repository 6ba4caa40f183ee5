import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A temporary directory of the run's own, which must be empty at the end (test/setup/tmpdir.ts).
    globalSetup: ['test/setup/tmpdir.ts'],
    // The JSON report is what .ci/run reads its pass/fail counts from.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
    // Generous for ordinary tests (the slowest takes a few seconds on an idle
    // machine, so a run several times slower passes). The heavy cross-checks
    // (agreement, SPIN, fuzz, the browser's start) set no limit of their own
    // (0): their work is bounded by construction, so a slow machine makes
    // them slow, not failing.
    testTimeout: 120_000,
    // One test file per core. Vitest's default leaves a core to its main
    // process, which on a 2-core machine runs the files one at a time; the
    // main process does little, and the heavy files spend most of their
    // time in child processes (spin, tcc, gcc) and in TypeScript's checker.
    maxWorkers: availableParallelism(),
    hookTimeout: 120_000,
  },
});
