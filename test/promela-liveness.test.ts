/**
 * Liveness in the Promela export (src/export/promelaLtl.ts,
 * docs/promela.md "Liveness"): the ltl formulas it writes, the pan run it
 * asks for (-f or not) and what it leaves out (fairness pan cannot give),
 * saying so in the header and on stderr; the rewriting of P and Q for
 * SPIN's LTL syntax (same value, same faults, in every reachable state);
 * and, when SPIN is installed, pan's verdict (`pan -a [-f] -N NAME`: an
 * acceptance cycle or none) against Weft's compiled engine on every
 * liveness model we test, the classic models with liveness properties
 * added here (each also with `fairness none` on every actor), and random
 * models with liveness properties, through both exporters (lower/ and the
 * AST oracle, whose claims are written by hand, not by SPIN's LTL
 * translator).
 *
 * What this can miss: where pan's run also reports a failing step, the
 * property is not compared (a failing step is a move in pan and no
 * transition in Weft, docs/promela.md); both exporters and both engines
 * share the parser and checker; and pan's weak fairness is SPIN's, so a
 * SPIN bug there and a Weft bug alike would agree.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';
import type { Expr, Program } from '../src/lower/ir.ts';
import { evaluateProperty, Fault, takeStep } from '../src/explore/evaluate.ts';
import { initialState, stateKey, type State } from '../src/explore/state.ts';
import type { CheckResult } from '../src/explore/verdict.ts';
import { buildPromela } from '../src/export/promela.ts';
import { promelaRefusals } from '../src/export/promelaRange.ts';
import { liftConditionals, livenessOmissions, owedFairness } from '../src/export/promelaLtl.ts';
import { spinAvailable } from './support/spin.ts';
import { casesOf, compiledExplorers, exporters, limiter, spinLivenessAgrees, type Case } from './support/crosscheck.ts';
import { randomModel } from './generators.ts';
import { main } from '../src/cli.ts';
import { diskFiles } from '../src/commands/support.ts';

function program(text: string, path = 'live.weft'): Program {
  const r = compileSource({ path, text }, { variant: null, defines: {} });
  if (!r.ok) throw new Error(`${path}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.program;
}

const SERVER = (client: string, server: string, idler: string): string => `
shared pending: bool;
shared answered: bool;
actor client${client} { pending = true; }
actor server${server} { atomic { await pending; pending = false; answered = true; } }
daemon idler${idler} { loop { skip; } }
liveness answers: pending ~> answered;
liveness done: eventually answered;
liveness calm: always eventually !pending;
`;

describe('ltl formulas', () => {
  it('writes each form as an ltl formula of the property\'s name, each proposition one Promela expression', () => {
    const m = buildPromela(program(SERVER('', '', '')));
    expect(m.text).toContain('ltl answers { [] ((pending != 0) -> <> (answered != 0)) }');
    expect(m.text).toContain('ltl done { <> (answered != 0) }');
    expect(m.text).toContain('ltl calm { [] <> (!pending != 0) }');
    expect([...m.liveness!.claims]).toEqual([['answers', 'answers'], ['done', 'done'], ['calm', 'calm']]);
    // No invariants: no claim of its own, and the safety pan is the -DNOCLAIM one.
    expect(m.hasClaim).toBe(false);
    expect(m.text).toContain('-DSAFETY -DNOREDUCE -DNOCLAIM -o pan pan.c && ./pan -m1000000 -c0');
  });

  it('asks for pan -f when every instance is owed weak fairness, and for no -f when none is', () => {
    const weak = buildPromela(program(SERVER('', ' fairness weak', '')));
    expect(weak.liveness?.weakFairness).toBe(true);
    expect(weak.text).toContain('./pan_ltl -a -f -N NAME');
    const none = buildPromela(program(SERVER(' fairness none', ' fairness none', ' fairness none')));
    expect(none.liveness?.weakFairness).toBe(false);
    expect(none.text).toContain('./pan_ltl -a -N NAME');
  });

  it('leaves the liveness properties out where pan cannot give the fairness (strong owing more than weak, weak mixed with none), naming each and why', () => {
    const mixed = program(SERVER('', '', ' fairness none'));
    expect(promelaRefusals(mixed)).toEqual([]);
    const m = buildPromela(mixed);
    expect(m.liveness).toBeUndefined();
    const why = 'fairness none of daemon idler: pan checks one fairness for every process (-f: weak, else none), and actor client, actor server are weakly fair';
    expect(m.omittedLiveness).toEqual(['answers', 'done', 'calm'].map((property) => ({ property, reason: why })));
    expect(m.text).not.toMatch(/^ltl /m);
    expect(m.text.replace(/\n \* /g, ' ')).toContain(`Not exported: liveness answers (live.weft:7), done (live.weft:8) and calm (live.weft:9), which no pan run checks as Weft does: ${why}. Check them with weft check.`);
    // Safety as without liveness: no claim to pick, deadlocks from the one pan.
    expect(m.text).not.toContain('pan_ltl');
    expect(m.hasClaim).toBe(false);

    // The server waits (await pending); the client and the idler never do, so strong fairness is weak fairness for them.
    const strong = buildPromela(program(SERVER(' fairness strong', ' fairness strong', ' fairness strong')));
    expect(strong.omittedLiveness?.map((o) => o.reason)).toEqual(Array(3).fill(
      'fairness strong of actor server: SPIN\'s pan has weak fairness only (-f), and it waits (at a pc where every step may be disabled), where strong fairness owes it more than weak',
    ));
    // Strong and mixed at once: both reasons.
    expect(livenessOmissions(program(SERVER(' fairness none', ' fairness strong', '')))[0]!.reason).toMatch(/^fairness strong of actor server: .*; fairness none of actor client: .* daemon idler is weakly fair$/);
    // Fairness pan can give: every formula, nothing left out.
    expect(buildPromela(program(SERVER('', '', ''))).omittedLiveness).toBeUndefined();
    // Without liveness properties fairness matters to nothing, and nothing is left out.
    expect(livenessOmissions(program('shared x: bool;\nactor a fairness strong { await x; }\nactor b fairness none { x = true; }\n'))).toEqual([]);
  });

  it('exports the flagship\'s safety and leaves out its liveness, whose strongly fair actors wait on the folio lock', () => {
    const cases = casesOf('models/gup-writeback.weft', readFileSync('models/gup-writeback.weft', 'utf8'), diskFiles());
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const c of cases) {
      expect(promelaRefusals(c.program)).toEqual([]);
      const m = buildPromela(c.program);
      expect(m.liveness).toBeUndefined();
      expect(m.omittedLiveness?.map((o) => o.property)).toEqual(['dirty_gets_clean', 'pin_wait_ends', 'data_reaches_disk']);
      // Writeback is strongly fair unless the variant makes it weak (writeback_fairness, the re-pinning variant).
      const writebackStrong = c.program.variant !== 'm4_wait_for_pins_unlocked_repin_weak';
      expect(m.omittedLiveness?.[0]?.reason).toMatch(writebackStrong ? /^fairness strong of actor pinner, actor user, daemon writeback: / : /^fairness strong of actor pinner, actor user: /);
      expect(m.hasClaim).toBe(true);
      expect(m.text).not.toMatch(/^ltl /m);
    }
  });

  /** `weft export --promela PATH`: exit code, standard output and standard error. */
  async function exportCli(path: string): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(['export', '--promela', path], { out: (s: string) => { out += s; }, err: (s: string) => { err += `${s}\n`; } });
    return { code, out, err };
  }

  it('is what weft export --promela prints, exit 0, with no note where pan can give the fairness', async () => {
    const { code, out, err } = await exportCli('test/cases/semantics/liveness-lock-weak.weft');
    expect(code).toBe(0);
    expect(out).toContain('ltl a0_enters { <> ((pc_a[0] == 1) != 0) }');
    expect(out).toContain('./pan_ltl -a -f -N NAME');
    expect(out).not.toContain('Not exported');
    expect(err).toBe('');
  });

  it('weft export --promela leaves out strong fairness it cannot give: exit 0, the header and a note on stderr say so, no ltl', async () => {
    const { code, out, err } = await exportCli('test/cases/promela/omit-strong.weft');
    expect(code).toBe(0);
    const why = 'fairness strong of actor a: SPIN\'s pan has weak fairness only (-f), and it waits (at a pc where every step may be disabled), where strong fairness owes it more than weak';
    expect(err).toBe(`weft: note: liveness enters (test/cases/promela/omit-strong.weft:12) is not exported: ${why}; check it with weft check\n`);
    expect(out.replace(/\n \* /g, ' ')).toContain(`Not exported: liveness enters (omit-strong.weft:12), which no pan run checks as Weft does: ${why}. Check it with weft check.`);
    expect(out).not.toMatch(/^ltl /m);
    // The invariant is still checked, by the one claim.
    expect(out).toMatch(/^never invariants \{$/m);
    expect(out).toContain('assert(invariant_one_inside)');
  });

  // cli.ts escapes everything the commands print; this pins that the note goes through it.
  it('escapes a hostile path in the note, as a diagnostic does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-omit-'));
    try {
      const path = join(dir, 'evil\u001b[2Jname.weft');
      writeFileSync(path, readFileSync('test/cases/promela/omit-strong.weft', 'utf8'));
      const { code, err } = await exportCli(path);
      expect(code).toBe(0);
      expect(err).toContain('weft: note: liveness enters (');
      expect(err).not.toContain('\u001b');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('weft export --promela leaves out weak fairness mixed with none: exit 0, the header and a note on stderr say so, no ltl', async () => {
    const { code, out, err } = await exportCli('test/cases/promela/omit-mixed.weft');
    expect(code).toBe(0);
    const why = 'fairness none of daemon idler: pan checks one fairness for every process (-f: weak, else none), and actor client, actor server are weakly fair';
    expect(err).toBe(`weft: note: liveness answers (test/cases/promela/omit-mixed.weft:10) is not exported: ${why}; check it with weft check\n`);
    expect(out.replace(/\n \* /g, ' ')).toContain(`Not exported: liveness answers (omit-mixed.weft:10), which no pan run checks as Weft does: ${why}. Check it with weft check.`);
    expect(out).not.toMatch(/^ltl /m);
  });

  it('takes strong fairness as weak for an actor that never waits, and ignores an actor with no step', () => {
    const p = program(`
shared x: 0..3;
actor loops fairness strong { loop { if (x < 3) x += 1; else x = 0; } }
actor nothing fairness none { }
actor waits fairness strong { await x == 3; }
liveness back: always eventually x == 0;
`);
    expect(p.actors.map((_, i) => owedFairness(p, i))).toEqual(['weak', 'nothing', 'strong']);
  });

  it('puts no Promela conditional and no unary minus into a formula, and no name that is an ltl operator', () => {
    const text = buildPromela(program(readFileSync('test/cases/promela/liveness.weft', 'utf8'), 'test/cases/promela/liveness.weft')).text;
    const formulas = text.split('\n').filter((l) => l.startsWith('ltl '));
    expect(formulas).toHaveLength(7);
    for (const f of formulas) {
      expect(f).not.toMatch(/ : /);
      // Every minus follows an operand (or is ltl's `->`): SPIN prints `a - -1` back as `a--(1)`, `a < -1` as `a<-(1)`.
      expect(f).not.toMatch(/(^|[^\w)\]\s])\s*-(?!>)/);
      expect(f).not.toMatch(/\b[UVWX]\b/);
    }
    expect(text).toContain('(0 - 2)');
    expect(text).toMatch(/^bool U_1;/m);
  });
});

