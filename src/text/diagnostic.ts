/**
 * Diagnostics are values: a code from the catalogue, the filled-in message,
 * the file and span they point at. Phases return them; only the CLI prints.
 */
import { messages, type Code } from './messages.ts';
import { lineCol, lineText, type SourceFile, type Span } from './source.ts';
import { terminalText } from './escape.ts';

export interface Diagnostic {
  readonly code: Code;
  readonly message: string;
  readonly file: SourceFile;
  readonly span: Span;
  /** Extra lines printed under the excerpt, e.g. "help: ...". */
  readonly notes: readonly string[];
}

export function diag(code: Code, file: SourceFile, span: Span, args: readonly (string | number)[] = [], notes: string[] = []): Diagnostic {
  const message = messages[code].replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
  return { code, message, file, span, notes };
}

/**
 * Renders a diagnostic the way compilers kernel developers use do:
 *
 *   error[W2001]: unknown name 'folo'
 *    --> models/gup.weft:12:5
 *      |
 *   12 |     folo.dirty = true;
 *      |     ^^^^
 */
export function formatDiagnostic(d: Diagnostic): string {
  const { line, col } = lineCol(d.file, d.span.start);
  const text = lineText(d.file, line).replace(/\t/g, ' ');
  const endOnLine = Math.min(d.span.end, d.span.start + Math.max(1, text.length - col + 1));
  const width = Math.max(1, endOnLine - d.span.start);
  const gutter = ' '.repeat(String(line).length);
  // Control characters in the line are printed escaped (`\x1b`), so the caret is placed under the escaped text.
  const before = terminalText(text.slice(0, col - 1), false);
  const marked = terminalText(text.slice(col - 1, col - 1 + width), false);
  const out = [
    `error[${d.code}]: ${d.message}`,
    `${gutter}--> ${d.file.path}:${line}:${col}`,
    `${gutter} |`,
    `${line} | ${terminalText(text, false)}`,
    `${gutter} | ${' '.repeat(before.length)}${'^'.repeat(Math.max(1, marked.length))}`,
  ];
  for (const note of d.notes) out.push(`${gutter} = ${note}`);
  return out.join('\n');
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.length > 0;
}

/** Stable order for printing: by file, then position, then code. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) =>
    a.file.path.localeCompare(b.file.path) || a.span.start - b.span.start || a.code.localeCompare(b.code));
}
