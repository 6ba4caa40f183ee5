/**
 * Loads compiled model JavaScript from memory through a data: URL, so the
 * module is the bytes that were checked (emit/cache.ts) and never a file
 * read again. Its own module so that a search's worker thread
 * (explore/worker.ts) imports only this, not the cache and the compiler.
 */
import type { CreateModel } from './contract.ts';

export async function importJs(js: string): Promise<CreateModel> {
  const mod = (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)) as { create?: CreateModel };
  if (typeof mod.create !== 'function') throw new Error('internal error: compiled module does not export create()');
  return mod.create;
}
