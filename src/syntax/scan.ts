/**
 * A cheap lexical pass over the text before ohm sees it, so that input that
 * would exhaust the parser (or every recursive walker after it) gets a
 * diagnostic instead of a stack overflow or gigabytes of memo tables: a NUL
 * byte, a file above the size limit, too many tokens, and nesting above
 * the depth limit. It also finds the numbers outside comments and strings,
 * for the 32-bit check. The limits are documented in docs/language.md
 * ("Limits"); the nesting costs are measured, see MAX_DEPTH.
 */
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import type { SourceFile, Span } from '../text/source.ts';

/** Bytes (UTF-16 units) of model text: 20 times the largest model in models/. */
export const MAX_FILE_SIZE = 1 << 20;
/**
 * Tokens outside comments: the parser's memo tables take some 20 KB a token
 * (20,000 tokens took 4 s and 400 MB); 10 times the largest model in models/.
 */
export const MAX_TOKENS = 25000;
/**
 * Nesting, in levels: a bracket costs BRACKET_COST, every operator and every
 * if, while, loop and else 1. The parser spends about eleven frames on a
 * bracket and overflowed Node's default stack at 70 brackets; the
 * TypeScript compiler of the generated code overflowed at about 550 `&&`.
 * 256 keeps every phase at under half of that (test/limits.test.ts runs
 * models at the limit through the whole pipeline).
 */
export const MAX_DEPTH = 256;
export const BRACKET_COST = 6;

const NESTING_WORDS = new Set(['if', 'while', 'loop', 'else']);
// Longest first, so that `->` is not read as `-`.
const OPERATORS = ['->', '&&', '||', '==', '!=', '<=', '>=', '+=', '-=', '..', '+', '-', '*', '/', '%', '!', '?', ':', '<', '>', '.', '='];
const NOT_NESTING = new Set(['+=', '-=', '..', '=']);

export interface Scanned {
  /** Errors that must stop the parse before ohm runs. */
  readonly fatal: readonly Diagnostic[];
  /** Numbers outside comments and strings, beyond 32 bits (reported only if the parse succeeds). */
  readonly numbers: readonly Diagnostic[];
  /** Every complete comment, in order (see compressComments). */
  readonly comments: readonly Span[];
  /** Tokens outside comments, counted up to MAX_TOKENS + 1 (the limit holds for a model's files together, syntax/imports.ts). */
  readonly tokens: number;
}

export function scan(file: SourceFile): Scanned {
  const text = file.text;
  const fatal: Diagnostic[] = [];
  const numbers: Diagnostic[] = [];
  const comments: Span[] = [];
  const nul = text.indexOf('\0');
  if (nul >= 0) fatal.push(diag('W1005', file, { start: nul, end: nul + 1 }));
  if (text.length > MAX_FILE_SIZE) {
    fatal.push(diag('W1006', file, { start: 0, end: 0 }, [text.length, MAX_FILE_SIZE]));
    return { fatal, numbers, comments, tokens: 0 };
  }

  // One frame per open bracket; `pending` counts the nesting tokens since the
  // current statement or list element began (each nests what follows it).
  const frames: { pending: number }[] = [{ pending: 0 }];
  let depth = 0;
  let tokens = 0;
  let resetAfter = false; // after `;` or `}`, unless the next token is `else`
  let deepest: Span | null = null;
  let tooMany: Span | null = null;
  const top = () => frames[frames.length - 1]!;
  const reset = () => { depth -= top().pending; top().pending = 0; };
  const deeper = (by: number, at: Span) => {
    depth += by;
    if (depth > MAX_DEPTH && !deepest) deepest = at;
  };

  let i = 0;
  while (i < text.length && !deepest) {
    const c = text[i]!;
    if (c <= ' ' || c === '\ufeff') { i++; continue; }
    if (text.startsWith('//', i)) { const nl = text.indexOf('\n', i); const end = nl < 0 ? text.length : nl; comments.push({ start: i, end }); i = end; continue; }
    if (text.startsWith('/*', i)) { const end = text.indexOf('*/', i + 2); if (end < 0) break; comments.push({ start: i, end: end + 2 }); i = end + 2; continue; }
    const start = i;
    let word = '';
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      if (text[i] !== '"') break;
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      word = text.slice(start, i);
    } else if (/[0-9]/.test(c)) {
      const m = /^(0x[0-9a-fA-F]+|[0-9]+)/.exec(text.slice(i, i + 64))!;
      i += m[0].length;
      const value = m[0].startsWith('0x') ? parseInt(m[0].slice(2), 16) : Number(m[0]);
      if (value > 0x7fffffff) numbers.push(diag('W1004', file, { start, end: i }, [m[0]]));
    } else {
      word = OPERATORS.find((op) => text.startsWith(op, i)) ?? c;
      i += word.length;
    }
    const at = { start, end: i };
    if (++tokens === MAX_TOKENS + 1) tooMany = at;
    if (resetAfter && word !== 'else') reset();
    resetAfter = false;
    if (word === '(' || word === '[' || word === '{') { frames.push({ pending: 0 }); deeper(BRACKET_COST, at); }
    else if (word === ')' || word === ']' || word === '}') {
      if (frames.length > 1) { reset(); frames.pop(); depth -= BRACKET_COST; }
      if (word === '}') resetAfter = true;
    } else if (word === ';') resetAfter = true;
    else if (word === ',') reset();
    else if (NESTING_WORDS.has(word) || (OPERATORS.includes(word) && !NOT_NESTING.has(word))) { top().pending++; deeper(1, at); }
  }
  if (deepest) fatal.push(diag('W1007', file, deepest, [MAX_DEPTH], [`note: a bracket counts ${BRACKET_COST} levels; an operator, if, while, loop or else 1`, 'help: name a part of the expression with a local, or move a part of the body into a fn']));
  if (tooMany) fatal.push(diag('W1008', file, tooMany, [MAX_TOKENS]));
  return { fatal, numbers, comments, tokens };
}

/**
 * The text ohm is given: each comment shortened to its two delimiters. Ohm
 * spends about a microsecond and several hundred bytes of memo table on
 * every character it reads, comments included, so a 1 MB comment took 9 s
 * and 800 MB. `toOriginal` maps an offset in the short text back.
 */
export function compressComments(text: string, comments: readonly Span[]): { text: string; toOriginal: (offset: number) => number } {
  const pieces: string[] = [];
  // After cutAt[k] (an offset in the short text), add removed[k].
  const cutAt: number[] = [];
  const removed: number[] = [];
  let from = 0;
  let short = 0;
  let total = 0;
  for (const c of comments) {
    const stub = text.startsWith('//', c.start) ? '//' : '/**/';
    if (c.end - c.start <= stub.length) continue;
    pieces.push(text.slice(from, c.start), stub);
    short += c.start - from + stub.length;
    total += c.end - c.start - stub.length;
    cutAt.push(short);
    removed.push(total);
    from = c.end;
  }
  if (cutAt.length === 0) return { text, toOriginal: (o) => o };
  pieces.push(text.slice(from));
  const toOriginal = (offset: number): number => {
    let lo = 0;
    let hi = cutAt.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cutAt[mid]! <= offset) lo = mid + 1; else hi = mid; }
    return lo === 0 ? offset : offset + removed[lo - 1]!;
  };
  return { text: pieces.join(''), toOriginal };
}
