/**
 * Bad input is harmless and quick: every input the issue found crashing
 * (stack overflow, exit 70) or hanging before the search gets its diagnostic
 * through the real command line, and models just inside each limit go
 * through the whole pipeline: both engines and the Promela export. The big
 * inputs are built here, not committed. Nothing here depends on timing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { compileSource } from '../src/pipeline.ts';
import { check } from '../src/explore/engine.ts';
import { exportPromela } from '../src/export/promela.ts';
import { scan, MAX_DEPTH, MAX_FILE_SIZE, MAX_TOKENS } from '../src/syntax/scan.ts';
import { MAX_CALL_DEPTH, MAX_INLINED, MAX_INSTANCES, MAX_OUTCOMES, MAX_RANGE, MAX_VALUES } from '../src/check/limits.ts';
import { lineCol } from '../src/text/source.ts';

const tmp = mkdtempSync(`${tmpdir()}/weft-limits-`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let files = 0;
async function weft(text: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const path = `${tmp}/m${files++}.weft`;
  writeFileSync(path, text);
  let out = '';
  let err = '';
  const code = await main(['check', path, ...args], { out: (s) => { out += `${s}\n`; }, err: (s) => { err += `${s}\n`; } });
  return { code, out, err };
}

const pre = 'model m;\nshared x: 0..3;\nshared y: bool;\n';
const fnChain = (n: number): string => {
  let s = pre;
  for (let i = 1; i < n; i++) s += `fn f${i}() { f${i + 1}(); }\n`;
  return `${s}fn f${n}() { x = 1; }\nactor a { f1(); }\n`;
};

// Each case of the issue, with the code it now gets.
const bad: [name: string, text: () => string, code: string][] = [
  ['93 nested parentheses', () => `${pre}actor a { x = ${'('.repeat(93)}1${')'.repeat(93)}; }\n`, 'W1007'],
  ['1,000 nested parentheses', () => `${pre}actor a { x = ${'('.repeat(1000)}1${')'.repeat(1000)}; }\n`, 'W1007'],
  ['282 nested ifs', () => `${pre}actor a { ${'if (x == 0) '.repeat(282)}x = 1; }\n`, 'W1007'],
  ['1,000 nested if blocks', () => `${pre}actor a { ${'if (x == 0) { '.repeat(1000)}x = 1;${' }'.repeat(1000)} }\n`, 'W1007'],
  ['an else-if chain of 1,000', () => `${pre}actor a { if (x == 1) x = 1; ${'else if (x == 0) x = 2; '.repeat(1000)} }\n`, 'W1007'],
  ['1,250 + terms', () => `model m;\nshared x: 0..100000;\nactor a { x = ${Array(1250).fill('0').join(' + ')}; }\n`, 'W1007'],
  ['10,000 + terms', () => `model m;\nshared x: 0..100000;\nactor a { x = ${Array(10000).fill('0').join(' + ')}; }\n`, 'W1007'],
  ['1,000 && terms', () => `${pre}actor a { y = ${Array(1000).fill('x == 0').join(' && ')}; }\n`, 'W1007'],
  ['1,000 negations', () => `${pre}actor a { y = ${'!'.repeat(1000)}true; }\n`, 'W1007'],
  ['a chain of 2,000 fns', () => fnChain(2000), 'W4013'],
  ['fns calling the next twice, 40 deep', () => `${pre}${Array.from({ length: 39 }, (_, i) => `fn f${i}() { f${i + 1}(); f${i + 1}(); }\n`).join('')}fn f39() { x = 1; }\nactor a { f0(); }\n`, 'W4014'],
  ['fns calling the next twice, 40 deep, called by no actor', () => `${pre}${Array.from({ length: 39 }, (_, i) => `fn f${i}() { f${i + 1}(); f${i + 1}(); }\n`).join('')}fn f39() { x = 1; }\nactor a { skip; }\n`, 'W4014'],
  ['30 choose in one atomic block', () => `${pre}actor a { atomic { ${'choose { x = 1; } or { x = 2; } '.repeat(30)}} }\n`, 'W4015'],
  ['two picks of 4,096 in one atomic block', () => `model m;\nshared x: 0..4095;\nactor a { atomic { pick x in 0..4095; pick x in 0..4095; } }\n`, 'W4015'],
  ['a 5 MB comment', () => `${pre}/*${'x'.repeat(5_000_000)}*/\nactor a { x = 1; }\n`, 'W1006'],
  ['100,000 statements', () => `${pre}actor a {\n${'x = 1;\n'.repeat(100_000)}}\n`, 'W1008'],
  ['an enum of 80,000 members', () => `model m;\nenum E { ${Array.from({ length: 80_000 }, (_, i) => `e${i}`).join(', ')} }\nshared x: E;\nactor a { x = e1; }\n`, 'W1008'],
  ['0..3[1000000]', () => 'model m;\nshared x: 0..3[1000000];\nactor a { x[0] = 1; }\n', 'W3023'],
  ['bool[100000000]', () => 'model m;\nshared x: bool[100000000];\nactor a { x[0] = true; }\n', 'W3023'],
  ['bool[100000][100000]', () => 'model m;\nshared x: bool[100000][100000];\nactor a { x[0][0] = true; }\n', 'W3023'],
  ['a local of 100,000 values', () => `${pre}actor a { var l: bool[100000]; x = 1; }\n`, 'W3023'],
  ['a struct of 20,000 values', () => `model m;\nstruct S { a: bool[10000]; b: bool[10000]; }\nshared s: S;\nactor a { skip; }\n`, 'W3023'],
  ['actor a[2147483647]', () => `${pre}actor a[2147483647] { x = 1; }\n`, 'W3024'],
  ['600 actors of 2 instances', () => `${pre}${Array.from({ length: 600 }, (_, i) => `actor a${i}[2] { skip; }\n`).join('')}`, 'W3024'],
  ['100 instances of 200 locals', () => `${pre}actor a[100] { var l: bool[200]; x = 1; }\n`, 'W3017'],
  ['pick x in 0..2147483647', () => 'model m;\nshared x: 0..2147483647;\nactor a { pick x in 0..2147483647; }\n', 'W3025'],
  ['forall k in 0..2147483647', () => `${pre}actor a { x = 1; }\ninvariant i: forall k in 0..2147483647: x <= 3;\n`, 'W3026'],
  ['a NUL byte', () => `${pre}actor a {\0 x = 1; }\n`, 'W1005'],
];

describe('bad input gets a diagnostic, exit 2', () => {
  for (const [name, text, code] of bad) {
    it(name, async () => {
      const r = await weft(text());
      expect(r.err).toContain(`error[${code}]`);
      expect(r.code).toBe(2);
    });
  }

  it('a NUL byte is reported where it is', async () => {
    const r = await weft(`${pre}actor a {\n  x = 1;\0\n}\n`);
    expect(r.err).toMatch(/error\[W1005\][^\n]*\n --> \S+:5:9\n/);
  });
});

describe('a byte order mark', () => {
  it('is accepted', async () => {
    const r = await weft(`\ufeff${pre}actor a { x = 1; }\n`, '--no-stats');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('does not shift the columns of the first line', async () => {
    const r = await weft('\ufeffmodel m; shared x: nosuch;\nactor a { skip; }\n');
    expect(r.err).toMatch(/error\[W2003\][^\n]*\n --> \S+:1:20\n/);
  });

  it('is whitespace for callers that pass it on', () => {
    const c = compileSource({ path: 'bom.weft', text: `\ufeff${pre}actor a { x = 1; }\n` }, { variant: null, defines: {} });
    expect(c.ok).toBe(true);
  });
});

/** The largest n for which `gen(n)` passes the lexical limits. */
function largest(gen: (n: number) => string): number {
  let lo = 1;
  let hi = 4000;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (scan({ path: 'x.weft', text: gen(mid) }).fatal.length) hi = mid - 1;
    else lo = mid;
  }
  return lo;
}

// One statement at the nesting limit per construct; each is its own step.
const deepStatements: ((n: number) => string)[] = [
  (n) => `x = ${'('.repeat(n)}1${')'.repeat(n)};`,
  (n) => `x = ${Array(n).fill('0').join(' + ')};`,
  (n) => `y = ${Array(n).fill('x <= 3').join(' && ')};`,
  (n) => `y = ${Array(n).fill('y').join(' || ')};`,
  (n) => `y = ${'!'.repeat(n)}true;`,
  (n) => `x = ${'- - '.repeat(n)}1;`,
  (n) => `x = ${'x == 0 ? 1 : '.repeat(n)}2;`,
  (n) => `y = ${'y -> '.repeat(n)}y;`,
  (n) => `${'if (x <= 3) '.repeat(n)}x = 1;`,
  (n) => `${'if (x <= 3) { '.repeat(n)}x = 2;${' }'.repeat(n)}`,
  (n) => `if (x == 3) x = 3; ${'else if (x == 3) x = 3; '.repeat(n)}`,
  (n) => `${'atomic { '.repeat(n)}x = 1;${' }'.repeat(n)}`,
  (n) => `${'{ '.repeat(n)}x = 2;${' }'.repeat(n)}`,
];

async function wholePipeline(text: string, maxStates = 2000): Promise<{ states: number; promela: string }> {
  const c = compileSource({ path: 'limit.weft', text }, { variant: null, defines: {} });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const promela = exportPromela(c.program);
  const limits = { maxStates };
  const reference = await check(c.program, 'reference', limits);
  const compiled = await check(c.program, 'compiled', limits);
  expect(compiled.stats.states).toBe(reference.stats.states);
  expect(compiled.verdicts.map((v) => v.status)).toEqual(reference.verdicts.map((v) => v.status));
  return { states: compiled.stats.states, promela };
}

describe('just inside each limit, the whole pipeline works on both engines and the Promela export', () => {
  it(`nesting at ${MAX_DEPTH} levels, for every construct that nests`, async () => {
    const body = deepStatements.map((stmt) => {
      const wrap = (n: number) => `${pre}actor a { ${stmt(n)} }\n`;
      return stmt(largest(wrap));
    });
    // Each is at the limit on its own; one past it is refused.
    for (const stmt of deepStatements) {
      const n = largest((k) => `${pre}actor a { ${stmt(k)} }\n`);
      expect(scan({ path: 'x.weft', text: `${pre}actor a { ${stmt(n + 1)} }\n` }).fatal.map((d) => d.code)).toEqual(['W1007']);
    }
    const deepInvariant = largest((n) => `${pre}actor a { skip; }\ninvariant i: ${Array(n).fill('x <= 3').join(' && ')};\n`);
    const text = `${pre}actor a { ${body.join('\n')} }\ninvariant i: ${Array(deepInvariant).fill('x <= 3').join(' && ')};\n`;
    const r = await wholePipeline(text);
    expect(r.states).toBeGreaterThan(deepStatements.length);
  });

  it(`calls nested ${MAX_CALL_DEPTH} levels`, async () => {
    // Each call is nested in its fn's body: two levels a call.
    await wholePipeline(fnChain(MAX_CALL_DEPTH / 2));
    expect((await weft(fnChain(MAX_CALL_DEPTH / 2 + 1))).err).toContain('error[W4013]');
  });

  it(`${MAX_INLINED} statements once calls are inlined`, async () => {
    // 10 fns of 100 statements each, called 10 times: 10,000 statements, less the calls' own.
    const fns = (copies: number) => `${pre}fn f() {\n${'x = 1;\n'.repeat(100)}}\nactor a {\n${'f();\n'.repeat(copies)}}\n`;
    const inside = fns(MAX_INLINED / 101);
    expect(compileSource({ path: 'x.weft', text: inside }, { variant: null, defines: {} }).ok).toBe(true);
    expect((await weft(fns(MAX_INLINED / 101 + 2))).err).toContain('error[W4014]');
  });

  it(`an atomic block of ${MAX_OUTCOMES} paths`, async () => {
    const atomic = (n: number) => `${pre}fn two() { choose { x = 1; } or { x = 2; } }\nactor a { atomic { ${'choose { x = 1; } or { two(); } '.repeat(n)}} }\n`;
    // Each choose has three paths, the one in two() counted: 3^10 = 59,049.
    const r = await wholePipeline(atomic(10));
    expect(r.states).toBe(3);
    expect((await weft(atomic(11))).err).toContain('error[W4015]');
  });

  it(`${MAX_INSTANCES} actor instances`, async () => {
    const r = await wholePipeline(`${pre}actor a[${MAX_INSTANCES}] { x = 1; }\n`);
    expect(r.states).toBe(2000);
    expect((await weft(`${pre}actor a[${MAX_INSTANCES + 1}] { x = 1; }\n`)).err).toContain('error[W3024]');
  });

  it(`a state of ${MAX_VALUES} values`, async () => {
    // Less the program counter of the one instance.
    await wholePipeline(`model m;\nshared x: bool[${MAX_VALUES - 1}];\nactor a { x[${MAX_VALUES - 2}] = true; }\n`);
    expect((await weft(`model m;\nshared x: bool[${MAX_VALUES}];\nactor a { x[0] = true; }\n`)).err).toContain('error[W3017]');
  });

  it(`pick and quantifiers over ${MAX_RANGE} values`, async () => {
    const r = await wholePipeline(`model m;\nshared x: 0..${MAX_RANGE};\nactor a { pick x in 1..${MAX_RANGE}; }\ninvariant some: exists i in 0..${MAX_RANGE - 1}: x == i + 1 || x == 0;\n`, 10_000);
    expect(r.states).toBe(MAX_RANGE + 1);
    expect((await weft(`model m;\nshared x: 0..${MAX_RANGE};\nactor a { pick x in 0..${MAX_RANGE}; }\n`)).err).toContain('error[W3025]');
  });

  it(`${MAX_TOKENS} tokens and ${MAX_FILE_SIZE} characters`, async () => {
    // The header is 15 tokens, the actor 4 and each statement 4: one short of the limit.
    const tokens = `${pre}actor a {\n${'x = 1;\n'.repeat((MAX_TOKENS - 20) / 4)}}\n`;
    expect(scan({ path: 'x.weft', text: `${tokens};` }).fatal).toEqual([]);
    expect(scan({ path: 'x.weft', text: `${tokens};;` }).fatal.map((d) => d.code)).toEqual(['W1008']);
    // The reference engine: compiling 5,000 steps to TypeScript takes a while, and is not what this tests.
    expect((await weft(tokens, '--no-stats', '--engine', 'reference')).code).toBe(0);
    const comment = `${pre}actor a { x = 1; }\n//`;
    const full = comment + 'x'.repeat(MAX_FILE_SIZE - comment.length);
    const r = await weft(full, '--no-stats');
    expect(r.code).toBe(0);
    const over = await weft(`${full}x`);
    expect(over.err).toContain('error[W1006]');
  });
});

