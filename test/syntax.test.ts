/**
 * The grammar's own examples (`//+` must match, `//-` must not), and the
 * shape of the AST for a few inputs, pinned by value.
 */
import { extractExamples } from 'ohm-js/extras';
import { describe, expect, it } from 'vitest';
import { grammar, grammarSource } from '../src/syntax/grammar.ts';
import { parse } from '../src/syntax/parse.ts';

describe('grammar examples', () => {
  const examples = extractExamples(grammarSource);
  it('has examples', () => expect(examples.length).toBeGreaterThan(30));
  for (const ex of examples) {
    it(`${ex.rule} ${ex.shouldMatch ? 'matches' : 'rejects'} ${JSON.stringify(ex.example)}`, () => {
      expect(grammar.match(ex.example, ex.rule).succeeded()).toBe(ex.shouldMatch);
    });
  }
});

describe('AST', () => {
  const model = (text: string) => {
    const r = parse({ path: 't.weft', text });
    expect(r.diagnostics).toEqual([]);
    return r.model!;
  };

  it('implication is right-associative and binds looser than ||', () => {
    const m = model('invariant i: a || b -> c -> d;');
    const d = m.decls[0]!;
    if (d.kind !== 'invariant') throw new Error('not an invariant');
    const e = d.expr;
    expect(e.kind === 'binary' && e.op).toBe('->');
    if (e.kind !== 'binary') return;
    expect(e.left.kind === 'binary' && e.left.op).toBe('||');
    expect(e.right.kind === 'binary' && e.right.op).toBe('->');
  });

  it('`0..3[4]` is an array of four ranges', () => {
    const d = model('shared x: 0..3[4];').decls[0]!;
    expect(d.kind === 'shared' && d.type.kind).toBe('array');
  });

  it('lock is not reserved: a struct may have a field called lock', () => {
    const m = model('struct F { lock: mutex; } shared f: F; actor a { lock(f.lock); unlock(f.lock); }');
    const a = m.decls[2]!;
    expect(a.kind === 'actor' && a.body.stmts.map((s) => s.kind)).toEqual(['lockop', 'lockop']);
  });

  it('`expect v: deadlock` and `no deadlock` are violated/holds deadlock', () => {
    const m = model('expect v: deadlock; expect w: no deadlock;');
    expect(m.decls.map((d) => d.kind === 'expect' && `${d.word} ${d.properties.map((p) => p.name).join(' ')}`)).toEqual(['violated deadlock', 'holds deadlock']);
  });

  it('an expect line may name several properties, each with its own span', () => {
    const text = 'expect v: violated a, b,\n  c;';
    const d = model(text).decls[0]!;
    expect(d.kind === 'expect' && d.properties.map((p) => [p.name, text.slice(p.span.start, p.span.end)])).toEqual([['a', 'a'], ['b', 'b'], ['c', 'c']]);
  });

  it('every node has a span inside the text', () => {
    const text = 'shared x: 0..3; actor a { if (x < 3) { x += 1; } else skip; }';
    const seen: { start: number; end: number }[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if ('kind' in o) seen.push(o.span as { start: number; end: number });
        Object.values(o).forEach(walk);
      }
    };
    walk(model(text));
    expect(seen.length).toBeGreaterThan(10);
    for (const s of seen) expect(s.start >= 0 && s.end <= text.length && s.start <= s.end).toBe(true);
  });
});
