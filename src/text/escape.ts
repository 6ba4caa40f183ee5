/**
 * Text from outside Weft (file paths, names, labels, assert messages, the
 * model's own text) on its way into something that gives characters a
 * meaning: generated code, a terminal. Every such place goes through one of
 * these functions, so a hostile path or label can neither break out of a
 * comment in generated TypeScript or Promela nor send escape sequences to
 * the terminal that prints a report.
 */

/**
 * `text` made safe inside a comment of generated code, `// ...` or
 * `/* ... *\/`, in TypeScript and in Promela (which SPIN passes through the
 * C preprocessor). Printable ASCII stays as it is, and `›` and `…` (call
 * paths, shortened statements);
 * every other character, and the backslash, becomes `\u{HEX}`, so no line
 * terminator (including U+2028 and U+2029) and no backslash before a line
 * end (a preprocessor line splice) can appear; a `*` before a `/` gets a
 * backslash between them, so a block comment cannot be closed.
 */
export function commentText(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += (c >= 0x20 && c <= 0x7e && ch !== '\\') || ch === '›' || ch === '…' ? ch : `\\u{${c.toString(16)}}`;
  }
  return out.replace(/\*\//g, '*\\/');
}

/**
 * `text` made safe for a terminal: the C0 controls (except newline and tab
 * when `lines` is true), DEL and the C1 controls become `\xHH`, so an ESC
 * or BEL in a model cannot move the cursor, recolour or retitle the
 * terminal; the bidirectional embeddings, overrides and isolates become
 * `\u{HHHH}`, so a line cannot be shown in another order than it is read.
 * With `lines` false (a file path, a name: one line) newline and tab are
 * escaped too.
 */
export function terminalText(text: string, lines = true): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (lines && (ch === '\n' || ch === '\t')) return ch;
    const c = ch.charCodeAt(0);
    return c > 0xff ? `\\u{${c.toString(16)}}` : `\\x${c.toString(16).padStart(2, '0')}`;
  });
}

/**
 * JSON for a terminal or a file: JSON.stringify escapes the C0 controls
 * but leaves DEL, the C1 controls and the bidirectional controls raw (and
 * U+2028/U+2029, which some JavaScript readers take as line ends); these
 * become `\uXXXX` too, so the text is still JSON and terminalText has
 * nothing left to change in it.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `text` as printable ASCII, for a report pasted into mail (`--format
 * mail`): every character outside space..`~` becomes `\u{HEX}`, newlines
 * included (callers split lines first), so a mail client can neither
 * rewrap, reorder nor mis-measure a line: its length is its width.
 */
export function asciiText(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c >= 0x20 && c <= 0x7e ? ch : `\\u{${c.toString(16)}}`;
  }
  return out;
}
