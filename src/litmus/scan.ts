/**
 * The lexical pass before ohm sees a litmus test: comments become spaces
 * (newlines kept, so every offset and line stays where it was), and input
 * that would exhaust the parser gets a diagnostic instead of a stack
 * overflow.
 *
 * Comments cannot be left to the grammar's `space`: `(* ... *)` is a
 * comment in the header, the init block and the condition, as herd's
 * state lexer reads them, but inside a thread's C code `(*x)` is an
 * expression (herd's splitter says as much: "(*" is legal and frequent
 * syntax in C). Which one it is depends on where the braces are, which
 * this pass tracks: the first `{` opens the init block, every later
 * top-level `{` a thread body. `/* *\/` and `//` are comments everywhere.
 */
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import type { SourceFile } from '../text/source.ts';

/** Characters of a litmus test: a hundred times the kernel's largest; ohm's memo tables grow with the text. */
export const MAX_LITMUS_SIZE = 200_000;
/**
 * Brackets ((, [, {) open at once. ohm spends a frame or more on each
 * precedence level of C's expressions at every bracket, and Node's stack
 * ends at a few hundred brackets; litmus tests nest a handful.
 */
export const MAX_LITMUS_DEPTH = 40;

export type Scanned = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function blankComments(file: SourceFile): Scanned {
  const text = file.text;
  if (text.length > MAX_LITMUS_SIZE) return fail(diag('W6013', file, { start: 0, end: 0 }, [text.length, MAX_LITMUS_SIZE]));
  const out = text.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  // 'header': up to the test's name (which may hold any character); 'init': before and in the init block; 'threads': after it.
  let section: 'header' | 'init' | 'threads' = 'header';
  let braces = 0;
  let brackets = 0;
  let i = 0;
  while (i < text.length) {
    const two = text.slice(i, i + 2);
    if (two === '//') {
      const end = text.indexOf('\n', i);
      blank(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    } else if (two === '/*' || (two === '(*' && !(section === 'threads' && braces > 0))) {
      const close = two === '/*' ? '*/' : '*)';
      const end = text.indexOf(close, i + 2);
      if (end < 0) return fail(diag('W6001', file, { start: i, end: i + 2 }, ['unterminated comment']));
      blank(i, end + 2);
      i = end + 2;
    } else if (section === 'header') {
      // The header is `C name`, whose name may hold any character but a space; spaces and comments may come around it.
      if (/\s/.test(text[i]!)) { i++; continue; }
      const eol = text.indexOf('\n', i);
      const line = text.slice(i, eol < 0 ? text.length : eol);
      i += /^\S*[ \t]*\S*/.exec(line)![0].length;
      section = 'init';
    } else if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return fail(diag('W6001', file, { start: i, end: i + 1 }, ['unterminated string']));
      i = end + 1;
    } else {
      const c = text[i]!;
      if (c === '{' || c === '(' || c === '[') {
        if (++brackets > MAX_LITMUS_DEPTH) return fail(diag('W6014', file, { start: i, end: i + 1 }, [MAX_LITMUS_DEPTH]));
        if (c === '{') braces++;
      } else if (c === '}' || c === ')' || c === ']') {
        brackets = Math.max(0, brackets - 1);
        if (c === '}') {
          braces = Math.max(0, braces - 1);
          if (braces === 0) section = 'threads';
        }
      }
      i++;
    }
  }
  return { ok: true, text: out.join('') };
}

function fail(d: Diagnostic): Scanned {
  return { ok: false, diagnostics: [d] };
}
