/**
 * Diagnostics are values: a code from the catalogue, the filled-in message,
 * the model's text and the span they point at. Phases return them; only the
 * CLI prints. A span may lie in any file of a model of several: the
 * rendering names the file it lies in (text/source.ts).
 */
import { messages, type Code } from './messages.ts';
import { lineAt, lineCol, type SourceFile, type Span } from './source.ts';
import { terminalText } from './escape.ts';

export interface Diagnostic {
  readonly code: Code;
  readonly message: string;
  readonly file: SourceFile;
  readonly span: Span;
  /** Extra lines printed under the excerpt, e.g. "help: ...". */
  readonly notes: readonly string[];
  /** Other places the message is about (where a name was first declared), each printed with its excerpt. */
  readonly related: readonly Related[];
}

export interface Related {
  readonly span: Span;
  /** `note: 'x' is first declared here`. */
  readonly message: string;
}

export function diag(code: Code, file: SourceFile, span: Span, args: readonly (string | number)[] = [], notes: string[] = [], related: readonly Related[] = []): Diagnostic {
  const message = messages[code].replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
  return { code, message, file, span, notes, related };
}

/**
 * Renders a diagnostic the way compilers kernel developers use do:
 *
 *   error[W2001]: unknown name 'folo'
 *    --> models/gup.weft:12:5
 *      |
 *   12 |     folo.dirty = true;
 *      |     ^^^^
 *
 * and each related place the same way under its note.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const { gutter, lines } = excerpt(d.file, d.span);
  const out = [`error[${d.code}]: ${d.message}`, ...lines];
  for (const note of d.notes) out.push(`${gutter} = ${note}`);
  for (const r of d.related) out.push(r.message, ...excerpt(d.file, r.span).lines);
  return out.join('\n');
}

/** ` --> path:line:col`, the line, and a caret under the span. */
function excerpt(file: SourceFile, span: Span): { gutter: string; lines: string[] } {
  const { path, line, col } = lineCol(file, span.start);
  const text = lineAt(file, span.start).replace(/\t/g, ' ');
  const endOnLine = Math.min(span.end, span.start + Math.max(1, text.length - col + 1));
  const width = Math.max(1, endOnLine - span.start);
  const gutter = ' '.repeat(String(line).length);
  // Control characters in the line are printed escaped (`\x1b`), so the caret is placed under the escaped text.
  const before = terminalText(text.slice(0, col - 1), false);
  const marked = terminalText(text.slice(col - 1, col - 1 + width), false);
  return {
    gutter,
    lines: [
      `${gutter}--> ${terminalText(path, false)}:${line}:${col}`,
      `${gutter} |`,
      `${line} | ${terminalText(text, false)}`,
      `${gutter} | ${' '.repeat(before.length)}${'^'.repeat(Math.max(1, marked.length))}`,
    ],
  };
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.length > 0;
}

/** Stable order for printing: by file, then position, then code. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const fileOf = (d: Diagnostic): string => lineCol(d.file, d.span.start).path;
  return [...ds].sort((a, b) =>
    fileOf(a).localeCompare(fileOf(b)) || a.span.start - b.span.start || a.code.localeCompare(b.code));
}
