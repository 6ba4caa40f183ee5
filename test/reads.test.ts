/**
 * Traces show what each step read (issue 12): the shared places and their
 * values (`read b = 1`), and for an `if`, `while` or `await` step why it
 * went its way (`if (x > 0) is false because x = 0`), in the text report,
 * the JSON (and so in proofs, whose reads `weft replay` checks:
 * test/replay.test.ts) and the HTML view. The reads are recorded by the
 * reference interpreter only when a trace is rebuilt; the search is the
 * same with them (the state counts below are the search's).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';
import { check } from '../src/explore/engine.ts';
import { takeStep } from '../src/explore/evaluate.ts';
import { initialState } from '../src/explore/state.ts';
import type { Program } from '../src/lower/ir.ts';
import type { CheckResult, PropertyVerdict } from '../src/explore/verdict.ts';
import { formatTrace } from '../src/report/text.ts';
import { toJson } from '../src/report/json.ts';
import { renderTrace } from '../src/view/trace.ts';

function compile(text: string, path = 'reads.weft', variant: string | null = null): Program {
  const c = compileSource({ path, text }, { variant, defines: {} });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('\n'));
  return c.program;
}

/** Both engines find the same trace (both rebuild it on the reference interpreter): the compiled one's is returned. */
async function run(program: Program): Promise<CheckResult> {
  const compiled = await check(program, 'compiled', {});
  const reference = await check(program, 'reference', {});
  expect(formatAll(compiled)).toBe(formatAll(reference));
  return compiled;
}

function formatAll(r: CheckResult): string {
  return r.verdicts.filter((v) => v.trace).map((v) => formatTrace(r, v)).join('\n');
}

function verdict(r: CheckResult, property: string): PropertyVerdict {
  const v = r.verdicts.find((x) => x.property === property);
  if (!v?.trace) throw new Error(`no trace for ${property}`);
  return v;
}

/** The step lines of a trace, without the file:line column (the text report aligns it). */
function lines(r: CheckResult, property: string): string[] {
  return formatTrace(r, verdict(r, property)).split('\n').map((l) => l.replace(/\s+reads\.weft:\d+$/, '').trimEnd());
}

const READ = `
shared b: 0..1;
actor w { b = 1; }
actor r {
  var rb: 0..1;
  rb = b;
}
reachable got_one: r.rb == 1;
`;

const CONDITIONS = `
shared x: 0..1;
shared y: bool;
actor a {
  var n: 0..2;
  if (x > 0 && y) { n = 1; } else { n = 2; }
  while (n < 2) n += 1;
  await !y;
  done: assert(n == 0);
}
`;

