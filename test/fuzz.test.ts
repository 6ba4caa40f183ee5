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

const model = randomModel({ illTyped: true });

describe('the front end never crashes', () => {
  it('has a corpus to mutate', () => expect(corpus.length).toBeGreaterThan(20));
  it('survives 5,000 mutated models', () => fc.assert(fc.property(mutation, survives), { numRuns: 5000 }), 120_000);
  it('survives 2,500 token soups', () => fc.assert(fc.property(soup, survives), { numRuns: 2500 }), 120_000);
  it('survives 3,000 random models', () => fc.assert(fc.property(model, survives), { numRuns: 3000 }), 120_000);
});
