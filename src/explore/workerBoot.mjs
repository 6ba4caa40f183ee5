// The worker thread's entry when Weft runs from its TypeScript sources (a
// clone): a worker does not inherit the main thread's tsx, so it registers
// tsx itself before importing worker.ts. The installed package runs
// dist/worker.js instead (scripts/build.mjs).
const { register } = await import('tsx/esm/api');
register();
await import('./worker.ts');
