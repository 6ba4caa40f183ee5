/**
 * The C litmus parser (src/litmus/): the grammar's own examples, the 50
 * herd7 tests under test/cases/litmus/herd/ (each must parse without a
 * diagnostic), the memory program of a few of them pinned by value, the
 * flattening of primitives inside expressions, and the errors. Spans are
 * compared as the source text they cover, which says more than offsets.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extractExamples } from 'ohm-js/extras';
import { describe, expect, it } from 'vitest';
import { litmusGrammar, litmusGrammarSource } from '../src/litmus/grammar.ts';
import { parseLitmus } from '../src/litmus/parse.ts';
import type { MemInstr, MemProgram } from '../src/explore/lkmm/program.ts';
import type { Span } from '../src/text/source.ts';

const herd = 'test/cases/litmus/herd';

/** The program with every span replaced by the text it covers, and the source left out. */
function shown(p: MemProgram): unknown {
  return JSON.parse(JSON.stringify({ ...p, source: undefined }, (key, value: unknown) => {
    if (key === 'span') { const s = value as { start: number; end: number }; return p.source.text.slice(s.start, s.end); }
    if (value instanceof Map) return Object.fromEntries(value);
    return value;
  }));
}

function program(text: string, path = 't.litmus'): MemProgram {
  const r = parseLitmus({ path, text });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.program;
}

const herdProgram = (name: string): MemProgram => program(readFileSync(`${herd}/${name}`, 'utf8'), `${herd}/${name}`);

/** A test with one thread whose body is `body` and whose parameters are `params`, its body shown. */
function body(code: string, params = 'int *x, int *y, atomic_t *z, spinlock_t *lo', init = '{}'): unknown {
  const p = program(`C t\n${init}\nP0(${params})\n{\n${code}\n}\nexists (x=0)\n`);
  return (shown(p) as { threads: { body: unknown }[] }).threads[0]!.body;
}

/** The diagnostics of a test: [code, the text under the caret]. */
function errors(text: string): [string, string][] {
  const r = parseLitmus({ path: 't.litmus', text });
  if (r.ok) throw new Error('no diagnostic');
  return r.diagnostics.map((d) => [d.code, text.slice(d.span.start, d.span.end)]);
}

const once = (loc: string) => ({ kind: 'const', value: { loc } });
const reg = (r: string) => ({ kind: 'reg', reg: r });
const num = (value: number) => ({ kind: 'const', value });

describe('litmus grammar examples', () => {
  const examples = extractExamples(litmusGrammarSource);
  it('has examples', () => expect(examples.length).toBeGreaterThan(40));
  for (const ex of examples) {
    it(`${ex.rule} ${ex.shouldMatch ? 'matches' : 'rejects'} ${JSON.stringify(ex.example)}`, () => {
      expect(litmusGrammar.match(ex.example, ex.rule).succeeded()).toBe(ex.shouldMatch);
    });
  }
});