describe('a step shows what it read', () => {
  it('rb = b shows read b = 1 beside rb: 0 -> 1', async () => {
    const r = await run(compile(READ));
    expect(r.stats.states).toBe(5);
    expect(lines(r, 'got_one')).toEqual([
      'reachable got_one reached after 2 steps:',
      '  w',
      '    #1  b = 1',
      '        b: 0 -> 1',
      '  r',
      '    #2  rb = b',
      '        read b = 1',
      '        r.rb: 0 -> 1',
      '  ✓ reachable got_one: r.rb == 1',
    ]);
  });

  it('a condition step says which way it went and why; a short-circuit reads only what it needs', async () => {
    const r = await run(compile(CONDITIONS));
    expect(lines(r, 'done')).toEqual([
      'assert done violated after 5 steps:',
      '  a',
      '    #1  if (x > 0 && y)',
      '        if (x > 0 && y) is false because x = 0',
      '    #2  n = 2',
      '        a.n: 0 -> 2',
      '    #3  while (n < 2)',
      '        while (n < 2) is false because n = 2',
      '    #4  await !y',
      '        await !y is true because y = false',
      '    #5  done',
      '  ✗ assert done: assert(n == 0)',
    ]);
  });

  it('a place is read by its path (xs[2], folio.dirty), its indexes first, each read once; its own locals are not listed', async () => {
    const r = await run(compile(`
struct Folio { dirty: bool; pins: 0..2; }
shared folio: Folio = { dirty: true };
shared xs: 0..3[3] = [1, 2, 3];
shared i: 0..2 = 2;
actor a {
  var v: 0..3;
  var d: bool;
  load: atomic { v = xs[i]; d = folio.dirty && folio.dirty; v = xs[i]; }
  s: assert(v == 0 && !d);
}`));
    expect(lines(r, 's')).toEqual([
      'assert s violated after 2 steps:',
      '  a',
      '    #1  load',
      '        read i = 2',
      '        read xs[2] = 3',
      '        read folio.dirty = true',
      '        a.v: 0 -> 3',
      '        a.d: false -> true',
      '    #2  s',
      '  ✗ assert s: assert(v == 0 && !d)',
    ]);
  });

  it('a read the change line already shows (x += 1 read x = 0) is left out of the text, kept in JSON; a value the step stored and read back is no read', async () => {
    const r = await run(compile(`
shared x: 0..3;
shared y: 0..3;
actor a { x += 1; atomic { x = 2; y = x; } s: assert(false); }`));
    expect(lines(r, 's').slice(2, 8)).toEqual([
      '    #1  x += 1',
      '        x: 0 -> 1',
      '    #2  atomic { x = 2; y = x; }',
      '        x: 1 -> 2',
      '        y: 0 -> 2',
      '    #3  s',
    ]);
    const steps = traceJson(r, 's').steps;
    expect(steps[0]!.reads).toEqual([{ path: 'x', value: '0' }]);
    expect(steps[1]!.reads).toEqual([]);
  });

  it('kernel builtins read: atomic_read, cmpxchg, a WARN_ON\'s condition', async () => {
    const r = await run(compile(`
shared v: atomic_t<0..3> = 2;
shared owner: 0..2;
shared busy: bool = true;
actor a {
  var n: 0..3;
  var old: 0..2;
  n = atomic_read(v);
  old = cmpxchg(owner, 0, 1);
  too_busy: WARN_ON(busy && n > 1);
}`));
    expect(lines(r, 'too_busy')).toEqual([
      'warning too_busy violated after 3 steps:',
      '  a',
      '    #1  n = atomic_read(v)',
      '        read v = 2',
      '        a.n: 0 -> 2',
      '    #2  old = cmpxchg(owner, 0, 1)',
      '        owner: 0 -> 1',
      '    #3  too_busy',
      '        read busy = true',
      '  ✗ warning too_busy: WARN_ON(busy && n > 1)',
    ]);
    // The cmpxchg's read is in the JSON: its change line shows the value it read.
    expect(traceJson(r, 'too_busy').steps[1]!.reads).toEqual([{ path: 'owner', value: '0' }]);
  });

  it('the seqlock\'s torn read is visible in the trace: a is read after the write to it, b before', async () => {
    const path = 'models/classic/seqlock.weft';
    const r = await run(compile(readFileSync(path, 'utf8'), path, 'no_retry'));
    const text = formatTrace(r, verdict(r, 'torn_read')).split('\n').map((l) => l.replace(/\s+models\/classic\/seqlock\.weft:\d+$/, ''));
    const at = (label: string): number => text.findIndex((l) => l.endsWith(`  ${label}`));
    expect(text.slice(at('ra = READ_ONCE(a)'), at('torn_read'))).toEqual([
      '    #7  ra = READ_ONCE(a)',
      '        read a = 1',
      '        reader.ra: 0 -> 1',
      '    #8  rb = READ_ONCE(b)',
      '        read b = 0',
    ]);
    expect(text).toContain('        while (start % 2 == 1) is false because start = 0');
  });
});

type StepJson = { label: string; condition: unknown; reads: unknown[] };

