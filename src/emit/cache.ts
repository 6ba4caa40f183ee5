/**
 * The disk cache of compiled models. Compiled JavaScript is kept under a
 * hash of the generated TypeScript and the TypeScript compiler's version,
 * so checking an unchanged model again neither loads nor runs the compiler
 * (emit/compileTs.ts is imported only on a miss). The key is derived from
 * the generated text itself, not from what a caller says the program was
 * built from, so no caller can make two programs share an entry.
 *
 * The cache is not trusted: each entry starts with a line holding the
 * sha256 of the JavaScript after it, checked on every load, and the module
 * is imported from the bytes that were checked (a data: URL), not from the
 * file again. A missing, short, corrupt or edited entry is compiled again
 * with a one-line note; a cache directory that cannot be written is a note
 * too, and the model is compiled in memory.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { CreateModel } from './contract.ts';
import { importJs } from './importJs.ts';
import { GENERATOR_VERSION, type Emitted } from './emitTs.ts';
import { defaultCacheDir, packageFile } from '../package.ts';

/** @ts-morph/bootstrap pins the TypeScript it bundles, so its version stands for the compiler's (its package.json is read, not the module). */
const compilerVersion = (createRequire(packageFile('package.json'))('@ts-morph/bootstrap/package.json') as { version: string }).version;

/** The first line of an entry: this, the sha256 of the rest in hex, a newline. */
const HEADER = '// weft-cache sha256 ';

/** Where compiled models are kept (package.ts: node_modules/.cache/weft in a clone, ~/.cache/weft installed); WEFT_CACHE_DIR overrides it. */
export function cacheDir(): string {
  return process.env.WEFT_CACHE_DIR ?? defaultCacheDir();
}

/** The entry for generated text `ts`. */
export function cacheKey(ts: string): string {
  const h = createHash('sha256');
  for (const p of [`weft-generator-${GENERATOR_VERSION}`, `ts-morph-${compilerVersion}`, ts]) h.update(p).update('\0');
  return h.digest('hex').slice(0, 32);
}

export interface Loaded {
  readonly create: CreateModel;
  /** The JavaScript it was imported from, checked (a parallel search's workers import it again: explore/parallel.ts). */
  readonly js: string;
  /** True when the JavaScript came from the cache. */
  readonly cached: boolean;
}

/**
 * Loads the compiled module of `emitted`, compiling it first unless the
 * cache has it intact. `note` gets one line when the cache is damaged or
 * cannot be written. The file is written under a temporary name and
 * renamed, so concurrent runs never load half a file.
 */
export async function loadModule(emitted: Emitted, name: string, note: (line: string) => void): Promise<Loaded> {
  const dir = cacheDir();
  const path = join(dir, `${cacheKey(emitted.text)}.mjs`);
  const entry = readEntry(path);
  if (entry.kind === 'ok') {
    const create = await importJs(entry.js).catch(() => null);
    if (create) return { create, js: entry.js, cached: true };
    note(`weft: note: the cached compiled model ${path} does not load; compiling it again`);
  } else if (entry.kind === 'damaged') {
    note(`weft: note: the cached compiled model ${path} is damaged (${entry.why}); compiling it again`);
  }
  const { compileTs } = await import('./compileTs.ts');
  const js = compileTs([{ name, text: emitted.text, steps: emitted.steps }]).get(name);
  if (js === undefined) throw new Error(`internal error: TypeScript emitted nothing for ${name}`);
  const written = writeEntry(dir, path, js);
  if (written !== null) note(`weft: note: cannot write the compile cache ${dir} (${written}); compiling in memory`);
  return { create: await importJs(js), js, cached: false };
}

type Entry = { kind: 'ok'; js: string } | { kind: 'missing' } | { kind: 'damaged'; why: string };

function readEntry(path: string): Entry {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'damaged', why: `cannot read it: ${code ?? String(e)}` };
  }
  const newline = text.indexOf('\n');
  if (!text.startsWith(HEADER) || newline < 0) return { kind: 'damaged', why: 'no checksum line' };
  const want = text.slice(HEADER.length, newline);
  const js = text.slice(newline + 1);
  if (sha256(js) !== want) return { kind: 'damaged', why: 'its checksum does not match' };
  return { kind: 'ok', js };
}

/** Writes the entry; null when it is written, else why not (the errno code). */
function writeEntry(dir: string, path: string, js: string): string | null {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, `${HEADER}${sha256(js)}\n${js}`);
    renameSync(tmp, path);
    return null;
  } catch (e) {
    try { rmSync(tmp, { force: true }); } catch { /* there is nothing to remove where nothing could be written */ }
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Loads compiled JavaScript from memory (also for tests, which compile many models in one batch). */
export { importJs };
