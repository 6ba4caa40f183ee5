/**
 * A C litmus test (herdtools7's format, as herd7 and the kernel's
 * tools/memory-model read it) to the memory program the LKMM engine
 * checks. Three steps: scan.ts blanks the comments, grammar/litmus.ohm
 * reads the rest (a failed match is one diagnostic at ohm's rightmost
 * failure, with the expected tokens worded for people), lower.ts gives it
 * its meaning. Every problem is a diagnostic value; nothing is thrown.
 */
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import type { SourceFile } from '../text/source.ts';
import { litmusGrammar, litmusSemantics } from './grammar.ts';
import { lowerLitmus, type LitmusResult } from './lower.ts';
import { blankComments, MAX_LITMUS_DEPTH } from './scan.ts';
import type { LitmusTest } from './syntax.ts';

export type { LitmusResult } from './lower.ts';

export function parseLitmus(source: SourceFile): LitmusResult {
  const scanned = blankComments(source);
  if (!scanned.ok) return scanned;
  // Another architecture's test (AArch64, X86...) is refused before its code, which is not C, makes a syntax error.
  const arch = /^\s*([A-Za-z][A-Za-z0-9_]*)/.exec(scanned.text);
  if (arch && arch[1] !== 'C') {
    const start = arch[0].length - arch[1]!.length;
    return { ok: false, diagnostics: [diag('W6010', source, { start, end: arch[0].length }, [arch[1]!], ["help: Weft reads herd7's C litmus tests, whose first line is 'C name'"])] };
  }
  try {
    const match = litmusGrammar.match(scanned.text);
    if (match.failed()) return { ok: false, diagnostics: [syntaxError(source, scanned.text, match.getRightmostFailurePosition(), match.getExpectedText())] };
    return lowerLitmus(source, litmusSemantics(match).syntax() as LitmusTest);
  } catch (e) {
    // The scanner's bracket limit keeps the parser's stack in bounds; a long enough chain of
    // operators (`!!!!...x`) can still exhaust it, and that is the test's nesting too.
    if (e instanceof RangeError) return { ok: false, diagnostics: [diag('W6014', source, { start: 0, end: 0 }, [MAX_LITMUS_DEPTH])] };
    throw e;
  }
}

const OPERATORS = new Set(['"||"', '"&&"', '"|"', '"^"', '"&"', '"=="', '"!="', '"<"', '"<="', '">"', '">="', '"+"', '"-"', '"*"', '"/"', '"%"', '"["', '"\\/"', '"/\\"', '"=>"']);

/** What ohm lists where an expression or a condition may start, and the one word that says it. */
const STARTS: readonly { readonly all: readonly string[]; readonly also: readonly string[]; readonly word: string }[] = [
  { all: ['a number', 'a name', '"("', '"!"'], also: ['"-"', '"*"', '"&"'], word: 'an expression' },
  { all: ['a name', '"("', '"true"', '"false"'], also: ['a thread number', '"not"', '"~"'], word: 'a condition' },
];

/** `text` is the scanned text: comments are spaces there, so the token found is never inside one. */
function syntaxError(file: SourceFile, text: string, pos: number, expectedText: string): Diagnostic {
  while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  // ohm escapes backslashes (`"\\/"`); the message shows the tokens as they are written.
  let items = expectedText.split(/, or |, | or /).map((s) => s.trim().replace(/\\\\/g, '\\')).filter(Boolean);
  for (const s of STARTS) {
    if (s.all.every((i) => items.includes(i))) items = [...items.filter((i) => !s.all.includes(i) && !s.also.includes(i)), s.word];
  }
  // After a complete expression, ohm lists every operator that could continue it.
  const ops = items.filter((i) => OPERATORS.has(i));
  const words = ops.length > 2 ? [...items.filter((i) => !OPERATORS.has(i)), 'an operator'] : items;
  const expected = words.length <= 1 ? (words[0] ?? 'something else') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|\/\\|\\\/|[=!<>]=|&&|\|\||\S)/.exec(text.slice(pos));
  const found = m ? `'${m[0]}'` : 'end of file';
  return diag('W6001', file, { start: pos, end: pos + (m ? Math.min(m[0].length, 40) : 0) }, [`expected ${expected}, found ${found}`]);
}
