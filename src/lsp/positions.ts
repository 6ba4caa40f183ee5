/**
 * Between Weft's positions and the protocol's. A Weft span is a pair of
 * UTF-16 offsets into a model's text, which lays the files of a model end
 * to end (text/source.ts); the protocol names a file by URI and a place by
 * 0-based line and UTF-16 character, which is what lineCol gives once made
 * 0-based. Every conversion goes through text/source.ts, so a span in an
 * imported file lands in that file.
 */
import { pathToFileURL } from 'node:url';
import type { Location, Position, Range } from 'vscode-languageserver';
import { lineCol, partAt, type SourceFile, type Span } from '../text/source.ts';

export function positionOf(src: SourceFile, offset: number): Position {
  const { line, col } = lineCol(src, Math.max(0, Math.min(offset, src.text.length)));
  return { line: line - 1, character: col - 1 };
}

export function rangeOf(src: SourceFile, span: Span): Range {
  return { start: positionOf(src, span.start), end: positionOf(src, Math.max(span.start, span.end)) };
}

/** The file a span lies in, as a URI (the model's paths are absolute: the server names the main file by its path). */
export function uriOf(src: SourceFile, span: Span): string {
  return pathToFileURL(partAt(src, span.start).path).href;
}

export function locationOf(src: SourceFile, span: Span): Location {
  return { uri: uriOf(src, span), range: rangeOf(src, span) };
}

/** True when the span lies in the main file (offset 0 to its length): what a document's own symbols are. */
export function inMainFile(src: SourceFile, span: Span): boolean {
  return partAt(src, span.start).start === 0;
}

/**
 * The offset of a protocol position in the main file's text: its line's
 * start plus the character, clamped to the line, so a stale position from
 * the editor never points past the text.
 */
export function offsetOf(text: string, pos: Position): number {
  let at = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  const end = text.indexOf('\n', at);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(at + Math.max(0, pos.character), lineEnd);
}
