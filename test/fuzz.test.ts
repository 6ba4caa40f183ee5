/**
 * No input, however broken, may crash the front end: every input either
 * compiles to a program or yields diagnostics with a code and a span inside
 * the text. Three sources of inputs, 8,700 per run in all:
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
import { randomModel } from './generators.ts';

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
  // Compile-time `for`, `continue`, `x++`, and the C habits that get hints (src/syntax/habits.ts).
  'for', 'continue', '++', '--', '&', 'int', 'goto', 'return', 'spin_lock',
];

// Parsing is this file's cost (ohm, about 6 µs a character): the flagship
// (50 KB, 0.3 s a parse) would take two thirds of the 5,000 mutations' time
// at the same odds as the small models, so a large model is picked a quarter
// as often (still some twenty times a run).
const LARGE = 10_000;
const bases = corpus.flatMap((t) => (t.length > LARGE ? [t] : [t, t, t, t]));

const mutation = fc.record({
  base: fc.constantFrom(...bases),
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

const model = randomModel({ illTyped: true });

// No time limits (0): each property runs a fixed number of inputs, so a slow
// machine makes it slow, not wrong.
describe('the front end never crashes', () => {
  it('has a corpus to mutate', () => expect(corpus.length).toBeGreaterThan(20));
  it('survives 5,000 mutated models', () => fc.assert(fc.property(mutation, survives), { numRuns: 5000 }), 0);
  it('survives 2,500 token soups', () => fc.assert(fc.property(soup, survives), { numRuns: 2500 }), 0);
  // Each random model holds every kind of declaration and several times the
  // statements the generator used to write (3,000 models then), so 1,200 of
  // them reach more of the checker; parsing them is most of this file's time.
  it('survives 1,200 random models of every construct', () => fc.assert(fc.property(model, survives), { numRuns: 1200 }), 0);
});
