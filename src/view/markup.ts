/**
 * Small helpers for writing HTML as strings: every piece of model text,
 * name and value goes through `esc` (models contain `<`, `&` and quotes).
 */
import { fileLine, modelLine, type SourceFile, type Span } from '../text/source.ts';

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

/**
 * The 1-based line of a span's start, as the page keys lines (`L<n>`,
 * `data-line`): the file's line, or for a model of several files the line
 * in all of them laid end to end (text/source.ts modelLine), so that a key
 * names one line of one file.
 */
export function lineOf(file: SourceFile, span: Span): number {
  return modelLine(file, span.start);
}

/**
 * `<a href="#L42">gup-writeback.weft:42</a>`: the file's base name and its
 * line, the full path in the tooltip; `short` writes `line 42`. `line` is
 * a key of lineOf.
 */
export function lineLink(file: SourceFile, line: number, short = false): string {
  const at = fileLine(file, line);
  const base = at.path.split('/').pop() ?? at.path;
  const text = short ? (at.path === file.path ? `line ${at.line}` : `${esc(base)}:${at.line}`) : `${esc(base)}:${at.line}`;
  return `<a class="loc" href="#L${line}" data-line="${line}" title="${esc(`${at.path}:${at.line}`)}">${text}</a>`;
}

/** `1,234`: thousands separators without the locale, so output does not depend on the machine. */
export function group(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(n: number, word: string): string {
  return `${group(n)} ${word}${n === 1 ? '' : 's'}`;
}
