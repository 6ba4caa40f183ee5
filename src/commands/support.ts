/**
 * What the commands share: the I/O they print through, usage errors (exit
 * 2, never a stack trace), reading models and -D options, and finding the
 * .weft files under directories.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../text/diagnostic.ts';
import { withoutBom, type SourceFile } from '../text/source.ts';
import type * as A from '../syntax/ast.ts';

export const VERSION = '0.1.0';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Where the live progress line goes, when it is a terminal (only the real command line has one). */
  progress?: NodeJS.WriteStream;
}

/** The real command line's: stdout, stderr, and stderr for the progress line. */
export const defaultIo: Io = {
  progress: process.stderr,
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
};

/** Bad input or usage: printed as `weft: error: ...`, exit code 2. */
export class UsageError extends Error {}

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`expected a positive whole number, found '${v}'`);
  return n;
}

export function positiveNumber(v: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new UsageError(`expected a positive number of seconds, found '${v}'`);
  return n;
}

export function readSource(path: string): SourceFile {
  try {
    return { path, text: withoutBom(readFileSync(path, 'utf8')) };
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

export function printDiagnostics(ds: readonly Diagnostic[], io: Io): void {
  io.err(sortDiagnostics(ds).map(formatDiagnostic).join('\n\n'));
}

export function parseDefines(defines: readonly string[], model: A.Model): Record<string, string> {
  const declared = model.decls.filter((d): d is A.OptionDecl => d.kind === 'option').map((d) => d.name.name);
  const out: Record<string, string> = {};
  for (const d of defines) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(d);
    if (!m) throw new UsageError(`-D takes option=value, found '${d}'`);
    if (!declared.includes(m[1]!)) throw new UsageError(`unknown option '${m[1]}' (declared options: ${declared.join(', ') || 'none'})`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The .weft files named or found (recursively, in name order) under the directories named. */
export function modelFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    if (!isDirectory(p)) return [p];
    const found = (readdirSync(p, { recursive: true }) as string[]).filter((f) => f.endsWith('.weft')).sort();
    if (found.length === 0) throw new UsageError(`no .weft files under ${p}`);
    return found.map((f) => join(p, f));
  });
}
