#!/usr/bin/env node
// The `weft` command. In a clone (src/cli.ts is there) it runs the
// TypeScript sources through tsx, so an edit takes effect at the next run
// with no build step and `npm install` is all a fresh clone needs; the
// packed package ships no src/cli.ts and runs dist/cli.js, the JavaScript
// `npm pack` built from the same sources (scripts/build.mjs).
import { existsSync } from 'node:fs';

// The test of src/package.ts's fromSources, made here before any TypeScript can be loaded.
const fromSources = existsSync(new URL('../src/cli.ts', import.meta.url));
let cli;
if (fromSources) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli.ts');
} else {
  cli = await import('../dist/cli.js');
}
const { main, guardStandardStreams } = cli;
// `weft check ... | head` closes the pipe early: not an error; a full disk is one line and exit 2.
guardStandardStreams();
const controller = new AbortController();
// The first Ctrl-C or SIGTERM ends the search cleanly with what it found (exit 3); a second one quits
// (130 or 143). A repeat within a second of the first is the same Ctrl-C again, not a second one: under
// `npx weft` or `npm run weft` the terminal signals weft and npm both, and npm forwards its copy to weft.
let first;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    const now = performance.now();
    if (first === undefined) {
      first = now;
      controller.abort();
    } else if (now - first > 1000) {
      process.exit(code);
    }
  });
}
process.exitCode = await main(process.argv.slice(2), undefined, controller.signal);
