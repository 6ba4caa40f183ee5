/**
 * The hints for C habits (src/syntax/habits.ts) replace a syntax error's
 * plain "expected ..." only where the C construct is: text that parses
 * parses as before (C's words are not reserved), and a nearby error that is
 * no C habit keeps its W1001. Each hint's own text is pinned by its golden
 * case under test/cases/diagnostics/ (W1010-W1017).
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';

function codes(text: string): string[] {
  const r = compileSource({ path: 't.weft', text }, { variant: null, defines: {} });
  return r.ok ? [] : r.diagnostics.map((d) => d.code);
}

describe('C habits', () => {
  it("C's words stay names where Weft allows one", () => {
    expect(codes('shared long: 0..3;\nshared goto: bool;\nshared int_max: 0..3;\nactor a { long = 1; goto = true; int_max++; }\n')).toEqual([]);
  });

  it('a missing semicolon after x++ is a missing semicolon', () => {
    expect(codes('shared x: 0..3;\nactor a { x++ }\n')).toEqual(['W1001']);
  });

  it('b--c is b - -c, and x - -1 is no decrement', () => {
    expect(codes('shared b: 0..3;\nshared c: 0..3;\nactor a { b = b--c; c = 1 - -1; }\n')).toEqual([]);
  });

  it('each habit has its code, wherever it stands', () => {
    const cases: [string, string][] = [
      ['shared x: 0..3;\nactor a { while (x < 3) { for (x = 0; x < 3; x++) { skip; } } }', 'W1010'],
      ['shared x: 0..3;\nshared y: 0..3;\nactor a { assert(x-- > 0); }', 'W1011'],
      ['shared x: 0..3;\nfn f(n: 0..3) { n += 1; }\nactor a { f(&x); }', 'W1012'],
      ['shared x: 0..3;\nactor a { atomic { unsigned n = x; } }', 'W1013'],
      ['shared x: 0..3;\nfn f(n: u32) { skip; }\nactor a { f(x); }', 'W1013'],
      ['shared x: 0..3;\nactor a { loop { goto done; } }', 'W1014'],
      ['struct S { n: 0..3; }\nshared s: S;\ninvariant small: s->n < 3;\nactor a { skip; }', 'W1015'],
      ['shared m: mutex;\nactor a { mutex_lock(&m); mutex_unlock(&m); }', 'W1016'],
      ['shared x: 0..3;\nfn f() { return x; }\nactor a { f(); }', 'W1017'],
    ];
    // A bad parameter type leaves its fn undeclared, so the call is W2004 too, as after W2003.
    for (const [text, code] of cases) expect(codes(text), text).toContain(code);
  });
});
