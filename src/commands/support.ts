/**
 * What the commands share: the I/O they print through, usage errors (exit
 * 2, never a stack trace), reading models and writing outputs (a file that
 * cannot be read or written is a usage error naming it, and a FIFO is
 * refused rather than waited on), -D options, and finding the .weft files
 * under directories.
 */
import { closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseModel, type Loaded, type Reader } from '../pipeline.ts';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../text/diagnostic.ts';
import { messages, type Code } from '../text/messages.ts';
import { filesOf, withoutBom, type SourceFile } from '../text/source.ts';
import type * as A from '../syntax/ast.ts';

export { VERSION } from '../package.ts';

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

/**
 * What the real command line does when writing standard output or error
 * fails: a closed pipe (`weft check | head`) ends the run quietly with the
 * exit code so far; any other error (a full disk, /dev/full) is one line
 * on stderr naming the stream and the error, and exit 2, not a stack trace.
 */
export function guardStandardStreams(): void {
  for (const [stream, name] of [[process.stdout, 'standard output'], [process.stderr, 'standard error']] as const) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (stream !== process.stderr) {
        try { process.stderr.write(`weft: error[W5006]: ${usage('W5006', name, errnoText(e)).message}\n`); } catch { /* stderr is gone too */ }
      }
      process.exit(2);
    });
  }
}

/** Bad input or usage: printed as `weft: error: ...` (`weft: error[W5006]: ...` with a code), exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly code?: Code) {
    super(message);
  }
}

/** A usage error worded by the catalogue. */
export function usage(code: Code, ...args: (string | number)[]): UsageError {
  return new UsageError(messages[code].replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? '')), code);
}

/** `no space left on device (ENOSPC)` from Node's `ENOSPC: no space left on device, write`. */
export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or directory';
  const what = /^[A-Z0-9_]+: ([^,]*)/.exec(err.message ?? '')?.[1];
  return what && err.code ? `${what} (${err.code})` : err.message ?? String(e);
}

/** `a FIFO`, `a directory`: what a path is, when it is not a regular file. */
function kindOf(st: Stats): string {
  return st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : 'not a regular file';
}

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

/**
 * Reads a model or a record. Only a regular file is read: the file is
 * opened without blocking and looked at before reading, so a FIFO (which
 * would wait for a writer for ever) is refused, not read.
 */
export function readSource(path: string): SourceFile {
  const r = readRegularFile(path);
  if (!r.ok) throw usage('W5005', path, r.why);
  return { path, text: r.text };
}

/** readSource's reading, with the reason as a value when the file cannot be read. */
function readRegularFile(path: string): { ok: true; text: string } | { ok: false; why: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, why: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errnoText(e) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, why: `it is ${kindOf(st)}, not a file` };
    return { ok: true, text: withoutBom(readFileSync(fd, 'utf8')) };
  } catch (e) {
    return { ok: false, why: errnoText(e) };
  } finally {
    closeSync(fd);
  }
}

/**
 * The files of a model on disk, for `import` (syntax/imports.ts): a path
 * the model names is read under `root` (the directory the paths are
 * relative to; '' for the working directory), and a file's id is its real
 * path, so that two paths to one file are one file.
 */
export function diskFiles(root = ''): Reader {
  return (path) => {
    const at = root ? join(root, path) : path;
    const r = readRegularFile(at);
    return r.ok ? { ok: true, id: realId(at), text: r.text } : r;
  };
}