describe('the numbers check', () => {
  it('skips comments and strings, and reports where the number is', () => {
    const text = `${pre}// 99999999999\n/* 99999999999 */\nactor a { assert(true, "99999999999"); x = 99999999999; }\n`;
    const s = scan({ path: 'x.weft', text });
    expect(s.numbers.map((d) => lineCol({ path: 'x.weft', text }, d.span.start))).toEqual([{ path: 'x.weft', line: 6, col: 44 }]);
  });
});

describe('docs/language.md', () => {
  it('lists every limit with its value', () => {
    const doc = readFileSync('docs/language.md', 'utf8');
    const limits = doc.slice(doc.indexOf('## Limits'));
    for (const n of [MAX_FILE_SIZE, MAX_TOKENS, MAX_DEPTH, MAX_CALL_DEPTH, MAX_INLINED, MAX_OUTCOMES, MAX_VALUES, MAX_INSTANCES, MAX_RANGE]) expect(limits).toContain(n.toLocaleString('en-US'));
  });
});

describe('comments are cheap for the parser', () => {
  // The parser reads each comment shortened; positions after it must still be the file's.
  const long = `/* ${'x'.repeat(100_000)}\n*/`;
  it('a diagnostic after long comments points at the right place', async () => {
    const r = await weft(`model m; // ${'y'.repeat(50_000)}\n${long}\nshared x: 0..3; /* a */ shared z: nosuch;\nactor a { skip; }\n`);
    expect(r.err).toMatch(/error\[W2003\][^\n]*\n --> \S+:4:35\n/);
  });

  it('so does a syntax error', async () => {
    const r = await weft(`model m;\n${long} shared x: 0..3\nactor a { skip; }\n`);
    expect(r.err).toMatch(/error\[W1001\][^\n]*\n --> \S+:4:1\n/);
  });

  it('a comment of a megabyte checks', async () => {
    const text = `${pre}actor a { x = 1; }\n/*${'x'.repeat(MAX_FILE_SIZE - 100)}*/\n`;
    expect((await weft(text, '--no-stats')).code).toBe(0);
  });
});
