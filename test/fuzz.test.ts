/**
 * No input, however broken, may crash the front end: every input either
 * compiles to a program or yields diagnostics with a code and a span inside
 * the text. Three sources of inputs, more than 10,000 per run in all:
 * mutations of real models, random token soup, and random models built
 * from the language's constructs (which get past the parser and exercise
 * the checker and the lowering).
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';
import { formatDiagnostic } from '../src/text/diagnostic.ts';

function weftFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? weftFiles(p) : p.endsWith('.weft') ? [p] : [];
  });
}

const corpus = [...weftFiles('models'), ...weftFiles('test/cases')].map((p) => readFileSync(p, 'utf8'));

/** Compiles and checks the outcome is well formed; any exception fails the property. */
function survives(text: string): boolean {
  const file = { path: 'fuzz.weft', text };
  const r = compileSource(file, { variant: null, defines: {} });
  if (r.ok) return r.program.actors.length > 0;
  for (const d of r.diagnostics) {
    if (!(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end)) return false;
    if (!/^W\d{4}$/.test(d.code)) return false;
    formatDiagnostic(d);
  }
  return r.diagnostics.length > 0;
}

const TOKENS = [
  'model', 'const', 'enum', 'struct', 'shared', 'option', 'fn', 'actor', 'daemon', 'invariant', 'reachable',
  'variant', 'expect', 'bool', 'mutex', 'spinlock', 'rwsem', 'var', 'if', 'else', 'while', 'loop', 'break',
  'await', 'atomic', 'choose', 'or', 'pick', 'in', 'assert', 'skip', 'lock', 'unlock', 'down_read', 'up_write',
  'true', 'false', 'self', 'forall', 'exists', 'holds', 'violated', 'deadlock', 'no', 'x', 'y', 'f', 'N', 'a',
  '0', '1', '3', '..', '{', '}', '(', ')', '[', ']', ';', ':', ',', '=', '+=', '-=', '==', '!=', '<', '>', '->',
  '&&', '||', '!', '+', '-', '*', '/', '%', '?', '.', '"msg"', '//', '/*', '*/', '\n',
];

const mutation = fc.record({
  base: fc.constantFrom(...corpus),
  edits: fc.array(fc.record({
    at: fc.nat(),
    cut: fc.nat({ max: 8 }),
    insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 3 })),
  }), { minLength: 1, maxLength: 4 }),
}).map(({ base, edits }) => edits.reduce((t, e) => {
  const at = t.length ? e.at % t.length : 0;
  return t.slice(0, at) + e.insert + t.slice(at + e.cut);
}, base));

const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((ts) => ts.join(' '));

// ---- Random models from the language's constructs ----
// Mostly well typed, so that most of them pass the checker and reach the
// lowering; a few ill-typed pieces keep the checker's error paths busy.

const PRELUDE = [
  'const N = 2;', 'enum Pte { none, ro, rw }', 'struct F { lock: mutex; dirty: bool; pins: 0..2; }',
  'shared x: 0..3;', 'shared y: bool = true;', 'shared f: F;', 'shared m: mutex;', 'shared s: rwsem;',
  'shared xs: bool[3];', 'shared pte: Pte = none;', 'option flag: bool = false;',
  'fn bump(n: 0..3) { n += 1; }', 'fn mark(b: bool) { atomic { f.dirty = b; y = !b; } }',
];

const intExpr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('x', 'n', 'f.pins', '1', '2', 'N'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%'), tie('e')).map(([a, o, b]) => `(${a} ${o} ${b})`),
  ),
})).e as fc.Arbitrary<string>;

const boolExpr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('y', 'flag', 'f.dirty', 'true', 'false', 'pte == rw', 'pte != none', 'xs[x % 3]'),
    fc.tuple(intExpr, fc.constantFrom('==', '!=', '<', '<=', '>'), intExpr).map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(tie('e'), fc.constantFrom('&&', '||', '->'), tie('e')).map(([a, o, b]) => `(${a} ${o} ${b})`),
    tie('e').map((a) => `!(${a})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
    fc.tuple(fc.nat(), tie('e')).map(([k, b]) => `(exists i${k} in 0..2: xs[i${k}] && ${b})`),
    // The checker's error paths: unknown names, wrong types.
    fc.constantFrom('undefined_thing', 'x', 'pte + 1'),
  ),
})).e as fc.Arbitrary<string>;

const simple = fc.oneof(
  fc.tuple(fc.constantFrom('x', 'n', 'f.pins'), fc.constantFrom('=', '+=', '-='), intExpr).map(([a, o, b]) => `${a} ${o} ${b};`),
  fc.tuple(fc.constantFrom('y', 'f.dirty', 'xs[1]', 'xs[x]'), boolExpr).map(([a, b]) => `${a} = ${b};`),
  fc.constantFrom('pte = rw;', 'pte = ro;', 'skip;', 'pick n in 0..2;', 'bump(n);', 'bump(x);', 'mark(y);', 'mark(true);', 'x = x / 0;'),
  boolExpr.map((e) => `assert(${e}, "msg");`),
);

const stmt: fc.Arbitrary<string> = fc.letrec((tie) => ({
  s: fc.oneof(
    { depthSize: 'small' },
    simple, simple,
    boolExpr.map((e) => `await ${e};`),
    fc.constantFrom('lock(m); x = 1; unlock(m);', 'down_read(s); up_read(s);', 'down_write(s); y = false; up_write(s);', 'unlock(m);'),
    fc.constantFrom('break;', 'var z: bool;', 'lock(s);', 'bump(3);'),
    fc.tuple(boolExpr, tie('s'), tie('s')).map(([c, a, b]) => `if (${c}) { ${a} } else { ${b} }`),
    fc.tuple(boolExpr, tie('s')).map(([c, a]) => `while (${c}) { ${a} }`),
    tie('s').map((a) => `loop { ${a} break; }`),
    fc.tuple(fc.oneof(boolExpr.map((e) => `await ${e};`), fc.constant('lock(m);'), fc.constant('')), fc.array(simple, { maxLength: 3 })).map(([first, ss]) => `atomic { ${first} ${ss.join(' ')} }`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `choose { ${a} } or { ${b} }`),
    tie('s').map((a) => `lbl: ${a}`),
  ),
})).s as fc.Arbitrary<string>;

const model = fc.record({
  props: fc.subarray(['invariant inv: x < 3;', 'reachable r: y && f.dirty;', 'variant v { flag = true; }\nexpect v: holds deadlock;']),
  actors: fc.array(fc.tuple(fc.constantFrom('actor', 'daemon'), fc.constantFrom('', '[2]', '[N]'), fc.array(stmt, { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 3 }),
}).map(({ props, actors }) => [
  ...PRELUDE,
  ...props,
  ...actors.map(([k, n, body], i) => `${k} a${i}${n} { var n: 0..3; ${body.join(' ')} }`),
].join('\n'));

describe('the front end never crashes', () => {
  it('has a corpus to mutate', () => expect(corpus.length).toBeGreaterThan(20));
  it('survives 5,000 mutated models', () => fc.assert(fc.property(mutation, survives), { numRuns: 5000 }), 120_000);
  it('survives 2,500 token soups', () => fc.assert(fc.property(soup, survives), { numRuns: 2500 }), 120_000);
  it('survives 3,000 random models', () => fc.assert(fc.property(model, survives), { numRuns: 3000 }), 120_000);
});
