/**
 * Source text and positions. A span is a pair of UTF-16 offsets into the
 * model's text; lines and columns are computed only when a message is
 * printed.
 *
 * A model of several files (`import "x.weft";`) is still one offset space:
 * its SourceFile lays the files end to end in `text`, the main file first
 * (at offset 0, so its spans are those of the file alone), each followed by
 * GAP, and `files` says where each one starts. Every span-carrying
 * structure stays as it is; the functions below map an offset back to its
 * file, line and column, in this one place.
 */
import { dirname, relative } from 'node:path';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface SourceFile {
  /** The main file's path, as it was named (on the command line, or relative to it). */
  readonly path: string;
  readonly text: string;
  /** A model of several files: each file, the main one first. Absent: the model is this one file. */
  readonly files?: readonly SourcePart[];
}

/** One file of a model of several: its path and where its text lies in the model's text. */
export interface SourcePart {
  readonly path: string;
  readonly start: number;
  readonly length: number;
}

/**
 * What follows each file in a model's text. Two newlines: every file starts
 * a line, and a comment at the end of one file never reads as the comment
 * above the first declaration of the next (proofs/comments.ts).
 */
export const GAP = '\n\n';

export interface LineCol {
  /** The path of the file the offset lies in. */
  readonly path: string;
  /** 1-based, in that file. */
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

/** The model's text of files read (the main one first), laid end to end: one file is itself. */
export function joinFiles(files: readonly { readonly path: string; readonly text: string }[]): SourceFile {
  if (files.length === 1) return { path: files[0]!.path, text: files[0]!.text };
  const parts: SourcePart[] = [];
  let at = 0;
  for (const f of files) {
    parts.push({ path: f.path, start: at, length: f.text.length });
    at += f.text.length + GAP.length;
  }
  return { path: files[0]!.path, text: files.map((f) => f.text + GAP).join(''), files: parts };
}

/** Every file of the model, the main one first, with its text. */
export function filesOf(src: SourceFile): { readonly path: string; readonly start: number; readonly text: string }[] {
  return (src.files ?? [{ path: src.path, start: 0, length: src.text.length }]).map((p) => ({ path: p.path, start: p.start, text: src.text.slice(p.start, p.start + p.length) }));
}

/** The file an offset lies in (a file's end belongs to it). */
export function partAt(src: SourceFile, offset: number): SourcePart {
  const parts = src.files;
  if (!parts) return { path: src.path, start: 0, length: src.text.length };
  let lo = 0;
  let hi = parts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (parts[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return parts[lo]!;
}

const lineTables = new WeakMap<SourceFile, number[]>();

/** Offsets at which each line of the model's text starts, built once per model. */
function lineStarts(src: SourceFile): number[] {
  let starts = lineTables.get(src);
  if (!starts) {
    starts = [0];
    for (let i = 0; i < src.text.length; i++) if (src.text.charCodeAt(i) === 10) starts.push(i + 1);
    lineTables.set(src, starts);
  }
  return starts;
}

/**
 * The 1-based line of an offset in the model's whole text, counting the
 * files laid end to end: a key that is unique across files (the HTML view's
 * line anchors). For a model of one file it is the file's line.
 */
export function modelLine(src: SourceFile, offset: number): number {
  const starts = lineStarts(src);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The file and its 1-based line of a model line (modelLine). */
export function fileLine(src: SourceFile, line: number): { path: string; line: number } {
  const start = lineStarts(src)[line - 1] ?? src.text.length;
  const part = partAt(src, start);
  return { path: part.path, line: line - modelLine(src, part.start) + 1 };
}

export function lineCol(src: SourceFile, offset: number): LineCol {
  const line = modelLine(src, offset);
  const part = partAt(src, offset);
  return { path: part.path, line: line - modelLine(src, part.start) + 1, col: offset - lineStarts(src)[line - 1]! + 1 };
}

/** The text of the line an offset lies on, without its newline. */
export function lineAt(src: SourceFile, offset: number): string {
  const starts = lineStarts(src);
  const line = modelLine(src, offset);
  const start = starts[line - 1]!;
  const next = starts[line];
  const end = next === undefined ? src.text.length : next - 1;
  return src.text.slice(start, end).replace(/\r$/, '');
}

/** `path:line:col` of a span's start. */
export function where(src: SourceFile, span: Span): string {
  const { path, line, col } = lineCol(src, span.start);
  return `${path}:${line}:${col}`;
}

/** `path:line` of a span's start, as traces print it. */
export function whereLine(src: SourceFile, span: Span): string {
  const { path, line } = lineCol(src, span.start);
  return `${path}:${line}`;
}

/**
 * `file.weft:line` of a span's start with the path relative to the main
 * file's directory (shortPath), as the Promela export and generated code
 * name lines.
 */
export function whereShort(src: SourceFile, span: Span): string {
  const { path, line } = lineCol(src, span.start);
  return `${shortPath(src, path)}:${line}`;
}

/** A file of the model by its path relative to the main file's directory: the main file by its base name. */
export function shortPath(src: SourceFile, path: string): string {
  return relative(dirname(src.path), path) || path;
}

export function spanText(src: SourceFile, span: Span): string {
  return src.text.slice(span.start, span.end);
}

export function join(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
