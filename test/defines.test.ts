/**
 * -D values are read as the language writes them: `true`/`false` only for
 * a bool, a whole number inside the range (`-0` is 0), a member's name;
 * anything else is W5002. The command-line side (a repeated -D, an empty
 * --variant) is pinned by transcripts in test/cases/cli.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';

const MODEL = 'enum E { p, q }\noption b: bool = false;\noption k: 0..3 = 1;\noption e: E = p;\nshared x: 0..3;\nactor a { x = k; }\n';

function options(defines: Record<string, string>): Record<string, unknown> | string[] {
  const r = compileSource({ path: 'd.weft', text: MODEL }, { variant: null, defines });
  return r.ok ? r.program.options : r.diagnostics.map((d) => `${d.code} ${d.message}`);
}

describe('-D values', () => {
  it('accepts what the language writes', () => {
    expect(options({ b: 'true', k: '3', e: 'q' })).toEqual({ b: true, k: 3, e: 'q' });
    expect(options({ b: 'false', k: '02' })).toEqual({ b: false, k: 2, e: 'p' });
  });

  it('reads -0 as 0, not as a negative zero', () => {
    const o = options({ k: '-0' }) as Record<string, unknown>;
    expect(Object.is(o.k, 0)).toBe(true);
  });

  it('rejects 1 and 0 for a bool, words for an int, non-members for an enum', () => {
    expect(options({ b: '1' })).toEqual(["W5002 bad value for option 'b': '1' is not true or false"]);
    expect(options({ b: '0' })).toEqual(["W5002 bad value for option 'b': '0' is not true or false"]);
    expect(options({ b: 'TRUE' })).toEqual(["W5002 bad value for option 'b': 'TRUE' is not true or false"]);
    expect(options({ k: 'abc' })).toEqual(["W5002 bad value for option 'k': 'abc' is not a 0..3"]);
    expect(options({ k: '4' })).toEqual(["W5002 bad value for option 'k': '4' is not a 0..3"]);
    expect(options({ k: '' })).toEqual(["W5002 bad value for option 'k': '' is not a 0..3"]);
    expect(options({ k: '1e0' })).toEqual(["W5002 bad value for option 'k': '1e0' is not a 0..3"]);
    expect(options({ e: 'r' })).toEqual(["W5002 bad value for option 'e': 'r' is not a member of E (p, q)"]);
  });
});