function realId(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Reads a model and every file it imports, and parses them: the main file
 * is named `path` (and read under `root`, as diskFiles does); one that
 * cannot be read is a usage error (W5005), an import that cannot be a
 * diagnostic in `diagnostics`.
 */
export function loadModelFile(path: string, root = ''): Loaded {
  const at = root ? join(root, path) : path;
  const main = readSource(at);
  return parseModel({ path, text: main.text, id: realId(at) }, diskFiles(root));
}

/**
 * Writes an output file (`--html`, `-o`, a proof). A write error is a
 * usage error naming the file; a FIFO or socket is refused rather than
 * waited on (it is opened without blocking). A character device such as
 * /dev/null is written.
 */
export function writeOutput(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK, 0o666);
  } catch (e) {
    throw usage('W5006', path, (e as NodeJS.ErrnoException).code === 'ENXIO' ? 'it is a FIFO, not a file' : errnoText(e));
  }
  try {
    const st = fstatSync(fd);
    if (st.isFIFO() || st.isSocket()) throw usage('W5006', path, `it is ${kindOf(st)}, not a file`);
    writeFileSync(fd, text);
  } catch (e) {
    throw e instanceof UsageError ? e : usage('W5006', path, errnoText(e));
  } finally {
    closeSync(fd);
  }
}

/** mkdir -p, as a usage error naming the directory when it fails. */
export function makeDirectory(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    throw usage('W5006', path, errnoText(e));
  }
}

/** rm, as a usage error naming the file when it fails. */
export function removeFile(path: string): void {
  try {
    rmSync(path);
  } catch (e) {
    throw usage('W5010', path, errnoText(e));
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
    if (!m) throw usage('W5009', d);
    const [, name, value] = m as unknown as [string, string, string];
    if (!declared.includes(name)) throw usage('W5001', name, declared.join(', ') || 'none');
    // Taking the last of two settings silently would check a configuration nobody asked for.
    if (Object.hasOwn(out, name)) throw usage('W5007', name, `${name}=${out[name]}`, `${name}=${value}`);
    out[name] = value;
  }
  return out;
}

/** The variant `--variant` names, or undefined for the first declared; an empty or undeclared name is a usage error. */
export function chosenVariant(variant: string | undefined, declared: readonly string[]): string | undefined {
  if (variant === undefined) return undefined;
  if (variant === '') throw usage('W5008', declared.join(', '));
  if (!declared.includes(variant)) throw usage('W5003', variant, declared.join(', '));
  return variant;
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
  return foundFiles(paths).map((f) => f.path);
}

function foundFiles(paths: readonly string[]): { path: string; found: boolean }[] {
  return paths.flatMap((p): { path: string; found: boolean }[] => {
    if (!isDirectory(p)) return [{ path: p, found: false }];
    let entries: string[];
    try {
      entries = readdirSync(p, { recursive: true }) as string[];
    } catch (e) {
      throw usage('W5005', p, errnoText(e));
    }
    const found = entries.filter((f) => f.endsWith('.weft')).sort();
    if (found.length === 0) throw new UsageError(`no .weft files under ${p}`);
    return found.map((f) => ({ path: join(p, f), found: true }));
  });
}

/** A model of modelsIn: its path, and the model loaded, or why its file cannot be read. */
export interface FoundModel {
  readonly path: string;
  readonly loaded: Loaded | UsageError;
}

/**
 * The models named, or found under the directories named, each loaded once
 * (loadModelFile; `name` gives the path a model is loaded as). A file found
 * under a directory that another file found or named imports is a part of
 * that model, not a model of its own: it is left out (a part need not be a
 * model, and its declarations are checked with each model that imports it).
 * Files that import each other (a cycle) are each kept, so that each
 * reports the cycle.
 */
export function modelsIn(paths: readonly string[], name: (path: string) => string = (p) => p): FoundModel[] {
  const all = foundFiles(paths).map((f) => {
    const path = name(f.path);
    let loaded: Loaded | UsageError;
    try {
      loaded = loadModelFile(path);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      loaded = e;
    }
    const reads = loaded instanceof UsageError ? new Set<string>() : new Set(filesOf(loaded.sources).slice(1).map((p) => realId(p.path)));
    return { path, found: f.found, loaded, id: realId(path), reads };
  });
  const part = (m: (typeof all)[number]): boolean => m.found && all.some((g) => g !== m && g.reads.has(m.id) && !m.reads.has(g.id));
  return all.filter((m) => !part(m)).map((m) => ({ path: m.path, loaded: m.loaded }));
}
