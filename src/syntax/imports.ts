/**
 * A model of several files: `import "path";` at the top of a file brings in
 * the declarations of another, whose path is relative to the importing
 * file's directory. This reads the main file's imports, theirs, and so on,
 * parses each file once (a file imported twice, as in a diamond, is one
 * file of the model), and joins them into one Model whose declarations come
 * in the order C's #include would give them: an imported file's before the
 * importer's, at its first import. The files are laid end to end in one
 * offset space (text/source.ts), so every span of the joined AST names its
 * file, and the phases after this one never see a file boundary.
 *
 * Reading is the caller's (a Reader): the command line reads the disk, the
 * tests and docs examples read from memory. The rules, documented in
 * docs/language.md ("Models in several files"):
 *   - a path is relative, with `/` between directories; an absolute one is
 *     refused, so that a model (and its proofs) reads the same on every
 *     machine; `..` may leave the main file's directory;
 *   - a file is the same file when the Reader gives the same id (the disk
 *     reader's is the real path, so a symbolic link is no second file);
 *   - an import cycle, a file that cannot be read, and a path refused are
 *     diagnostics at the import, in the importing file;
 *   - `model NAME;` of the main file names the model; an imported file's
 *     is ignored (it names that file when it is checked on its own);
 *   - the limits on characters and tokens hold for the files together.
 */
import { dirname, join, normalize } from 'node:path/posix';
import type { Decl, Import, Model } from './ast.ts';
import { parse } from './parse.ts';
import { MAX_FILE_SIZE, MAX_TOKENS } from './scan.ts';
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import { terminalText } from '../text/escape.ts';
import { GAP, joinFiles, type SourceFile, type Span } from '../text/source.ts';

/** A file read: its text, and an id that is the same for every path to the same file. */
export type ReadResult = { readonly ok: true; readonly id: string; readonly text: string } | { readonly ok: false; readonly why: string };
export type Reader = (path: string) => ReadResult;

/** Files one model may read, the main one included: far above any model's, and a bound on the depth of the walks below. */
export const MAX_FILES = 256;

export interface Loaded {
  /** Every file read, the main one first: what the model's spans index, and what its proofs' hash covers. */
  readonly sources: SourceFile;
  readonly model: Model | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** Imports are refused where no file can be read (a model given as text alone). */
export const noFiles: Reader = () => ({ ok: false, why: 'this model is text alone, not a file, so it can import nothing' });

interface Loading {
  readonly path: string;
  readonly id: string;
  readonly text: string;
  readonly base: number;
  readonly model: Model | null;
  /** Offsets into this file's text. */
  readonly diagnostics: readonly Diagnostic[];
  /** Index in `files` of the file each of its imports names, or null where it failed. */
  readonly targets: (number | null)[];
}

interface Problem {
  readonly code: 'W1031' | 'W1032' | 'W1033' | 'W1008' | 'W1034';
  readonly span: Span;
  readonly args: (string | number)[];
  readonly notes: string[];
}

export function loadModel(main: { readonly path: string; readonly text: string; readonly id?: string }, read: Reader): Loaded {
  const files: Loading[] = [];
  const problems: Problem[] = [];
  let end = 0;
  let tokens = 0;
  let stopped = false;

  const add = (path: string, id: string, text: string): number => {
    const base = end;
    end += text.length + GAP.length;
    const parsed = parse({ path, text }, base);
    tokens += parsed.tokens;
    files.push({ path, id, text, base, model: parsed.model, diagnostics: parsed.diagnostics, targets: [] });
    return files.length - 1;
  };

  /** Reads the imports of file `at`, depth first; `stack` holds the files being read, outermost first. */
  const visited = new Set<number>();
  const visit = (at: number, stack: number[]): void => {
    visited.add(at);
    const file = files[at]!;
    for (const imp of file.model?.imports ?? []) {
      const target = stopped ? null : resolve(file, imp, stack);
      file.targets.push(target);
      if (target !== null && !visited.has(target)) visit(target, [...stack, target]);
    }
  };

  const resolve = (file: Loading, imp: Import, stack: readonly number[]): number | null => {
    const refused = refusal(imp.path.text);
    const shown = terminalText(imp.path.text, false);
    if (refused) { problems.push({ code: 'W1033', span: imp.path.span, args: [shown, refused], notes: [] }); return null; }
    const path = normalize(join(dirname(file.path), imp.path.text));
    const got = read(path);
    if (!got.ok) { problems.push({ code: 'W1031', span: imp.path.span, args: [shown, `${terminalText(path, false)}: ${got.why}`], notes: [] }); return null; }
    const known = files.findIndex((f) => f.id === got.id);
    if (known >= 0 && stack.includes(known)) {
      const cycle = [...stack.slice(stack.indexOf(known)), known].map((i) => terminalText(files[i]!.path, false));
      problems.push({ code: 'W1032', span: imp.span, args: [cycle.join(' → ')], notes: ['note: a file cannot import itself, directly or through the files it imports', 'help: move what both files need into a third file that both import'] });
      return null;
    }
    if (known >= 0) return known;
    const limit = tooLarge(end + got.text.length, files.length + 1);
    if (limit) { problems.push({ ...limit, span: imp.span }); stopped = true; return null; }
    const index = add(path, got.id, got.text);
    if (tokens > MAX_TOKENS) { problems.push({ code: 'W1008', span: imp.span, args: [MAX_TOKENS], notes: ['note: the limit holds for the files of a model together'] }); stopped = true; }
    return index;
  };

  add(main.path, main.id ?? normalize(main.path), main.text);
  visit(0, [0]);

  // A model of one file is that file, as given.
  const sources = files.length === 1 ? main : joinFiles(files);
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    // Each file's own diagnostics, moved into the model's offset space.
    for (const d of f.diagnostics) diagnostics.push({ ...d, file: sources, span: { start: d.span.start + f.base, end: d.span.end + f.base } });
  }
  for (const p of problems) diagnostics.push(diag(p.code, sources, p.span, p.args, p.notes));
  if (diagnostics.length || files.some((f) => !f.model)) return { sources, model: null, diagnostics };
  return { sources, model: joined(files), diagnostics: [] };
}

/** Why an import path (or any path a model names) is refused, or null. */
export function refusal(path: string): string | null {
  if (path === '') return 'it is empty';
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'it holds a control character';
  if (path.includes('\\')) return "a backslash is not a directory separator here: write '/'";
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'it is absolute: name it relative to the importing file, so that the model reads the same on every machine';
  return null;
}

function tooLarge(characters: number, count: number): Omit<Problem, 'span'> | null {
  // The characters of the files, without the gaps between them.
  const text = characters - (count - 1) * GAP.length;
  if (count > MAX_FILES) return { code: 'W1034', args: [`it reads more than ${MAX_FILES} files`], notes: [] };
  if (text > MAX_FILE_SIZE) return { code: 'W1034', args: [`its files hold more than ${MAX_FILE_SIZE} characters together`], notes: ['note: the limit on the size of one file holds for the files of a model together'] };
  return null;
}

/** The declarations of every file, each imported file's before its importer's, at its first import. */
function joined(files: readonly Loading[]): Model {
  const decls: Decl[] = [];
  const placed = new Set<number>();
  const place = (at: number): void => {
    placed.add(at);
    for (const t of files[at]!.targets) if (t !== null && !placed.has(t)) place(t);
    decls.push(...files[at]!.model!.decls);
  };
  place(0);
  const main = files[0]!.model!;
  return { ...main, decls };
}
