#!/usr/bin/env node
// Builds dist/ from src/ with esbuild: the JavaScript the packed package
// runs (bin/weft.js loads dist/cli.js when src/ is not there), so an
// installed `weft` never compiles Weft's TypeScript at start-up. Run by
// `npm pack` (the `prepack` script) and by `npm run build`.
//
// One bundle of src/cli.ts with commander, ohm-js, immer and log-update
// inside (one file to read instead of a few hundred modules to resolve);
// code split at dynamic imports, so emit/compileTs.ts, and with it
// @ts-morph/bootstrap (left out: a runtime dependency, the TypeScript
// compiler, about 100 MB once loaded), is a chunk loaded only when a model
// is not in the compile cache. Files read at run time are not bundled:
// grammar/weft.ohm, grammar/litmus.ohm and src/emit/contract.ts ship as
// they are (package.json `files`), found through src/package.ts; the
// grammars are also compiled here, into ohm's recipes, so a start does not
// parse the .ohm text.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import * as ohm from 'ohm-js';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;
rmSync(outdir, { recursive: true, force: true });
// The grammars compiled here once rather than at every start (src/syntax/grammar.ts, src/litmus/grammar.ts).
const recipe = ohm.grammar(readFileSync(`${root}grammar/weft.ohm`, 'utf8')).toRecipe();
const litmusRecipe = ohm.grammar(readFileSync(`${root}grammar/litmus.ohm`, 'utf8')).toRecipe();
await build({
  absWorkingDir: root,
  // The parallel search's worker thread is an entry of its own (explore/parallel.ts starts dist/worker.js).
  entryPoints: { cli: 'src/cli.ts', worker: 'src/explore/worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@ts-morph/bootstrap'],
  define: { WEFT_GRAMMAR_RECIPE: JSON.stringify(recipe), WEFT_LITMUS_RECIPE: JSON.stringify(litmusRecipe) },
  // Bundled CommonJS (commander) calls require() for Node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __weftRequire } from 'node:module'; const require = __weftRequire(import.meta.url);" },
  logLevel: 'warning',
});