function traceJson(r: CheckResult, property: string): { steps: StepJson[] } {
  const json = toJson(r, { stats: false }) as { verdicts: { property: string; trace: { steps: StepJson[] } | null }[] };
  return json.verdicts.find((v) => v.property === property)!.trace!;
}

describe('JSON', () => {
  it('every step has condition (null unless it tests one) and reads, values as the text report prints them', async () => {
    const steps = traceJson(await run(compile(CONDITIONS)), 'done').steps;
    expect(steps.map((s) => [s.label, s.condition, s.reads])).toEqual([
      ['if (x > 0 && y)', { text: 'if (x > 0 && y)', holds: false, reads: [{ path: 'x', value: '0' }] }, [{ path: 'x', value: '0' }]],
      ['n = 2', null, []],
      ['while (n < 2)', { text: 'while (n < 2)', holds: false, reads: [{ path: 'n', value: '2' }] }, []],
      ['await !y', { text: 'await !y', holds: true, reads: [{ path: 'y', value: 'false' }] }, [{ path: 'y', value: 'false' }]],
      ['done', null, []],
    ]);
    const read = traceJson(await run(compile(READ)), 'got_one').steps;
    expect(read[1]).toMatchObject({ label: 'rb = b', condition: null, reads: [{ path: 'b', value: '1' }] });
  });
});

describe('HTML view', () => {
  it('a step card shows the condition line and the reads the text report shows', async () => {
    const program = compile(CONDITIONS);
    const r = await run(program);
    const html = renderTrace(program, program.file, verdict(r, 'done'), verdict(r, 'done').trace!, true);
    expect(html).toContain('<div class="condition" data-testid="condition"><code>if (x &gt; 0 &amp;&amp; y)</code> is <span class="outcome false">false</span> because <code class="path">x</code> = <span class="value">0</span></div>');
    const rb = await run(compile(READ));
    const page = renderTrace(rb.program, rb.program.file, verdict(rb, 'got_one'), verdict(rb, 'got_one').trace!, true);
    expect(page).toContain('<ul class="reads" data-testid="reads"><li><span class="read">read</span> <code class="path">b</code> = <span class="value">1</span></li></ul>');
  });
});

describe('the search does not record reads', () => {
  it('takeStep gives reads only when asked', () => {
    const program = compile(READ);
    const step = program.steps.find((s) => s.label === 'rb = b')!;
    const plain = takeStep(program, initialState(program), 1, step);
    expect(plain[0]).not.toHaveProperty('reads');
    const read = takeStep(program, initialState(program), 1, step, { reads: true });
    expect(read[0]).toMatchObject({ reads: [{ path: ['globals', 0], value: 0 }], guardReads: [] });
  });
});

describe('docs/language.md', () => {
  it('shows the trace weft check prints for its example of what a step read', async () => {
    const doc = readFileSync('docs/language.md', 'utf8');
    const m = /### What a step read\n[\s\S]*?```weft\n([\s\S]*?)```\n[\s\S]*?```\n([\s\S]*?)```/.exec(doc);
    expect(m, 'docs/language.md has a "What a step read" section with a model and its trace').not.toBeNull();
    const r = await run(compile(m![1]!, 'torn.weft'));
    expect(`${formatTrace(r, verdict(r, 'torn'))}\n`).toBe(m![2]!);
  });
});

describe('docs/json.md', () => {
  it('its example\'s text report is what weft check prints', async () => {
    const doc = readFileSync('docs/json.md', 'utf8');
    const model = /For this model\n\n```c\n([\s\S]*?)```/.exec(doc);
    const text = /The same trace in the text report:\n\n```\n([\s\S]*?)```/.exec(doc);
    expect(model && text, 'docs/json.md has its example model and its text report').toBeTruthy();
    const r = await run(compile(model![1]!, 'models/lost.weft'));
    expect(`${formatTrace(r, verdict(r, 'total'))}\n`).toBe(text![1]!);
  });
});
