/**
 * Where Weft's own files are and which version it is, the same whether it
 * runs from its TypeScript sources (src/, through tsx, in a clone) or from
 * the bundle `npm pack` builds (dist/cli.js, scripts/build.mjs): the
 * package root is the first directory above this module holding a
 * package.json, so paths are never counted in `..`s, which differ between
 * the two. The version is package.json's, its one definition.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`internal error: no package.json above ${from}`);
  }
}

/** The directory holding Weft's package.json, grammar/ and (in a clone) src/. */
export const packageRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A file of the package, by its path from the package root (e.g. `grammar/weft.ohm`). */
export function packageFile(path: string): string {
  return join(packageRoot, path);
}

/** Weft's version: package.json's `version`. */
export const VERSION = (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;

/**
 * True when Weft runs from its sources (a clone: src/cli.ts is there);
 * false for an installed package, which ships dist/ and not src/cli.ts.
 */
export const fromSources = existsSync(packageFile('src/cli.ts'));

/**
 * The default compile cache: in a clone, node_modules/.cache/weft (the
 * convention of build tools, removed with node_modules); for an installed
 * package, whose directory may belong to root, the user's cache directory.
 */
export function defaultCacheDir(): string {
  if (fromSources) return packageFile(join('node_modules', '.cache', 'weft'));
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'weft');
}
