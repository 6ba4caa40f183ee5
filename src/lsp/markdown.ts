/**
 * Model text in hover Markdown: always inside a code span or fence longer
 * than any run of backticks in it, so a label or a message from a model is
 * shown as text and can never become a link, HTML or markup.
 */
export function code(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  const ticks = '`'.repeat(longestRun(flat) + 1);
  return `${ticks} ${flat} ${ticks}`;
}

export function fence(text: string, lang = 'weft'): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(text) + 1));
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

function longestRun(text: string): number {
  let best = 0;
  for (const m of text.matchAll(/`+/g)) best = Math.max(best, m[0].length);
  return best;
}
