/**
 * Liveness properties and fairness in the language, through both engines:
 * the same verdicts and the same lassos (states and steps) from the
 * compiled and the reference explorer; every lasso a fair run of the
 * recorded graph that violates its property (checked against the
 * definitions by checkLasso, on the reference interpreter's transitions
 * as `weft replay` sees them, explore/transitions.ts); and the same counts and safety verdicts as the model without
 * its liveness properties and fairness clauses.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';
import type { Program } from '../src/lower/ir.ts';
import { explore } from '../src/explore/reference.ts';
import type { CheckResult, PropertyVerdict } from '../src/explore/verdict.ts';
import { checkLasso, type LivenessProperty } from '../src/explore/liveness.ts';
import type { State } from '../src/explore/state.ts';
import { liveHolds } from '../src/explore/stateProperties.ts';
import { referenceWorld } from '../src/explore/transitions.ts';
import { compiledExplorers } from './support/crosscheck.ts';
import { main } from '../src/cli.ts';

const CASES = ['lock-none', 'lock-weak', 'lock-strong', 'daemon-blocks', 'leads-to', 'always-eventually'].map((n) => `test/cases/semantics/liveness-${n}.weft`);

const INLINE: Record<string, string> = {
  // Peterson's algorithm with a flag per critical section: starvation-free under weak fairness, not without fairness.
  'peterson-weak.weft': peterson('weak'),
  'peterson-none.weft': peterson('none'),
  // A pick and a choose: several transitions between the same two states, told apart by the edge index.
  'branches.weft': `
shared x: 0..3;
shared seen: bool;
actor a fairness strong { loop { atomic { choose { x = 1; } or { x = 1; } or { pick x in 0..2; } } x = 0; } }
actor b fairness none { seen = true; }
liveness sees: eventually seen;
liveness x_back: x == 1 ~> x == 0;
liveness twos: always eventually x == 2;
`,
};

function peterson(fairness: string): string {
  return `
shared flag: bool[2];
shared turn: 0..1;
shared in_cs: bool[2];
actor p[2] fairness ${fairness} {
  loop {
    flag[self] = true;
    turn = 1 - self;
    await !flag[1 - self] || turn == self;
    in_cs[self] = true;
    in_cs[self] = false;
    flag[self] = false;
  }
}
invariant mutual_exclusion: !(in_cs[0] && in_cs[1]);
liveness p0_enters: flag[0] ~> in_cs[0];
liveness p1_enters: flag[1] ~> in_cs[1];
`;
}

function program(path: string, text: string): Program {
  const r = compileSource({ path, text }, { variant: null, defines: {} });
  if (!r.ok) throw new Error(`${path}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.program;
}

/** The model without its liveness properties, their expect lines and the fairness clauses. */
function safetyOnly(text: string, liveNames: readonly string[]): string {
  const named = (line: string): boolean => liveNames.some((n) => new RegExp(`\\b${n}\\b`).test(line));
  return text
    .split('\n')
    .filter((l) => !/^\s*liveness\b/.test(l) && !(/^\s*expect\b/.test(l) && named(l)))
    .join('\n')
    .replace(/\bfairness\s+(none|weak|strong)\b/g, '');
}

const models: [string, string][] = [...CASES.map((p): [string, string] => [p, readFileSync(p, 'utf8')]), ...Object.entries(INLINE)];

