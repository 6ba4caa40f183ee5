/**
 * The header comment of a Promela export: what the model is, the pan runs
 * that check it (safety, and each liveness formula), and the liveness
 * properties left out where pan cannot give the model's fairness, with why
 * (docs/promela.md, "Liveness").
 */
import type { Program } from '../lower/ir.ts';
import { filesOf, shortPath, whereShort } from '../text/source.ts';
import type { LivenessClaims, OmittedLiveness } from './promelaLtl.ts';
import { basename, comment } from './promelaSteps.ts';

/** The header comment: what the model is and how to check it (`claimName`: the invariants' claim, null when there is none). */
export function header(program: Program, liveness: LivenessClaims | undefined, omitted: readonly OmittedLiveness[], claimName: string | null): string[] {
  const file = basename(program.file.path);
  // A model of several files: the others, relative to the main file's directory, as the comments below name them.
  const imported = filesOf(program.file).slice(1).map((f) => shortPath(program.file, f.path));
  const options = Object.entries(program.options).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ');
  // Without -N, pan takes one claim of its choosing; with ltl formulas there are several.
  const pick = liveness && claimName !== null ? ` -N ${claimName}` : '';
  const safety = !liveness || claimName !== null
    ? [
      ' *   spin -a -o1 -o2 MODEL.pml && gcc -O2 -DSAFETY -DNOREDUCE -o pan pan.c && ./pan' + pick + ' -m1000000 -c0',
      ' * (-o1 -o2: no dead-variable reduction, no hidden write-only variables) and,',
      ' * for deadlocks (pan checks end states only when there is no never claim),',
      ' *   gcc -O2 -DSAFETY -DNOREDUCE -DNOCLAIM -o pan pan.c && ./pan -m1000000 -c0',
    ]
    : [
      ' *   spin -a -o1 -o2 MODEL.pml && gcc -O2 -DSAFETY -DNOREDUCE -DNOCLAIM -o pan pan.c && ./pan -m1000000 -c0',
      ' * (-o1 -o2: no dead-variable reduction, no hidden write-only variables;',
      ' * -DNOCLAIM: leave out the ltl formulas, and check end states, Weft\'s deadlock).',
    ];
  const fair = liveness?.weakFairness ?? false;
  const live = liveness
    ? [
      ' * Each liveness property is an ltl formula of the same name, a never claim',
      ' * of its own: check each alone, for acceptance cycles,',
      ` *   gcc -O2 ${liveness.defines.join(' ')} -o pan_ltl pan.c && ./pan_ltl -a${fair ? ' -f' : ''} -N NAME -m1000000`,
      fair
        ? ' * (-f: pan\'s weak fairness, for every process; every instance here is owed weak fairness).'
        : ' * (no -f: no instance here is owed fairness).',
      ' * "acceptance cycle" means violated. That is Weft\'s verdict while no step',
      ' * fails ("assertion violated" in the same run): a failing step returns to its',
      ' * own label, a move in pan but no transition in Weft.',
    ]
    : omittedParagraph(program, omitted);
  return [
    '/*',
    ` * ${comment(program.model)}, variant ${comment(program.variant)}: exported by Weft from ${comment(file)}.`,
    ...(imported.length ? [` * It imports ${comment(imported.join(', '))}; comments name lines as file:line.`] : []),
    ...(options ? [` * Options: ${comment(options)}.`] : []),
    ' *',
    ' * Each Weft step is one atomic transition from the label of its pc to the',
    ' * label of the next, so pan stores exactly the states Weft stores. Check with',
    ...safety,
    ' * A violation prints "assertion violated FLAG" (see the flags below; for a',
    ' * reachable_ flag it means the target was reached), a deadlock "invalid end',
    ...(live.length ? [' * state". _pid is Weft\'s instance number.', ...live, ' * See docs/promela.md.'] : [' * state". _pid is Weft\'s instance number. See docs/promela.md.']),
    ' */',
    '',
  ];
}

/**
 * The header's paragraph on the liveness properties left out: each by name
 * and line, then why (the reason is the model's fairness, the same for
 * every property, but a reason per group keeps it true if that changes).
 */
function omittedParagraph(program: Program, omitted: readonly OmittedLiveness[]): string[] {
  if (omitted.length === 0) return [];
  const spans = new Map(program.properties.flatMap((p) => (p.kind === 'liveness' ? [[p.name, p.span] as const] : [])));
  const at = (name: string): string => {
    const span = spans.get(name);
    return span ? ` (${whereShort(program.file, span)})` : '';
  };
  const byReason = new Map<string, string[]>();
  for (const o of omitted) byReason.set(o.reason, [...(byReason.get(o.reason) ?? []), `${o.property}${at(o.property)}`]);
  const text = [...byReason].map(([reason, names]) => {
    const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
    return `Not exported: liveness ${list}, which no pan run checks as Weft does: ${reason}. Check ${names.length === 1 ? 'it' : 'them'} with weft check.`;
  });
  return text.flatMap((t) => [' *', ...wrap(comment(t), 76).map((l) => ` * ${l}`)]);
}

/** `text` in lines of at most `width` characters where its words allow. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) { lines.push(line); line = word; }
    else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
