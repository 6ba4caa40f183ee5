/**
 * The model source panel: every line numbered, with the anchor id `L<n>`
 * that trace steps link to, and a light highlighting of comments, strings,
 * keywords and numbers (one regular expression; comments may span lines).
 */
import { filesOf, modelLine, type SourceFile } from '../text/source.ts';
import { esc } from './markup.ts';
import { BUILTINS } from '../check/builtins.ts';

const KEYWORDS = [
  'actor', 'assert', 'atomic', 'await', 'break', 'choose', 'const', 'daemon', 'deadlock', 'down_read', 'down_write',
  'else', 'enum', 'exists', 'expect', 'fn', 'forall', 'holds', 'if', 'in', 'invariant', 'loop', 'model', 'no',
  'option', 'or', 'pick', 'reachable', 'reached', 'self', 'shared', 'skip', 'struct', 'unreachable', 'var', 'variant',
  'violated', 'while',
];
/** Not reserved (a struct may have a field `lock`): the lock operations and kernel builtins, highlighted only when called. */
const LOCK_OPS = [...BUILTINS.keys()];
const TYPES = ['bool', 'mutex', 'spinlock', 'rwsem', 'atomic_t', 'refcount_t'];
const LITERALS = ['true', 'false'];

const TOKEN = new RegExp(
  [
    String.raw`(\/\/[^\n]*)`, // 1 line comment
    String.raw`(\/\*[\s\S]*?(?:\*\/|$))`, // 2 block comment (to the end if unterminated)
    String.raw`("(?:[^"\\\n]|\\.)*"?)`, // 3 string
    String.raw`(?<![.\w])(${KEYWORDS.join('|')})\b`, // 4
    String.raw`(?<![.\w])(${LOCK_OPS.join('|')})(?=\s*\()`, // 5
    String.raw`(?<![.\w])(${TYPES.join('|')})\b`, // 6
    String.raw`(?<!\w)(${LITERALS.join('|')}|0[xX][0-9a-fA-F]+|\d+)\b`, // 7
  ].join('|'),
  'g',
);
const CLASSES = ['', 'cm', 'cm', 'st', 'kw', 'kw', 'ty', 'lit'];

/** The source as highlighted lines of HTML, without their newlines. */
export function highlightLines(text: string): string[] {
  const lines: string[] = [''];
  const put = (cls: string, chunk: string): void => {
    chunk.split('\n').forEach((part, i) => {
      if (i > 0) lines.push('');
      const body = esc(part.replace(/\r$/, ''));
      if (body) lines[lines.length - 1] += cls ? `<span class="${cls}">${body}</span>` : body;
    });
  };
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    put('', text.slice(at, m.index));
    const group = m.findIndex((g, i) => i > 0 && g !== undefined);
    put(CLASSES[group] ?? '', m[0]);
    at = m.index + m[0].length;
  }
  put('', text.slice(at));
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/**
 * `marks` classes lines: `prop` for a violated property's declaration, so
 * it stands out before anything is clicked. Lines are keyed as lineOf
 * keys them (markup.ts); each shows its own file's number. A model of
 * several files shows every file, the main one first, each under its path.
 */
export function renderSource(file: SourceFile, marks: ReadonlyMap<number, string>): string {
  const parts = filesOf(file);
  const code = parts.flatMap((part, k) => {
    const first = modelLine(file, part.start);
    const lines = highlightLines(part.text).map((html, i) => {
      const n = first + i;
      const mark = marks.get(n);
      return `<div class="line${mark ? ` ${mark}` : ''}" id="L${n}" data-line="${n}"><a class="ln" href="#L${n}" tabindex="-1">${i + 1}</a><code>${html || ' '}</code></div>`;
    });
    return k === 0 ? lines : [`<h3 class="source-file" data-testid="source-file">${esc(part.path)}</h3>`, ...lines];
  });
  return [
    `<aside class="source" data-testid="source" aria-label="model source">`,
    `<h2 class="source-title"><span class="caption">model source</span> ${esc(file.path)}</h2>`,
    `<div class="code" data-testid="source-code">`,
    ...code,
    `</div>`,
    `</aside>`,
  ].join('\n');
}