describe('liveness in both engines', () => {
  it('the engines agree on liveness verdicts and lassos, every lasso is a fair counterexample, and counts equal the safety-only model', async () => {
    const programs = models.map(([path, text]) => program(path, text));
    const compiled = await compiledExplorers(programs);
    let lassos = 0;
    let holds = 0;
    for (const [i, p] of programs.entries()) {
      const where = p.file.path;
      const c = await compiled[i]!({});
      const r = await explore(p);
      const live = (x: CheckResult): PropertyVerdict[] => x.verdicts.filter((v) => v.kind === 'liveness');
      expect(live(r).length, where).toBeGreaterThan(0);
      expect(live(c).map(steps), where).toEqual(live(r).map(steps));
      expect(c.verdicts, where).toEqual(r.verdicts);

      for (const v of live(r)) {
        if (v.status === 'holds') { holds++; continue; }
        expect(v.status, where).toBe('violated');
        lassos++;
        const lasso = v.lasso!;
        const trace = v.trace!;
        const states = [trace.initial, ...trace.steps.map((s) => s.state)];
        const run = trace.steps.map((s, j) => ({ from: states[j]!, instance: s.instance, to: s.state }));
        const decl = p.properties.find((x) => x.name === v.property)!;
        if (decl.kind !== 'liveness') throw new Error('not a liveness property');
        const pred = (e: typeof decl.q) => (s: State): boolean => liveHolds(p, s, e);
        const property: LivenessProperty<(s: State) => boolean> = decl.form === 'leadsTo' ? { kind: 'leadsTo', p: pred(decl.p!), q: pred(decl.q) } : { kind: decl.form, q: pred(decl.q) };
        const checked = checkLasso(referenceWorld(p), property, { initial: trace.initial, stem: run.slice(0, lasso.loopStart), cycle: run.slice(lasso.loopStart), loopStart: lasso.loopStart });
        expect(checked, `${where} ${v.property}`).toMatchObject({ ok: true, end: lasso.end });
      }

      // Fairness and liveness properties change nothing else.
      const names = p.properties.filter((x) => x.kind === 'liveness').map((x) => x.name);
      const plain = program(`${where}.safety`, safetyOnly(p.file.text, names));
      const s = await explore(plain);
      expect([r.stats.states, r.stats.transitions, r.stats.depth], where).toEqual([s.stats.states, s.stats.transitions, s.stats.depth]);
      expect(r.verdicts.filter((v) => v.kind !== 'liveness').map((v) => [v.property, v.status, v.trace?.steps.length]), where)
        .toEqual(s.verdicts.map((v) => [v.property, v.status, v.trace?.steps.length]));
    }
    expect(lassos).toBeGreaterThanOrEqual(8);
    expect(holds).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('Peterson: starvation-free under weak fairness, not without fairness', async () => {
    const weak = await explore(program('peterson-weak.weft', INLINE['peterson-weak.weft']!));
    const none = await explore(program('peterson-none.weft', INLINE['peterson-none.weft']!));
    const status = (r: CheckResult): string[] => r.verdicts.filter((v) => v.kind === 'liveness').map((v) => v.status);
    expect(status(weak)).toEqual(['holds', 'holds']);
    expect(status(none)).toEqual(['violated', 'violated']);
    expect(weak.stats.states).toBe(none.stats.states);
  });

  it('a search cut short leaves liveness undecided', async () => {
    const p = program(CASES[1]!, readFileSync(CASES[1]!, 'utf8'));
    const [compiled] = await compiledExplorers([p]);
    for (const r of [await explore(p, { maxStates: 3 }), await compiled!({ maxStates: 3 })]) {
      expect(r.complete).toBe(false);
      expect(r.verdicts.find((v) => v.property === 'a0_enters')?.status).toBe('unknown');
    }
  });
});

/** A liveness verdict's lasso, step by step. */
function steps(v: PropertyVerdict): unknown {
  return { property: v.property, status: v.status, lasso: v.lasso ?? null, steps: v.trace?.steps.map((s) => [s.instance, s.stepId]) ?? null };
}

describe('what the Promela export cannot give pan', () => {
  it('weft export --promela leaves out liveness under strong fairness, with a note, exit 0 (docs/promela.md, "Liveness")', async () => {
    let err = '';
    let out = '';
    const code = await main(['export', '--promela', CASES[2]!], { out: (s: string) => { out += s; }, err: (s: string) => { err += s; } });
    expect(code).toBe(0);
    expect(err).toMatch(/^weft: note: liveness a0_enters \(test\/cases\/semantics\/liveness-lock-strong\.weft:14\) is not exported: fairness strong of actor a: /);
    expect(err).not.toContain('W3020');
    expect(out).toContain(' * Not exported: liveness a0_enters');
    expect(out).not.toMatch(/^ltl /m);
  });
});

describe('the --all-variants table', () => {
  async function table(path: string, markdown = false): Promise<string> {
    let out = '';
    await main(['check', path, '--all-variants', '--no-stats', ...(markdown ? ['--markdown'] : [])], { out: (s) => { out += `${s}\n`; }, err: () => {} });
    return out;
  }
  const LASSO_LEGEND = '(s+c) is a liveness lasso: a stem of s steps, then a cycle of c steps that repeats for ever; (n, stops) a run of n steps that stops where no instance can move';

  it('gives a lasso as its stem and cycle, a run that stops as its length and "stops", and says so under the table', async () => {
    expect(await table('test/cases/semantics/liveness-leads-to.weft')).toMatch(/^liveness slow_answers +violated \(2\+1\) ✓$/m);
    const weak = await table('test/cases/semantics/liveness-lock-weak.weft');
    expect(weak).toMatch(/^liveness a0_enters +violated \(0\+3\) ✓$/m);
    expect(weak).toContain(LASSO_LEGEND);
    expect(await table('test/cases/semantics/liveness-daemon-blocks.weft')).toMatch(/^liveness flushed +violated \(2, stops\) ✓$/m);
    expect(await table('test/cases/semantics/liveness-always-eventually.weft', true)).toMatch(/^\| liveness ticks \| violated \(2\+2\) ✓ \|$/m);
  });

  it('leaves a safety violation\'s cell and the legend of a table without lassos as they were', async () => {
    const safety = await table('test/cases/html/stops.weft');
    expect(safety).toMatch(/^invariant no_request +violated \(1\) ✓$/m);
    const plain = await table('test/cases/cli/lost-update.weft');
    expect(plain).toMatch(/violated \(\d+\)/);
    expect(plain).not.toContain('(s+c)');
    // A model whose liveness properties all hold has no lasso to explain either.
    expect(await table('test/cases/semantics/liveness-lock-strong.weft')).not.toContain('(s+c)');
  });
});
