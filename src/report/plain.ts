/**
 * Plain text for mail (`--format mail`, `weft diff`): every line printable
 * ASCII and at most MAIL_WIDTH columns, so a report pasted into a reply on
 * a kernel list reads as it was printed. Text from the model goes through
 * asciiText first, so a line's length is its width.
 */
import { asciiText } from '../text/escape.ts';

/** The width of a mail line: what the kernel's lists expect of a reply. */
export const MAIL_WIDTH = 80;

/** `text` cut to `width` columns, ending in `...` where it was cut. */
export function fit(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 3 ? text.slice(0, width) : `${text.slice(0, width - 3)}...`;
}

/**
 * Words filled into lines of at most `width` columns: the first line starts
 * with `first`, the others with `rest` (a hanging indent); a word longer
 * than a line is cut (fit).
 */
export function wrap(text: string, width: number = MAIL_WIDTH, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of asciiText(text).split(' ').filter((w) => w !== '')) {
    const candidate = empty ? line + word : `${line} ${word}`;
    if (candidate.length <= width || empty) {
      line = candidate;
      empty = false;
      continue;
    }
    lines.push(fit(line, width));
    line = rest + word;
  }
  lines.push(fit(line, width));
  return lines;
}

/**
 * `name1, name2, ...` filled into lines after `head` (wrap, with `rest` as
 * the indent of the lines after the first).
 */
export function listLines(head: string, names: readonly string[], rest = '    '): string[] {
  return wrap(`${head}${names.join(', ')}`, MAIL_WIDTH, '', rest);
}
