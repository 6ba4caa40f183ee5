#!/usr/bin/env node
// Runs Weft from its TypeScript sources: tsx compiles them on load, so a
// fresh clone needs `npm install` and nothing else.
import { register } from 'tsx/esm/api';

register();
const { main, guardStandardStreams } = await import('../src/cli.ts');
// `weft check ... | head` closes the pipe early: not an error; a full disk is one line and exit 2.
guardStandardStreams();
const controller = new AbortController();
let interrupts = 0;
// The first Ctrl-C or SIGTERM ends the search cleanly with what it found (exit 3); a second one quits.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    if (++interrupts > 1) process.exit(code);
    controller.abort();
  });
}
process.exitCode = await main(process.argv.slice(2), undefined, controller.signal);