describe('the herd7 tests', () => {
  const files = readdirSync(herd).filter((f) => f.endsWith('.litmus')).sort();
  const verdicts = readFileSync(`${herd}/RESULTS.txt`, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]);
  it('are the 50 of RESULTS.txt', () => {
    expect(files.length).toBe(50);
    expect([...verdicts].sort()).toEqual(files);
  });
  for (const f of files) {
    it(`${f} parses`, () => {
      const text = readFileSync(`${herd}/${f}`, 'utf8');
      const r = parseLitmus({ path: f, text });
      expect(r.ok ? [] : r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      if (!r.ok) return;
      expect(r.program.name).toBe(/^C (\S+)/.exec(text)![1]);
      expect(r.program.threads.map((t) => t.name)).toEqual(r.program.threads.map((_, i) => `P${i}`));
      // Every instruction points at the source it came from.
      const spans = (is: readonly MemInstr[]): Span[] => is.flatMap((i) => [i.span, ...(i.kind === 'if' ? [...spans(i.then), ...spans(i.else)] : [])]);
      for (const sp of r.program.threads.flatMap((t) => spans(t.body))) {
        expect(0 <= sp.start && sp.start < sp.end && sp.end <= text.length).toBe(true);
        expect(text.slice(sp.start, sp.end)).toMatch(/^[A-Za-z_(*]/);
      }
    });
  }
});

describe('memory programs', () => {
  it('MP+pooncerelease+poacquireonce, whole', () => {
    expect(shown(herdProgram('MP+pooncerelease+poacquireonce.litmus'))).toEqual({
      name: 'MP+pooncerelease+poacquireonce',
      locations: [{ name: 'buf', init: 0, lock: false }, { name: 'flag', init: 0, lock: false }],
      threads: [
        {
          name: 'P0', registers: {}, body: [
            { kind: 'store', loc: once('buf'), value: num(1), mode: 'once', span: 'WRITE_ONCE(*buf, 1);' },
            { kind: 'store', loc: once('flag'), value: num(1), mode: 'release', span: 'smp_store_release(flag, 1);' },
          ],
        },
        {
          name: 'P1', registers: {}, body: [
            { kind: 'load', reg: 'r0', loc: once('flag'), mode: 'acquire', span: 'r0 = smp_load_acquire(flag);' },
            { kind: 'load', reg: 'r1', loc: once('buf'), mode: 'once', span: 'r1 = READ_ONCE(*buf);' },
          ],
        },
      ],
      quantifier: 'exists',
      condition: {
        kind: 'and',
        left: { kind: 'eq', left: { kind: 'reg', thread: 1, reg: 'r0' }, right: 1 },
        right: { kind: 'eq', left: { kind: 'reg', thread: 1, reg: 'r1' }, right: 0 },
      },
      show: [],
      filter: null,
      span: expect.stringMatching(/^C MP\+pooncerelease\+poacquireonce[\s\S]*exists \(1:r0=1 \/\\ 1:r1=0\)$/),
    });
  });

  it('C-MP+o-wmb-o+o-addr-o: initial values, a pointer init, an address dependency, an address in the condition', () => {
    const p = shown(herdProgram('C-MP+o-wmb-o+o-addr-o.litmus')) as MemProgram;
    expect(p.locations).toEqual([
      { name: 'y', init: 1, lock: false },
      { name: 'x1', init: { loc: 'y' }, lock: false },
      { name: 'x0', init: 0, lock: false },
    ]);
    expect(p.threads[0]!.body).toEqual([
      { kind: 'store', loc: once('x0'), value: num(2), mode: 'once', span: 'WRITE_ONCE(*x0, 2);' },
      { kind: 'fence', fence: 'wmb', span: 'smp_wmb();' },
      { kind: 'store', loc: once('x1'), value: once('x0'), mode: 'once', span: 'WRITE_ONCE(*x1, x0);' },
    ]);
    expect(p.threads[1]!.body).toEqual([
      { kind: 'load', reg: 'r2', loc: once('x1'), mode: 'once', span: 'r2 = READ_ONCE(*x1);' },
      { kind: 'load', reg: 'r3', loc: reg('r2'), mode: 'once', span: 'r3 = READ_ONCE(*r2);' },
    ]);
    expect(p.condition).toEqual({
      kind: 'and',
      left: { kind: 'eq', left: { kind: 'reg', thread: 1, reg: 'r2' }, right: { loc: 'x0' } },
      right: { kind: 'eq', left: { kind: 'reg', thread: 1, reg: 'r3' }, right: 1 },
    });
  });

  it('C-WWC+o+o-r+o-addr-o: a cast, a parameter as a value, x=x', () => {
    const p = shown(herdProgram('C-WWC+o+o-r+o-addr-o.litmus')) as MemProgram;
    expect(p.locations.map((l) => [l.name, l.init])).toEqual([['a', 0], ['b', 0], ['x', { loc: 'a' }], ['y', { loc: 'b' }]]);
    expect(p.threads[0]!.body).toEqual([{ kind: 'store', loc: once('x'), value: once('x'), mode: 'once', span: 'WRITE_ONCE(*x, x);' }]);
    expect(p.threads[2]!.body).toEqual([
      { kind: 'load', reg: 'r2', loc: once('y'), mode: 'once', span: 'r2 = (int**)READ_ONCE(*y);' },
      { kind: 'store', loc: reg('r2'), value: once('a'), mode: 'once', span: 'WRITE_ONCE(*r2, a);' },
    ]);
    const c = p.condition as { right: unknown };
    expect(c.right).toEqual({ kind: 'eq', left: { kind: 'loc', name: 'x' }, right: { loc: 'x' } });
  });

  it('C-RomanPenyaev-list-rcu-rr: undeclared registers, RCU, a chain of pointer inits, locations [...]', () => {
    const p = shown(herdProgram('C-RomanPenyaev-list-rcu-rr.litmus')) as MemProgram;
    expect(p.locations.map((l) => [l.name, l.init])).toEqual([['z', 1], ['y', { loc: 'z' }], ['x', { loc: 'y' }], ['w', { loc: 'x' }], ['v', { loc: 'w' }], ['c', { loc: 'w' }]]);
    expect(p.threads[0]!.body.slice(0, 4)).toEqual([
      { kind: 'store', loc: once('w'), value: once('y'), mode: 'release', span: 'rcu_assign_pointer(*w, y);' },
      { kind: 'fence', fence: 'sync-rcu', span: 'synchronize_rcu();' },
      { kind: 'load', reg: 'r1', loc: once('c'), mode: 'once', span: 'r1 = READ_ONCE(*c);' },
      {
        kind: 'if', cond: { kind: 'binary', op: '==', left: reg('r1'), right: once('x') },
        then: [
          { kind: 'store', loc: once('c'), value: num(0), mode: 'once', span: 'WRITE_ONCE(*c, 0);' },
          { kind: 'fence', fence: 'sync-rcu', span: 'synchronize_rcu();' },
        ],
        else: [],
        span: expect.stringMatching(/^if \(r1 == x\) \{[\s\S]*\}$/),
      },
    ]);
    expect(p.threads[1]!.body.slice(0, 5)).toEqual([
      { kind: 'fence', fence: 'rcu-lock', span: 'rcu_read_lock();' },
      { kind: 'load', reg: 'r1', loc: once('c'), mode: 'once', span: 'r1 = READ_ONCE(*c);' },
      expect.objectContaining({ kind: 'if' }),
      { kind: 'load', reg: 'r2', loc: reg('r1'), mode: 'once', span: 'r2 = rcu_dereference(*r1);' },
      { kind: 'store', loc: once('c'), value: reg('r2'), mode: 'release', span: 'smp_store_release(c, r2);' },
    ]);
    expect(p.show).toEqual([
      { kind: 'reg', thread: 0, reg: 'r1' }, { kind: 'reg', thread: 1, reg: 'r1' }, { kind: 'reg', thread: 1, reg: 'r3' },
      ...['c', 'v', 'w', 'x', 'y'].map((name) => ({ kind: 'loc', name })),
    ]);
    expect(p.condition.kind).toBe('or');
  });

  it('add_unless_mb: atomic_t, atomic_add_unless, locations [z;]', () => {
    const p = shown(herdProgram('add_unless_mb.litmus')) as MemProgram;
    expect(p.locations.map((l) => l.name)).toEqual(['z', 'x', 'y']);
    expect(p.threads[0]!.body[1]).toEqual({
      kind: 'rmw', reg: 'r0', loc: once('z'), op: 'add_unless', operands: [num(1), num(5)], mode: 'mb', result: 'test', span: 'r0 = atomic_add_unless(z,1,5);',
    });
    expect(p.show).toEqual([{ kind: 'loc', name: 'z' }]);
  });

  it('spinlock-is-locked-self: a lock parameter, spin_is_locked, not (...)', () => {
    const p = shown(herdProgram('spinlock-is-locked-self.litmus')) as MemProgram;
    expect(p.locations).toEqual([{ name: 'lo', init: 0, lock: true }]);
    expect(p.threads[0]!.body).toEqual([
      { kind: 'islocked', reg: 'r1', loc: once('lo'), span: 'r1 = spin_is_locked(lo);' },
      { kind: 'lock', loc: once('lo'), span: 'spin_lock(lo);' },
      { kind: 'islocked', reg: 'r2', loc: once('lo'), span: 'r2 = spin_is_locked(lo);' },
      { kind: 'unlock', loc: once('lo'), span: 'spin_unlock(lo);' },
      { kind: 'islocked', reg: 'r3', loc: once('lo'), span: 'r3 = spin_is_locked(lo);' },
    ]);
    expect(p.condition.kind).toBe('not');
  });

  it('MP+relacq: a declaration with a negative initial value, if (r0 != 0)', () => {
    const p = shown(herdProgram('MP+relacq.litmus')) as MemProgram;
    expect(p.threads[1]!.body).toEqual([
      { kind: 'assign', reg: 'r1', value: num(-1), span: 'int r1 = -1;' },
      { kind: 'load', reg: 'r0', loc: once('y'), mode: 'acquire', span: 'r0 = smp_load_acquire(y);' },
      {
        kind: 'if', cond: { kind: 'binary', op: '!=', left: reg('r0'), right: num(0) },
        then: [{ kind: 'load', reg: 'r1', loc: once('x'), mode: 'once', span: 'r1 = READ_ONCE(*x);' }],
        else: [], span: expect.stringMatching(/^if \(r0 != 0\) \{/),
      },
    ]);
  });

  it('C-LB+cmpxchg-ctrl-o+o-ctrl-o: cmpxchg, expected then new', () => {
    const p = shown(herdProgram('C-LB+cmpxchg-ctrl-o+o-ctrl-o.litmus')) as MemProgram;
    expect(p.threads[0]!.body[0]).toEqual({
      kind: 'rmw', reg: 'r1', loc: once('x'), op: 'cmpxchg', operands: [num(2), num(3)], mode: 'mb', result: 'old', span: 'r1 = cmpxchg(x, 2, 3);',
    });
  });

  it('ISA2+pooncelock+pooncelock+pombonce: a lock known only from its parameters', () => {
    const p = shown(herdProgram('ISA2+pooncelock+pooncelock+pombonce.litmus')) as MemProgram;
    expect(p.locations).toEqual([
      { name: 'x', init: 0, lock: false }, { name: 'y', init: 0, lock: false },
      { name: 'mylock', init: 0, lock: true }, { name: 'z', init: 0, lock: false },
    ]);
  });
});

describe('the init block and the condition', () => {
  it('register inits, types, ATOMIC_INIT, hex and negative numbers', () => {
    const p = program('C t\n{ 0:r1=1; P1:r2=x; unsigned long u = 0x10; atomic_t a = ATOMIC_INIT(-3); spinlock_t lo; int *p = &u; }\n'
      + 'P0(int *x) { WRITE_ONCE(*x, r1); }\nP1(int *x) { WRITE_ONCE(*x, r2); }\nexists (0:r1=1)');
    expect(p.locations).toEqual([
      { name: 'u', init: 16, lock: false }, { name: 'a', init: -3, lock: false }, { name: 'lo', init: 0, lock: true },
      { name: 'p', init: { loc: 'u' }, lock: false }, { name: 'x', init: 0, lock: false },
    ]);
    expect(p.threads.map((t) => Object.fromEntries(t.registers))).toEqual([{ r1: 1 }, { r2: { loc: 'x' } }]);
  });

  it('a value may name a location declared after it, or none (a symbolic address)', () => {
    const p = program('C t\n{ int *a = b; int b = 2; int *c = d; }\nP0(int *a) { }\nexists (a=b)');
    expect(p.locations.map((l) => [l.name, l.init])).toEqual([['a', { loc: 'b' }], ['b', 2], ['c', { loc: 'd' }], ['d', 0]]);
  });

  it('filter, ~exists, forall, !=, <>, ==, =>, false, true, and a location named only in the condition', () => {
    const p = program('C t\n{}\nP0(int *x) { int r0 = READ_ONCE(*x); }\nfilter (0:r0 != 1)\n~exists (q=1 /\\ x <> 2 /\\ 0:r0 == 0 => false \\/ true)');
    expect(p.quantifier).toBe('not-exists');
    expect(p.filter).toEqual({ kind: 'not', operand: { kind: 'eq', left: { kind: 'reg', thread: 0, reg: 'r0' }, right: 1 } });
    const q: unknown = { kind: 'eq', left: { kind: 'loc', name: 'q' }, right: 1 };
    const x: unknown = { kind: 'not', operand: { kind: 'eq', left: { kind: 'loc', name: 'x' }, right: 2 } };
    // herd's precedence: => binds tighter than /\, which binds tighter than \/.
    const imp: unknown = { kind: 'or', left: { kind: 'not', operand: { kind: 'eq', left: { kind: 'reg', thread: 0, reg: 'r0' }, right: 0 } }, right: { kind: 'not', operand: { kind: 'true' } } };
    expect(p.condition).toEqual({ kind: 'or', left: { kind: 'and', left: { kind: 'and', left: q, right: x }, right: imp }, right: { kind: 'true' } });
    expect(p.locations.map((l) => l.name)).toEqual(['x', 'q']);
    expect(program('C t\n{}\nP0(int *x) { }\nforall (x=0)').quantifier).toBe('forall');
    expect(program('C t\n{}\nP0(int *x) { }\n(x=0)').quantifier).toBe('exists');
    const none = program('C t\n{}\nP0(int *x) { }\n');
    expect([none.quantifier, none.condition]).toEqual(['forall', { kind: 'true' }]);
  });

  it('comments of the three kinds, and (*x) in C code, which is no comment', () => {
    const p = program('(* before *) C t // a name\n"doc (* not a comment *)"\n{ x = 1; (* init *) /* c */ }\n'
      + 'P0(int *x) // the thread\n{\n  int r0 = (*x); /* a plain read */\n  r0 = r0 * (*x);\n}\n(* after *) exists (0:r0=1) // end');
    expect(p.name).toBe('t');
    expect(shown(p)).toMatchObject({ threads: [{ body: [
      { kind: 'load', reg: 'r0', loc: once('x'), mode: 'plain', span: 'int r0 = (*x);' },
      { kind: 'load', reg: '__t0', loc: once('x'), mode: 'plain', span: '*x' },
      { kind: 'assign', reg: 'r0', value: { kind: 'binary', op: '*', left: reg('r0'), right: reg('__t0') }, span: 'r0 = r0 * (*x);' },
    ] }] });
  });
});

describe('thread code', () => {
  it('plain C accesses', () => {
    expect(body('int r0; r0 = *x; *y = r0 + 1;')).toEqual([
      { kind: 'load', reg: 'r0', loc: once('x'), mode: 'plain', span: 'r0 = *x;' },
      { kind: 'store', loc: once('y'), value: { kind: 'binary', op: '+', left: reg('r0'), right: num(1) }, mode: 'plain', span: '*y = r0 + 1;' },
    ]);
  });

  it('a primitive inside an expression reads a fresh register, made before the statement', () => {
    expect(body('if (READ_ONCE(*x)) WRITE_ONCE(*y, 1);')).toEqual([
      { kind: 'load', reg: '__t0', loc: once('x'), mode: 'once', span: 'READ_ONCE(*x)' },
      { kind: 'if', cond: reg('__t0'), then: [{ kind: 'store', loc: once('y'), value: num(1), mode: 'once', span: 'WRITE_ONCE(*y, 1);' }], else: [], span: 'if (READ_ONCE(*x)) WRITE_ONCE(*y, 1);' },
    ]);
    expect(body('int r; r = atomic_dec_and_test(z) + 1;')).toEqual([
      { kind: 'rmw', reg: '__t0', loc: once('z'), op: 'sub', operands: [num(1)], mode: 'mb', result: 'new', span: 'atomic_dec_and_test(z)' },
      { kind: 'assign', reg: 'r', value: { kind: 'binary', op: '+', left: { kind: 'binary', op: '==', left: reg('__t0'), right: num(0) }, right: num(1) }, span: 'r = atomic_dec_and_test(z) + 1;' },
    ]);
    expect(body('if (spin_trylock(lo)) { spin_unlock(lo); } else smp_mb();')).toEqual([
      { kind: 'trylock', reg: '__t0', loc: once('lo'), span: 'spin_trylock(lo)' },
      { kind: 'if', cond: reg('__t0'), then: [{ kind: 'unlock', loc: once('lo'), span: 'spin_unlock(lo);' }], else: [{ kind: 'fence', fence: 'mb', span: 'smp_mb();' }], span: 'if (spin_trylock(lo)) { spin_unlock(lo); } else smp_mb();' },
    ]);
  });

  it('temporaries are evaluated left to right and never take a name of the thread', () => {
    expect(body('int __t0; int r = READ_ONCE(*x) - atomic_add_negative(2, z);')).toEqual([
      { kind: 'load', reg: '__t1', loc: once('x'), mode: 'once', span: 'READ_ONCE(*x)' },
      { kind: 'rmw', reg: '__t2', loc: once('z'), op: 'add', operands: [num(2)], mode: 'mb', result: 'new', span: 'atomic_add_negative(2, z)' },
      { kind: 'assign', reg: 'r', value: { kind: 'binary', op: '-', left: reg('__t1'), right: { kind: 'binary', op: '<', left: reg('__t2'), right: num(0) } }, span: 'int r = READ_ONCE(*x) - atomic_add_negative(2, z);' },
    ]);
  });

  it('the read-modify-writes: operands in the def\'s order, result and ordering', () => {
    const rmws = body([
      'r = xchg_relaxed(x, 5);', 'r = atomic_cmpxchg_acquire(z, 1, 2);', 'atomic_add(3, z);', 'atomic_inc(z);',
      'r = atomic_fetch_sub_release(4, z);', 'r = atomic_inc_return(z);', 'xchg(x, 1);', 'r = atomic_sub_and_test(2, z);',
    ].join('\n')) as object[];
    const strip = (i: object) => { const { kind: _k, loc: _l, span: _s, ...rest } = i as Record<string, unknown>; return rest; };
    expect(rmws.map(strip)).toEqual([
      { reg: 'r', op: 'xchg', operands: [num(5)], mode: 'once', result: 'old' },
      { reg: 'r', op: 'cmpxchg', operands: [num(1), num(2)], mode: 'acquire', result: 'old' },
      { reg: null, op: 'add', operands: [num(3)], mode: 'once', result: 'none' },
      { reg: null, op: 'add', operands: [num(1)], mode: 'once', result: 'none' },
      { reg: 'r', op: 'sub', operands: [num(4)], mode: 'release', result: 'old' },
      { reg: 'r', op: 'add', operands: [num(1)], mode: 'mb', result: 'new' },
      // A value-returning rmw as a statement keeps its ordering, with no register.
      { reg: null, op: 'xchg', operands: [num(1)], mode: 'mb', result: 'old' },
      { reg: '__t0', op: 'sub', operands: [num(2)], mode: 'mb', result: 'new' },
      { reg: 'r', value: { kind: 'binary', op: '==', left: reg('__t0'), right: num(0) } },
    ]);
  });

  it('the other loads, stores and fences', () => {
    const instrs = body([
      'smp_store_mb(*x, 1);', 'r = atomic_read(z);', 'atomic_set(z, 2);', 'r = atomic_read_acquire(z);', 'atomic_set_release(z, r);',
      'smp_mb__before_atomic();', 'barrier();', 'synchronize_rcu_expedited();',
    ].join('\n'), 'int *x, atomic_t *z') as Record<string, unknown>[];
    expect(instrs.map((i) => [i.kind, i.mode ?? i.fence, i.span])).toEqual([
      ['store', 'once', 'smp_store_mb(*x, 1);'], ['fence', 'mb', 'smp_store_mb(*x, 1);'],
      ['load', 'once', 'r = atomic_read(z);'], ['store', 'once', 'atomic_set(z, 2);'],
      ['load', 'acquire', 'r = atomic_read_acquire(z);'], ['store', 'release', 'atomic_set_release(z, r);'],
      ['fence', 'before-atomic', 'smp_mb__before_atomic();'], ['fence', 'barrier', 'barrier();'], ['fence', 'sync-rcu', 'synchronize_rcu_expedited();'],
    ]);
  });

  it('operators, and a register holding a pointer', () => {
    expect(body('int *p; int r; p = x; r = READ_ONCE(*p); r = !r && -r || r % 2 ^ 1 | r & 3;')).toEqual([
      { kind: 'assign', reg: 'p', value: once('x'), span: 'p = x;' },
      { kind: 'load', reg: 'r', loc: reg('p'), mode: 'once', span: 'r = READ_ONCE(*p);' },
      {
        kind: 'assign', reg: 'r', span: 'r = !r && -r || r % 2 ^ 1 | r & 3;',
        value: {
          kind: 'binary', op: '||',
          left: { kind: 'binary', op: '&&', left: { kind: 'not', operand: reg('r') }, right: { kind: 'neg', operand: reg('r') } },
          right: { kind: 'binary', op: '|', left: { kind: 'binary', op: '^', left: { kind: 'binary', op: '%', left: reg('r'), right: num(2) }, right: num(1) }, right: { kind: 'binary', op: '&', left: reg('r'), right: num(3) } },
        },
      },
    ]);
  });
});

describe('errors', () => {
  const test = (code: string, params = 'int *x, int *y') => `C t\n{}\nP0(${params})\n{\n${code}\n}\nexists (x=0)\n`;

  it('are values with a span, never thrown', () => {
    expect(errors('C t\n{}\nP0(int *x) { WRITE_ONCE(*x, 1) }\nexists (x=1)')).toEqual([['W6001', '}']]);
    expect(errors('C t\n{}\nP0(int *x) { r = 1; }\nexists (x=1')).toEqual([['W6001', '']]);
    expect(errors('C t\n{ x = 1; (* open\n}\n')).toEqual([['W6001', '(*']]);
    expect(errors('C t\n"open\n')).toEqual([['W6001', '"']]);
    expect(errors(`C t\n{}\nP0(int *x) { r = ${'('.repeat(60)}1${')'.repeat(60)}; }\n`)[0]![0]).toBe('W6014');
    expect(errors(`C t\n{}\nP0(int *x) { r = ${'!'.repeat(20000)}1; }\n`)[0]![0]).toBe('W6014');
    expect(errors(`C t\n{}\n${' '.repeat(300_000)}`)[0]![0]).toBe('W6013');
  });

  it('the syntax error words what was expected', () => {
    const r = parseLitmus({ path: 't', text: 'C t\n{}\nP0(int *x) { int r0 = READ_ONCE(*x) WRITE_ONCE(*x, 1); }\n' });
    expect(!r.ok && r.diagnostics[0]!.message).toBe("litmus syntax error: expected \";\", \",\" or an operator, found 'WRITE_ONCE'");
    const message = (text: string) => { const m = parseLitmus({ path: 't', text }); return m.ok ? '' : m.diagnostics[0]!.message; };
    expect(message('C t\n{}\nP0(int *x) { r = ; }\n')).toBe("litmus syntax error: expected an expression, found ';'");
    expect(message('C t\n{}\nP0(int *x) { }\nexists (x=1 /\\ )\n')).toBe("litmus syntax error: expected a condition, found ')'");
    expect(message('C\n{}\n')).toBe("litmus syntax error: expected a space and the test's name, found '{'");
  });

  it('unknown primitives, SRCU, loops, arrays, pointer arithmetic, &', () => {
    expect(errors(test('READ_ONCE_(*x);'))).toEqual([['W6002', 'READ_ONCE_']]);
    expect(errors(test('int r = srcu_read_lock(x);'))).toEqual([['W6004', 'srcu_read_lock']]);
    expect(errors(test('while (1) smp_mb();'))).toEqual([['W6004', 'while']]);
    expect(errors(test('int a[2];'))).toEqual([['W6004', 'a[2]']]);
    expect(errors(test('WRITE_ONCE(*(x + 1), 1);'))).toEqual([['W6004', 'x + 1']]);
    expect(errors(test('r = &y;'))).toEqual([['W6004', '&y']]);
    expect(errors(test('r = READ_ONCE(*x) || READ_ONCE(*y);'))).toEqual([['W6004', 'READ_ONCE(*y)']]);
    expect(errors('C t\n{ int a[2]; }\nP0(int *x) { }\n')).toEqual([['W6004', 'int a[2]']]);
  });

  it('arguments: how many, and an access where one is needed', () => {
    expect(errors(test('WRITE_ONCE(*x);'))).toEqual([['W6006', 'WRITE_ONCE(*x)']]);
    expect(errors(test('r = READ_ONCE(x);'))).toEqual([['W6007', 'x']]);
    expect(errors(test('r = smp_mb() + 1;'))).toEqual([['W6011', 'smp_mb()']]);
    expect(errors(test('r = atomic_inc(x);'))).toEqual([['W6011', 'atomic_inc(x)']]);
  });

  it('names: unknown ones, parameters assigned, declared twice', () => {
    expect(errors(test('WRITE_ONCE(*x, r9);'))).toEqual([['W6008', 'r9']]);
    expect(errors(test('x = 1;'))).toEqual([['W6012', 'x']]);
    expect(errors(test('int x;'))).toEqual([['W6009', 'x']]);
    expect(errors(test('', 'int *x, int *x'))).toEqual([['W6009', 'x']]);
    expect(errors('C t\n{ x = 1; int x = 2; 0:r=1; 0:r=2; }\nP0(int *x) { }\n')).toEqual([['W6009', 'x'], ['W6009', '0:r=2']]);
  });

  it('threads out of order, and the condition', () => {
    expect(errors('C t\n{}\nP0(int *x) { }\nP2(int *x) { }\n')).toEqual([['W6005', 'P2']]);
    expect(errors('C t\n{ 3:r0=1; }\nP0(int *x) { }\n')).toEqual([['W6005', '3:r0=1']]);
    expect(errors('C t\n{}\nP0(int *x) { int r0; }\nexists (0:r1=0 /\\ 1:r0=0 /\\ x=nowhere)')).toEqual([['W6003', '0:r1'], ['W6003', '1:r0'], ['W6003', 'nowhere']]);
    expect(errors('C t\n{}\nP0(int *x) { }\nlocations [0:r5]\n')).toEqual([['W6003', '0:r5']]);
  });

  it('another architecture, and numbers beyond 2^53', () => {
    expect(errors('AArch64 t\n{}\n P0 | P1 ;\n MOV W0,#1 | LDR W1,[X2] ;\nexists (1:X1=0)\n')).toEqual([['W6010', 'AArch64']]);
    expect(errors('(* a comment *) X86 t\n{}\n')).toEqual([['W6010', 'X86']]);
    expect(errors(test('WRITE_ONCE(*x, 123456789012345678901);'))).toEqual([['W6015', '123456789012345678901']]);
  });
});
