/**
 * Golden files: an observable output is compared with a file committed
 * beside its input. `npm run accept` (WEFT_ACCEPT=1) rewrites them; every
 * difference then shows in review as a diff of that file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export const accepting = process.env.WEFT_ACCEPT === '1';

export function expectGolden(path: string, actual: string): void {
  const text = actual.endsWith('\n') ? actual : `${actual}\n`;
  if (accepting) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing: run \`npm run accept\` and review the new file`);
  expect(text, `${path} differs; if the change is intended, run \`npm run accept\``).toBe(readFileSync(path, 'utf8'));
}
