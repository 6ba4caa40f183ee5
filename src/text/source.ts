/**
 * Source text and positions. A span is a pair of UTF-16 offsets into one
 * file's text; lines and columns are computed only when a message is printed.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export interface LineCol {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly col: number;
}

/**
 * A file's text as Weft reads it: without the UTF-8 byte order mark some
 * editors write, so that columns on the first line count from the first
 * character one sees.
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const lineTables = new WeakMap<SourceFile, number[]>();

/** Offsets at which each line starts, built once per file. */
function lineStarts(file: SourceFile): number[] {
  let starts = lineTables.get(file);
  if (!starts) {
    starts = [0];
    for (let i = 0; i < file.text.length; i++) if (file.text.charCodeAt(i) === 10) starts.push(i + 1);
    lineTables.set(file, starts);
  }
  return starts;
}

export function lineCol(file: SourceFile, offset: number): LineCol {
  const starts = lineStarts(file);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

/** The text of a 1-based line, without its newline. */
export function lineText(file: SourceFile, line: number): string {
  const starts = lineStarts(file);
  const start = starts[line - 1] ?? file.text.length;
  const next = starts[line];
  const end = next === undefined ? file.text.length : next - 1;
  return file.text.slice(start, end).replace(/\r$/, '');
}

/** `path:line:col` of a span's start. */
export function where(file: SourceFile, span: Span): string {
  const { line, col } = lineCol(file, span.start);
  return `${file.path}:${line}:${col}`;
}

/** `path:line` of a span's start, as traces print it. */
export function whereLine(file: SourceFile, span: Span): string {
  return `${file.path}:${lineCol(file, span.start).line}`;
}

export function spanText(file: SourceFile, span: Span): string {
  return file.text.slice(span.start, span.end);
}

export function join(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
