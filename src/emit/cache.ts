/**
 * The disk cache of compiled models. Compiled JavaScript is kept by a hash
 * of the model text, variant, options, Weft's generator version and the
 * TypeScript compiler's version, so checking an unchanged model again
 * neither loads nor runs the compiler (emit/compileTs.ts is imported only
 * on a miss).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CreateModel } from './contract.ts';
import { GENERATOR_VERSION } from './emitTs.ts';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
/** @ts-morph/bootstrap pins the TypeScript it bundles, so its version stands for the compiler's. */
const compilerVersion = (createRequire(import.meta.url)('@ts-morph/bootstrap/package.json') as { version: string }).version;

/** Where compiled models are kept; WEFT_CACHE_DIR overrides it. */
export function cacheDir(): string {
  return process.env.WEFT_CACHE_DIR ?? join(packageRoot, 'node_modules', '.cache', 'weft');
}

export function cacheKey(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of [`weft-generator-${GENERATOR_VERSION}`, `ts-morph-${compilerVersion}`, ...parts]) h.update(p).update('\0');
  return h.digest('hex').slice(0, 32);
}

export interface Loaded {
  readonly create: CreateModel;
  /** True when the JavaScript came from the cache. */
  readonly cached: boolean;
}

/**
 * Loads the compiled module for `key`, compiling `text()` first unless the
 * cache has it. The file is written under a temporary name and renamed, so
 * concurrent runs never load half a file.
 */
export async function loadModule(key: string, name: string, text: () => string): Promise<Loaded> {
  const dir = cacheDir();
  const path = join(dir, `${key}.mjs`);
  let cached = true;
  if (!existsSync(path)) {
    cached = false;
    const { compileTs } = await import('./compileTs.ts');
    const js = compileTs([{ name, text: text() }]).get(name);
    if (js === undefined) throw new Error(`internal error: TypeScript emitted nothing for ${name}`);
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, js);
    renameSync(tmp, path);
  }
  const mod = (await import(pathToFileURL(path).href)) as { create?: CreateModel };
  if (typeof mod.create !== 'function') throw new Error(`internal error: ${path} does not export create()`);
  return { create: mod.create, cached };
}

/** Loads compiled JavaScript without the disk cache (tests compile many models in one batch). */
export async function importJs(js: string): Promise<CreateModel> {
  const mod = (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)) as { create?: CreateModel };
  if (typeof mod.create !== 'function') throw new Error('internal error: compiled module does not export create()');
  return mod.create;
}
