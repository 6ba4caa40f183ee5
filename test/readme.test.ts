/**
 * README.md shows the flagship's counterexample as the terminal prints it;
 * this keeps that excerpt true: it must appear verbatim in the output of
 * the command it claims to come from.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { main } from '../src/cli.ts';

it('README shows the trace weft check prints for the flagship model', async () => {
  const readme = readFileSync('README.md', 'utf8');
  const m = /```\n\$ npx weft check (models\/gup-writeback\.weft)\n\.\.\.\n([\s\S]*?)```\n/.exec(readme);
  expect(m, 'README.md has no trace excerpt of models/gup-writeback.weft').not.toBeNull();
  let out = '';
  await main(['check', m![1]!, '--no-stats', '--quiet'], { out: (s) => { out += s.endsWith('\n') ? s : `${s}\n`; }, err: () => {} });
  expect(out, 'README.md trace excerpt differs from `npx weft check models/gup-writeback.weft`; paste the current one').toContain(m![2]!);
});

it('.ci/run runs the README\'s test command, verbatim', () => {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```sh\n(.*)\n```/g)].map((m) => m[1]!);
  expect(blocks.length, 'README.md starts with two one-line sh blocks').toBeGreaterThanOrEqual(2);
  const test = blocks[1]!;
  expect(test).toMatch(/npm test$/);
  expect(readFileSync('.ci/run', 'utf8').split('\n'), `.ci/run must run \`${test}\` as one line`).toContain(test);
});
