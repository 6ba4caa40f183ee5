/**
 * The suite's own temporary directory. Every test, and every process a test
 * starts, sees TMPDIR (so os.tmpdir()) pointing at one fresh directory made
 * here; when the run ends it must be empty, or the run fails naming what
 * was left behind. So "tests leave nothing in the temporary directory" is
 * checked on every run, and other processes on a shared machine writing to
 * /tmp at the same time cannot make it fail. tsx keeps a compile cache in
 * the temporary directory of every `node --import tsx` it runs (the CLI
 * tests spawn bin/weft.js), which is turned off for the same reason.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'weft-test-run-'));
  process.env.TMPDIR = dir;
  process.env.TSX_DISABLE_CACHE = '1';
  return () => {
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });
    if (!left.length) return;
    // A teardown's exception is printed but does not change vitest's exit code: set it as well.
    process.exitCode = 1;
    throw new Error(`the tests left ${left.length} entries in the temporary directory: ${left.slice(0, 20).join(', ')}`);
  };
}
