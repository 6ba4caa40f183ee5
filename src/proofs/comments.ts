/**
 * A model's own prose, for the page `weft prove` writes about it: the
 * leading `//` block of the file and the block right above a declaration,
 * turned into Markdown. Models are commented like kernel code: paragraphs
 * of prose, `-` lists, and indented columns (who does what, verdicts per
 * variant). Prose and lists become Markdown as they are; an indented run
 * that is not a list keeps its layout in a `text` block, since Markdown
 * would run its columns together.
 */

/** The `//` lines at the top of the file, uncommented. */
export function leadingComment(source: string): string[] {
  const out: string[] = [];
  for (const line of source.split('\n')) {
    if (/^\s*\/\//.test(line)) out.push(line);
    else if (line.trim() === '' && out.length === 0) continue;
    else break;
  }
  return uncomment(out);
}

/** The `//` lines directly above the line of `offset` (no blank line between), uncommented. */
export function commentAbove(source: string, offset: number): string[] {
  const before = source.slice(0, offset).split('\n');
  before.pop();
  const out: string[] = [];
  while (before.length && /^\s*\/\//.test(before.at(-1)!)) out.unshift(before.pop()!);
  // A section rule such as `// ---- Variants ----` heads what follows; it is not the declaration's comment.
  while (out.length && /^\s*\/\/\s*-{3,}/.test(out[0]!)) out.shift();
  return uncomment(out);
}

function uncomment(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/^\s*\/\/ ?/, '').trimEnd());
}

const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s/;

/** Comment lines as Markdown: paragraphs, lists, and indented runs kept in `text` blocks. */
export function commentMarkdown(lines: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let inList = false;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      out.push('');
      i++;
    } else if (/^\s/.test(line) && !LIST_ITEM.test(line)) {
      // An indented run that is no list: columns to keep; it ends at an unindented line.
      const run: string[] = [];
      while (i < lines.length && (lines[i]!.trim() === '' ? /^\s/.test(lines[i + 1] ?? '') : /^\s/.test(lines[i]!))) run.push(lines[i++]!);
      out.push('', '```text', ...dedent(run), '```', '');
    } else if (LIST_ITEM.test(line)) {
      // A list item and its indented continuation lines: Markdown reads them as they are, dedented to
      // the item; a blank line before the list, since not every renderer lets a list interrupt prose.
      const indent = line.length - line.trimStart().length;
      if (out.length && out.at(-1) !== '' && !inList) out.push('');
      const item = [line];
      i++;
      while (i < lines.length && lines[i]!.trim() !== '' && !LIST_ITEM.test(lines[i]!) && lines[i]!.length - lines[i]!.trimStart().length > indent) item.push(lines[i++]!);
      out.push(...item.map((l) => escapeProse(l.slice(Math.min(indent, l.length - l.trimStart().length)))));
      inList = true;
      continue;
    } else {
      out.push(escapeProse(line));
      i++;
    }
    inList = false;
  }
  return tidy(out);
}

function dedent(lines: readonly string[]): string[] {
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent));
}

/** A `#` or `>` at the start would make a heading or a quote, and `<tag` would vanish as HTML. */
function escapeProse(line: string): string {
  return line.replace(/^(\s*)([#>])/, '$1\\$2').replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}

/** No blank lines at either end, never two in a row. */
function tidy(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    if (l === '' && (out.length === 0 || out.at(-1) === '')) continue;
    out.push(l);
  }
  while (out.at(-1) === '') out.pop();
  return out;
}
