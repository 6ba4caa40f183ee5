#!/usr/bin/env node
// Runs Weft from its TypeScript sources: tsx compiles them on load, so a
// fresh clone needs `npm install` and nothing else.
import { register } from 'tsx/esm/api';

register();
// `weft check ... | head` closes the pipe early; that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
}
const { main } = await import('../src/cli.ts');
const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  // The first Ctrl-C ends the search cleanly with what it found; a second one quits.
  if (++interrupts > 1) process.exit(130);
  controller.abort();
});
process.exitCode = await main(process.argv.slice(2), undefined, controller.signal);
