/**
 * Phase 1: text to AST. A failed match becomes one diagnostic at ohm's
 * rightmost failure position, with the expected tokens worded for people.
 */
import { grammar, semantics } from './grammar.ts';
import type { Model } from './ast.ts';
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import type { SourceFile } from '../text/source.ts';
import { compressComments, scan } from './scan.ts';
import { cHabit } from './habits.ts';

export interface Parsed {
  readonly model: Model | null;
  readonly diagnostics: readonly Diagnostic[];
  /** Tokens outside comments (scan.ts). */
  readonly tokens: number;
}

/**
 * Parses one file. `base` is where its text starts in the model's text (a
 * model of several files lays them end to end, text/source.ts): every span
 * of the AST is moved by it; the diagnostics keep offsets into `file`.
 */
export function parse(file: SourceFile, base = 0): Parsed {
  const scanned = scan(file);
  const tokens = scanned.tokens;
  if (scanned.fatal.length) return { model: null, diagnostics: scanned.fatal, tokens };
  // A byte order mark is whitespace (readSource strips it; this is for other callers).
  const text = file.text.startsWith('\ufeff') ? ` ${file.text.slice(1)}` : file.text;
  const short = compressComments(text, scanned.comments);
  const match = grammar.match(short.text);
  if (match.failed()) return { model: null, diagnostics: [syntaxError(file, short.toOriginal(match.getRightmostFailurePosition()), match.getExpectedText())], tokens };
  const model = semantics(match).toAst() as Model;
  if (short.text !== text || base !== 0) remapSpans(model, (o) => short.toOriginal(o) + base);
  return { model, diagnostics: scanned.numbers, tokens };
}

/** Moves every span of the AST from the shortened text to the file's. */
function remapSpans(node: unknown, toOriginal: (offset: number) => number, seen = new Set<object>()): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return;
  seen.add(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'span' && typeof value === 'object' && value !== null && !seen.has(value)) {
      seen.add(value);
      const sp = value as { start: number; end: number };
      (node as Record<string, unknown>)[key] = { start: toOriginal(sp.start), end: toOriginal(sp.end) };
    } else remapSpans(value, toOriginal, seen);
  }
}

const OPERATORS = new Set(['"?"', '"->"', '"||"', '"&&"', '"=="', '"!="', '"<"', '"<="', '">"', '">="', '"+"', '"-"', '"*"', '"/"', '"%"', '"."', '"["', '"@"']);

const EXPRESSION_STARTS = ['an identifier', 'a number', '"("', '"!"'];
const EXPRESSION_EXTRAS = new Set(['"self"', '"false"', '"true"', '"["', '"{"', '"exists"', '"forall"', '"-"']);

function syntaxError(file: SourceFile, pos: number, expectedText: string): Diagnostic {
  const rest = file.text.slice(pos);
  if (/^\/\*/.test(rest) && !rest.includes('*/')) return diag('W1002', file, { start: pos, end: pos + 2 });
  if (/^"/.test(rest) && !/^"([^"\\\n]|\\.)*"/.test(rest)) return diag('W1003', file, { start: pos, end: pos + 1 });
  // At the level of declarations (where `const` may come), an import is one too late.
  if (/^import\s*"/.test(rest) && /"const"/.test(expectedText)) return diag('W1030', file, { start: pos, end: pos + 6 }, [], ['help: move the imports of this file above its first declaration']);
  if (rest.startsWith('~>')) return diag('W3040', file, { start: pos, end: pos + 2 }, [], ['help: write it as its own property: liveness NAME: P ~> Q;']);
  const habit = cHabit(file, pos, expectedText);
  if (habit) return habit;
  // ohm lists every terminal that could have continued the parse; after a
  // complete expression that is a wall of operators, which helps nobody.
  const items = expectedText.split(/, or |, | or /).map((s) => s.trim()).filter(Boolean);
  const ops = items.filter((i) => OPERATORS.has(i));
  const others = items.filter((i) => !OPERATORS.has(i));
  let words = ops.length > 2 ? [...others, 'an operator'] : items;
  // Likewise the tokens that can start an expression.
  if (EXPRESSION_STARTS.every((t) => words.includes(t))) words = [...words.filter((w) => !EXPRESSION_STARTS.includes(w) && !EXPRESSION_EXTRAS.has(w)), 'an expression'];
  const expected = words.length <= 1 ? (words[0] ?? 'something else') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
  const found = foundToken(rest);
  const end = found === 'end of file' ? pos : pos + Math.min(found.length, 40);
  return diag('W1001', file, { start: pos, end }, [`${expected}, found ${found === 'end of file' ? found : `'${found}'`}`]);
}

function foundToken(rest: string): string {
  if (rest.length === 0) return 'end of file';
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|\.\.|->|[=!<>+\-]=|&&|\|\||\S)/.exec(rest);
  return m ? m[0] : 'end of file';
}