/** Every state reachable in `program` (at most `max`), by the reference semantics. */
function reachable(p: Program, max: number): State[] {
  const seen = new Map<string, State>();
  const todo = [initialState(p)];
  seen.set(stateKey(todo[0]!), todo[0]!);
  while (todo.length && seen.size < max) {
    const s = todo.pop()!;
    p.instances.forEach((_, i) => {
      for (const step of p.steps) {
        for (const o of takeStep(p, s, i, step)) {
          if (o.kind !== 'state' || seen.has(stateKey(o.state))) continue;
          seen.set(stateKey(o.state), o.state);
          todo.push(o.state);
        }
      }
    });
  }
  return [...seen.values()];
}

/** A property's value in a state, or `fault`. */
function valueIn(p: Program, s: State, e: Expr): unknown {
  try {
    return evaluateProperty(p, s, e);
  } catch (err) {
    if (err instanceof Fault) return 'fault';
    throw err;
  }
}

describe('P and Q rewritten for an ltl formula', () => {
  it('have the value and the faults they had, in every reachable state of random models', () => {
    const texts = fc.sample(randomModel({ illTyped: false }), { numRuns: 400, seed: 20260 }).filter((t) => t.includes('\nliveness '));
    let checked = 0;
    for (const text of texts) {
      const r = compileSource({ path: 'random.weft', text }, { variant: null, defines: {} });
      if (!r.ok) continue;
      const states = reachable(r.program, 300);
      for (const prop of r.program.properties) {
        if (prop.kind !== 'liveness') continue;
        for (const e of prop.p ? [prop.p, prop.q] : [prop.q]) {
          const lifted = liftConditionals(e);
          for (const s of states) expect(valueIn(r.program, s, lifted), text).toEqual(valueIn(r.program, s, e));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

const haveSpin = await spinAvailable();

/** Liveness properties for the classic models, on the fly (the labels are the models'). */
const CLASSIC_LIVENESS: Record<string, string[]> = {
  'models/classic/peterson.weft': [
    'liveness enters0: proc[0]@enter ~> proc[0]@release;', 'liveness someone_inside: always eventually in_cs == 1;', 'liveness p1_tries: eventually proc[1]@enter;',
  ],
  'models/classic/filter3.weft': ['liveness enters0: proc[0]@set_level ~> proc[0]@unlock;', 'liveness busy: always eventually in_cs == 1;'],
  'models/classic/increment3.weft': ['liveness all_done: eventually forall i in 0..N-1: done[i];', 'liveness counted: eventually counter == N;', 'liveness checked: eventually checker@sum_ok;'],
  'models/classic/philosophers5.weft': ['liveness eats0: philosopher[0]@take_first ~> philosopher[0]@put_second;', 'liveness someone_eats: always eventually eating > 0;'],
};

/** The model with every actor and daemon owed no fairness. */
function withoutFairness(text: string): string {
  return text.replace(/^(actor|daemon) (\w+(?:\[[^\]]*\])?)(?: fairness \w+)? \{/gm, '$1 $2 fairness none {');
}

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => `${dir}/${f}`);
}

/** Random models with liveness properties compared per run, at least (one variant each). */
const RANDOM_MODELS = 60;
const RANDOM_SAMPLED_MAX = 6_000;
const RANDOM_MAX_STATES = 5_000;
const slot = limiter(2);

describe('pan agrees with Weft on liveness', async () => {
  if (!haveSpin) {
    it.skip('SPIN (or gcc) is not on PATH; `bash scripts/install-peers.sh` installs it', () => {});
    return;
  }
  const { exporters: exps, notice } = await exporters();
  if (notice) console.log(`promela-liveness.test.ts: ${notice}`);
  const doc = readFileSync('docs/language.md', 'utf8');
  const fixed: Case[] = [
    ...[...files('test/cases/semantics', /^liveness-.*\.weft$/), 'test/cases/promela/liveness.weft'].flatMap((f) => casesOf(f, readFileSync(f, 'utf8'))),
    ...[...doc.matchAll(/```weft\n([\s\S]*?)```/g)].flatMap((m, i) => (m[1]!.includes('\nliveness ') ? casesOf(`docs/language.md#${i}`, m[1]!) : [])),
    ...Object.entries(CLASSIC_LIVENESS).flatMap(([f, props]) => {
      const text = `${readFileSync(f, 'utf8')}\n${props.join('\n')}\n`;
      return [...casesOf(f, text), ...casesOf(f.replace(/\.weft$/, '-none.weft'), withoutFairness(text))];
    }),
  ];

  const seed = Date.now() % 2 ** 31;
  const random: Case[] = [];
  const texts = fc.sample(randomModel({ illTyped: false }), { numRuns: RANDOM_SAMPLED_MAX, seed }).filter((t) => t.includes('\nliveness '));
  const refusedRandom = new Map<string, number>();
  for (const [index, text] of texts.entries()) {
    if (random.length >= RANDOM_MODELS * 3) break;
    const cs = casesOf(`random-live-${seed}-${index}.weft`, text);
    const c = cs[index % Math.max(1, cs.length)];
    if (!c) continue;
    // A model refused (32-bit arithmetic), or whose liveness the export leaves out (fairness pan cannot give), has no
    // liveness verdict to compare here: counted apart (test/promela.test.ts checks its safety).
    const omitted = livenessOmissions(c.program);
    const why = promelaRefusals(c.program).length ? '32-bit arithmetic' : omitted.length ? `liveness left out (${/^fairness (\w+)/.exec(omitted[0]!.reason)![0]})` : null;
    if (why !== null) {
      refusedRandom.set(why, (refusedRandom.get(why) ?? 0) + 1);
      continue;
    }
    random.push(c);
  }
  const cases = [...fixed, ...random];
  const explorers = await compiledExplorers(cases.map((c) => c.program));
  const weft: (CheckResult | null)[] = [];
  for (const [i, e] of explorers.entries()) weft.push(await e({ maxStates: i < fixed.length ? undefined : RANDOM_MAX_STATES }).catch(() => null));

  const tally = { compared: 0, faulted: 0, omitted: 0, refused: new Map<string, number>(), randomCompared: 0, randomModels: 0 };
  const results = new Map<string, Promise<string | null>>();
  cases.forEach((c, i) => {
    for (const [name, exporter] of exps) {
      const key = `${c.file.path} (${c.program.variant}) [${name}]`;
      results.set(key, slot(async () => {
        const w = weft[i];
        if (!w) return `the compiled engine failed on ${c.file.path}`;
        if (!w.complete) return null;
        const e = exporter(c);
        if (!e.ok) {
          const why = /32-bit/.exec(e.reason)?.[0] ?? e.reason;
          tally.refused.set(`${name}: ${why}`, (tally.refused.get(`${name}: ${why}`) ?? 0) + 1);
          // Only arithmetic beyond 32 bits is refused (fairness pan cannot give leaves the liveness properties out).
          return /32-bit/.test(e.reason) ? null : `refused: ${e.reason}`;
        }
        const r = await spinLivenessAgrees(e.promela, w);
        if (r.kind === 'disagrees') return `${r.detail}\n${c.file.text}`;
        tally.compared += r.compared.length;
        tally.faulted += r.faulted.length;
        tally.omitted += r.omitted.length;
        if (i >= fixed.length && name === 'lowered') {
          tally.randomModels++;
          if (r.compared.length) tally.randomCompared++;
        }
        return null;
      }));
    }
  });

  it('has liveness models to check', () => {
    expect(fixed.length).toBeGreaterThanOrEqual(20);
    expect(random.length).toBeGreaterThanOrEqual(RANDOM_MODELS);
  });

  for (const [key, result] of results) {
    it.concurrent(key, async () => {
      expect(await result).toBeNull();
    }, 0);
  }

  it(`compares verdicts on the fixed models and on random ones (seed ${seed})`, async () => {
    await Promise.all(results.values());
    const refused = [...tally.refused].map(([r, n]) => `${n} × ${r}`).join('; ');
    const random = [...refusedRandom].map(([r, n]) => `${n} × ${r}`).join('; ');
    console.log(`promela-liveness.test.ts: seed ${seed}: ${tally.compared} liveness verdicts compared, ${tally.faulted} not (a step fails), ${tally.omitted} left out of the export (fairness pan cannot give); ${tally.randomCompared} of ${tally.randomModels} random models compared; refused: ${refused || 'none'}; random models not taken: ${random || 'none'}`);
    expect(tally.compared).toBeGreaterThan(80);
    expect(tally.randomCompared).toBeGreaterThanOrEqual(RANDOM_MODELS / 3);
  }, 0);
});
