/**
 * Small helpers for writing HTML as strings: every piece of model text,
 * name and value goes through `esc` (models contain `<`, `&` and quotes).
 */
import { lineCol, type SourceFile, type Span } from '../text/source.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for quoted attribute values alike. */
export function esc(text: string | number | boolean): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A fragment identifier made of `[A-Za-z0-9_-]` only, stable for the same name. */
export function idPart(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

/** The lane colours cycle through eight classes `c0`..`c7` (view/style.ts), by instance index. */
export function laneColour(instance: number): string {
  return `c${instance % 8}`;
}

/** The 1-based line of a span's start. */
export function lineOf(file: SourceFile, span: Span): number {
  return lineCol(file, span.start).line;
}

/**
 * `<a href="#L42">gup-writeback.weft:42</a>`: the file's base name, the
 * full path in the tooltip; `short` writes `line 42`.
 */
export function lineLink(file: SourceFile, line: number, short = false): string {
  const base = file.path.split('/').pop() ?? file.path;
  return `<a class="loc" href="#L${line}" data-line="${line}" title="${esc(`${file.path}:${line}`)}">${short ? `line ${line}` : `${esc(base)}:${line}`}</a>`;
}

/** `1,234`: thousands separators without the locale, so output does not depend on the machine. */
export function group(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(n: number, word: string): string {
  return `${group(n)} ${word}${n === 1 ? '' : 's'}`;
}
