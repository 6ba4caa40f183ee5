/**
 * Random models built from every construct of the language, for property
 * tests and the soak script: the fuzz test feeds them (with some ill-typed
 * pieces that keep the checker's error paths busy) through the front end,
 * the agreement test runs the well-typed ones on both explorers, and the
 * SPIN cross-check exports them. Because the models go in as text, a bug
 * in parsing, checking or lowering shows up as a disagreement with SPIN
 * (through the exporter that starts from the AST) or as a crash.
 *
 * Each model is a fixed prelude of declarations (every type the language
 * has: hex constants, enums, structs with locks, arrays of structs, nested
 * arrays, negative and wide ranges, a variable at 2^31 - 1, bool, range
 * and enum options, an atomic_t and a refcount_t, wait queues and a
 * completion), whose initial values are
 * drawn from the edges of their ranges, followed by random properties, variants and actors whose
 * statements and expressions are typed against the prelude, so that most
 * models check. The prelude is the same text in every model, so shrinking
 * (fast-check's, on the records below) keeps it and removes the rest.
 *
 * The kernel vocabulary comes in every position a builtin may stand in:
 * statements (atomics, refcounts, plain cmpxchg/xchg, READ_ONCE and
 * WRITE_ONCE, warnings, labelled ones included), the right side of `=`,
 * and `if`/`while` conditions (trylocks alone, negated, compared); the
 * sleeping ones (schedule, wait_event, wait_for_completion) as statements
 * and first in atomic blocks, wait_event's condition a random one; RCU's
 * read-side critical sections, grace periods and callbacks among them.
 *
 * State spaces stay small: at most three actors of at most two instances,
 * a few statements each, picks over a few values; the tests bound the
 * search anyway.
 */
import fc from 'fast-check';

export interface GeneratorOptions {
  /** Mix in ill-typed pieces (unknown names, wrong types, misplaced statements). */
  readonly illTyped: boolean;
  /**
   * Families of constructs to leave out, for a soak run that must look past
   * a known disagreement: 'big' (arithmetic on values near 2^31 whose
   * intermediates pass 2^53 or SPIN's 32 bits), 'dynamicLiteral' (struct
   * and array literals whose fields are not constants).
   */
  readonly exclude?: readonly Family[];
}

export type Family = 'big' | 'dynamicLiteral';

/** Where an expression is read: properties see only shared state and constants; actor arrays also `self`. */
type Ctx = 'prop' | 'actor' | 'array';

const prelude = (v: { x: number; z: number; w: string; big: string; neg: string; at: number; rc: number }): string[] => [
  'const N = 2;', 'const H = 0x1f;',
  'enum Pte { none, ro, rw }', 'enum Mode { slow, fast }',
  'struct P { dirty: bool; pins: 0..2; }',
  'struct F { lock: mutex; dirty: bool; pins: 0..2; }',
  'struct G { ms: mutex[2]; ps: P[2]; }',
  'option flag: bool = false;', 'option k: 0..3 = 1;', 'option mode: Mode = slow;',
  `shared x: 0..3 = ${v.x};`, `shared z: -4..4 = ${v.z};`, `shared w: -300..300 = ${v.w};`,
  `shared big: 0..2147483647 = ${v.big};`, `shared neg: -2147483647 - 1..0 = ${v.neg};`,
  'shared y: bool = true;', 'shared f: F;', 'shared g: G;',
  'shared p: P = { dirty: true };', 'shared q: P;', 'shared ps: P[2] = [{ pins: 1 }, { dirty: true, pins: 2 }];',
  'shared grid: 0..2[2][N] = [[1, 2], [0]];', 'shared xs: bool[3] = [true, false, true];',
  'shared m: mutex;', 'shared sl: spinlock;', 'shared s: rwsem;', 'shared ms: mutex[N];', 'shared pte: Pte = none;',
  `shared at: atomic_t<0..3> = ${v.at};`, `shared rc: refcount_t<2> = ${v.rc};`,
  'shared wq: wait_queue_head_t;', 'shared wqs: wait_queue_head_t[2];', 'shared done: completion;',
  'fn bump(n: 0..3) { n += 1; }',
  'fn twice(n: 0..3) { bump(n); if (n < 3) bump(n); }',
  'fn take(l: mutex) { lock(l); x = 1; unlock(l); }',
  'fn setw(v: -300..300) { w = v; }',
  'fn mark(b: bool) { atomic { f.dirty = b; y = !b; } }',
  // RCU callbacks (call_rcu): one that reads inside a critical section of its own.
  'fn rcu_cb() { y = !y; }',
  'fn rcu_cb2() { rcu_read_lock(); x = rcu_dereference(x); rcu_read_unlock(); }',
];

const edges = {
  x: fc.constantFrom(0, 3, 1),
  z: fc.constantFrom(-2, -4, 4, 0),
  w: fc.constantFrom('0', '-300', '0x12c', '299', '-1'),
  big: fc.constantFrom('2147483647', '0x7fffffff', '2147483646', '46341', '2097152', '1', '0'),
  neg: fc.constantFrom('-2147483647 - 1', '-2147483647', '-46341', '0'),
  n: fc.constantFrom(0, 2, 3),
  c: fc.constantFrom(-2, -1, 2),
  at: fc.constantFrom(0, 1, 3),
  rc: fc.constantFrom(1, 0, 2),
};

/** Expressions of each type for one context. */
function expressions(ctx: Ctx, o: GeneratorOptions): { int: fc.Arbitrary<string>; bool: fc.Arbitrary<string> } {
  const ill = o.illTyped;
  const local = ctx !== 'prop';
  const intAtoms = [
    'x', 'z', 'w', 'k', 'N', 'H', 'f.pins', 'p.pins', 'ps[0].pins', 'ps[x % 2].pins', 'grid[1][0]', 'g.ps[1].pins',
    '0', '1', '2', '3', '0x3', '-1', '-x',
    ...(local ? ['n', 'c', 'n', 'c', 'atomic_read(at)', 'refcount_read(rc)', 'READ_ONCE(x)'] : ['at', 'rc', 'done']),
    ...(ctx === 'array' ? ['self', 'grid[self][n % 2]', 'ps[self].pins'] : []),
    ...(ill ? ['y', 'pte', 'undefined_int', ...(ctx !== 'array' ? ['self'] : [])] : []),
  ];
  const boolAtoms = [
    'y', 'flag', 'f.dirty', 'p.dirty', 'xs[0]', 'xs[x % 3]', 'true', 'false', 'g.ps[0].dirty',
    '(pte == rw)', '(pte != none)', '(mode == fast)', '(k >= 2)',
    ...(local ? ['b', 'b', 'READ_ONCE(y)'] : []),
    ...(ctx === 'array' ? ['xs[self]', 'ps[self].dirty'] : []),
    ...(ill ? ['undefined_thing', 'x', 'pte + 1', 'p == q', 'm'] : []),
  ];
  const divisors = ['x', 'z', 'w', '3', 'H', '-2', 'f.pins', ...(local ? ['n', 'c'] : []), ...(ctx === 'array' ? ['(self + 1)'] : [])];
  const big = !(o.exclude ?? []).includes('big');
  const bigAtoms = ['big', 'neg', '2147483647', '0x7fffffff', '46341', 'x'];

  const { int, bool } = fc.letrec((tie) => ({
    int: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: 3 },
      { arbitrary: fc.constantFrom(...intAtoms), weight: 8 },
      { arbitrary: fc.tuple(tie('int'), fc.constantFrom('+', '-', '*'), tie('int')).map(([a, op, b]) => `(${a} ${op} ${b})`), weight: 4 },
      // A divisor that is not a constant, so that the checker does not refuse a constant zero.
      { arbitrary: fc.tuple(tie('int'), fc.constantFrom('/', '%'), fc.constantFrom(...divisors)).map(([a, op, b]) => `(${a} ${op} ${b})`), weight: 2 },
      { arbitrary: tie('int').map((a) => `-${a}`), weight: 1 },
      { arbitrary: fc.tuple(tie('bool'), tie('int'), tie('int')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`), weight: 1 },
      // Values near 2^31 whose products pass 2^53: exact, or a `ranges` violation, never rounded.
      ...(big ? [{ arbitrary: fc.tuple(fc.constantFrom(...bigAtoms), fc.constantFrom('*', '+', '-', '/', '%'), fc.constantFrom(...bigAtoms), fc.constantFrom('%', '/'), fc.constantFrom('1000', '2', 'big', '3'))
        .map(([a, op, b, op2, c]) => `(${a} ${op} ${b} ${op2} ${c})`), weight: 1 }] : []),
    ),
    bool: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: 3 },
      { arbitrary: fc.constantFrom(...boolAtoms), weight: 8 },
      { arbitrary: fc.tuple(tie('int'), fc.constantFrom('==', '!=', '<', '<=', '>', '>='), tie('int')).map(([a, op, b]) => `(${a} ${op} ${b})`), weight: 6 },
      { arbitrary: fc.tuple(tie('bool'), fc.constantFrom('&&', '||', '->', '==', '!='), tie('bool')).map(([a, op, b]) => `(${a} ${op} ${b})`), weight: 3 },
      { arbitrary: tie('bool').map((a) => `!(${a})`), weight: 1 },
      { arbitrary: fc.tuple(tie('bool'), tie('bool'), tie('bool')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`), weight: 1 },
      // Quantifiers, over constant and negative bounds; the body reads the bound name and an atom.
      { arbitrary: fc.tuple(fc.constantFrom('forall', 'exists'), fc.constantFrom(
        ['0..N-1', 'xs[$]'], ['0..1', 'ps[$].dirty'], ['0..N-1', 'grid[$][0] < 2'], ['-1..1', 'z != $'], ['-2..0x2', '$ * $ <= x'],
      ), fc.constantFrom('||', '&&'), fc.constantFrom(...boolAtoms))
        .map(([q, [range, body], op, atom]) => `(${q} i in ${range}: ${body.replaceAll('$', 'i')} ${op} ${atom})`), weight: 2 },
      ...(big ? [{ arbitrary: fc.tuple(fc.constantFrom('big * big * big', 'big * big', 'neg * neg', 'big * neg', 'big * big - big * big'), fc.constantFrom('% 2 == 1', '> 0', '/ big == big', '% 3 != 0'))
        .map(([a, b]) => `(${a} ${b})`), weight: 1 }] : []),
    ),
  }));
  return { int, bool };
}

const INT_PLACES: Record<Ctx, readonly string[]> = {
  prop: [],
  actor: ['x', 'z', 'w', 'n', 'c', 'f.pins', 'p.pins', 'ps[1].pins', 'grid[0][1]', 'g.ps[0].pins'],
  array: ['x', 'z', 'w', 'n', 'c', 'f.pins', 'grid[self][0]', 'ps[self].pins', 'grid[1][self]'],
};
const BOOL_PLACES = ['y', 'b', 'f.dirty', 'xs[1]', 'xs[x % 3]', 'p.dirty', 'g.ps[1].dirty'];

/** Statements for an actor body (ctx 'actor' or 'array'). */
function statements(ctx: Ctx, o: GeneratorOptions): fc.Arbitrary<string> {
  const ill = o.illTyped;
  const { int, bool } = expressions(ctx, o);
  const exclude = o.exclude ?? [];
  const me = ctx === 'array' ? 'self' : '1';
  const copies = [
    'q = p;', 'ps[0] = q;', 'p = ps[1];', 'grid[0] = grid[1];', 'g.ps[0] = p;', 'g.ps = ps;', `ps[${me}] = g.ps[0];`,
    'xs = [true, false, true];', 'xs = [false];', 'p = { dirty: true };', 'q = { pins: 2, dirty: false };', 'ps = [{ pins: 1 }];',
    'grid = [[2, 1], [0, 0x2]];', 'grid[1] = [1, 0];',
  ];
  const dynamicLiterals = exclude.includes('dynamicLiteral') ? [] : ['p = { dirty: y, pins: n % 3 };', 'xs = [y, b, true];', 'ps = [q];', 'grid[0] = [n % 3, 2];'];
  const picks = ['pick n in 0..2;', 'pick x in 0..3;', 'pick z in -2..2;', 'pick c in -2..1;', 'pick w in 298..300;', 'pick w in -300..-299;', 'pick ps[1].pins in 0..2;', ...(ctx === 'array' ? ['pick grid[self][1] in 1..2;'] : [])];
  const calls = ['bump(n);', 'bump(x);', 'twice(n);', 'twice(f.pins);', 'setw(c);', 'setw(-5);', 'setw(c * 150);', 'setw(n * 100);', 'mark(b);', 'mark(true);'];
  const big = exclude.includes('big') ? [] : [
    'big = big * big % 1000;', 'big = big * big * big / (big * big);', 'big -= 1;', 'big += 1;', 'neg -= 1;', 'neg = -neg;',
    'big = big * 2 / 2;', 'neg = neg * neg / neg;', 'w = big * big % 301;', 'b = big * big % 2 == 1;', 'x = big * big * big * big / (big * big * big * big);',
    'big = -neg - 1;', 'neg = -big - 1;', 'big = (big + big) / 2;', 'x = (big * big - (big - 1) * (big + 1)) % 4;',
  ];
  // The kernel vocabulary (check/builtins.ts) in the positions it may take: statements and `=` here, conditions below.
  const kernel = [
    'atomic_inc(at);', 'atomic_dec(at);', 'atomic_add(2, at);', 'atomic_sub(1, at);', 'atomic_set(at, 1);',
    'n = atomic_read(at);', 'n = atomic_inc_return(at);', 'n = atomic_dec_return(at);', 'b = atomic_dec_and_test(at);',
    'b = atomic_inc_not_zero(at);', 'n = atomic_cmpxchg(at, 1, 2);', 'c = atomic_xchg(at, 0);', 'n = atomic_cmpxchg(at, n, n + 1);',
    'x = cmpxchg(x, n, 3);', 'n = cmpxchg(x, n, 0);', 'b = xchg(y, b);', 'pte = cmpxchg(pte, none, rw);', 'b = xchg(xs[x % 3], true);',
    'WRITE_ONCE(x, n);', 'WRITE_ONCE(p, q);', 'n = READ_ONCE(f.pins);',
    'refcount_inc(rc);', 'refcount_dec(rc);', 'b = refcount_dec_and_test(rc);', 'b = refcount_inc_not_zero(rc);', 'refcount_set(rc, 1);',
    'n = refcount_read(rc);', 'refcount_dec_and_test(rc);',
    'b = spin_trylock(sl);', 'b = WARN_ON(x == 3);',
    // Wait queues and completions that do not wait (schedule, wait_event and wait_for_completion are below).
    'prepare_to_wait(wq);', 'finish_wait(wq);', 'wake_up(wq);', 'wake_up_all(wq);', `prepare_to_wait(wqs[${me} % 2]);`, 'wake_up(wqs[x % 2]);',
    'complete(done);', 'complete_all(done);', 'reinit_completion(done);', 'b = try_wait_for_completion(done);', 'b = completion_done(done);',
    // RCU (lower/rcu.ts): loads, stores and callbacks may stand in an atomic block; synchronize_rcu may not.
    'n = rcu_dereference(x);', 'b = rcu_dereference(y);', 'rcu_assign_pointer(x, n);', 'rcu_assign_pointer(y, b);',
    'call_rcu(rcu_cb);', 'call_rcu(rcu_cb2);', '@L: call_rcu(rcu_cb);',
  ];
  const warnings = fc.oneof(
    bool.map((e) => `WARN_ON(${e});`), bool.map((e) => `warn(${e}, "w");`), bool.map((e) => `@L: WARN_ON_ONCE(${e});`),
    bool.map((e) => `@L: warn(${e});`), bool.map((e) => `b = WARN(${e}, "w");`), bool.map((e) => `WARN_ONCE(${e}, "w");`),
  );
  const assign = fc.oneof(
    fc.tuple(fc.constantFrom(...INT_PLACES[ctx]), fc.constantFrom('=', '+=', '-='), int).map(([a, op, e]) => `${a} ${op} ${e};`),
    fc.tuple(fc.constantFrom(...BOOL_PLACES), bool).map(([a, e]) => `${a} = ${e};`),
    fc.constantFrom('pte = rw;', 'pte = ro;', 'pte = (y ? ro : none);', 'x = (x + 1) % 4;', 'z = -z;', 'w = -w;', 'w = H * 9;'),
  );
  // Statements that never wait, so that they may stand anywhere in an atomic block.
  const simple = fc.oneof(
    { arbitrary: assign, weight: 80 },
    { arbitrary: fc.constantFrom(...copies), weight: 20 },
    ...(dynamicLiterals.length ? [{ arbitrary: fc.constantFrom(...dynamicLiterals), weight: 1 }] : []),
    { arbitrary: fc.constantFrom(...picks), weight: 20 },
    { arbitrary: fc.constantFrom('skip;', 'bump(n);', 'setw(c);', 'twice(n);'), weight: 20 },
    { arbitrary: bool.map((e) => `assert(${e}, "msg");`), weight: 20 },
    { arbitrary: bool.map((e) => `@L: assert(${e}, "labelled");`), weight: 20 },
    { arbitrary: fc.constantFrom(...kernel), weight: 30 },
    { arbitrary: warnings, weight: 10 },
    ...(big.length ? [{ arbitrary: fc.constantFrom(...big), weight: 8 }] : []),
    ...(ill ? [{ arbitrary: fc.constantFrom('x = x / 0;', 'y = 3;', 'pte = 1;', 'p = f;', 'xs = [true];', 'setw(x + 1);', 'take(p);', 'bump(3);',
      'at += 1;', 'atomic_inc(x);', 'x = atomic_inc_return(at) + 1;', 'spin_lock(m);', 'refcount_inc(at);', 'n = rc;', 'WARN(y);', 'x = bump(1);',
      'wq = wqs[0];', 'atomic { x = 1; wait_event(wq, y); }', 'prepare_to_wait(x);', 'complete(at);', 'wake_up(done);', 'x = done;', 'schedule(wq);', 'wait_event(wq, x);'), weight: 20 }] : []),
  );
  // Compile-time repetition, unrolled before lowering: each range with bodies whose indexes lie inside
  // it (the copies are checked as written out), an empty one, and one that a variant's `k` may empty.
  // The variable is `j`: quantifiers in the body's expressions use `i`, which must not hide it (W3052).
  const me2 = ctx === 'array' ? ' + self' : '';
  const forBodies: Record<string, readonly string[]> = {
    '0..N-1': ['xs[j] = !xs[j];', `ps[j].pins = (j${me2}) % 3;`, 'grid[j][1] = j;', 'if (j == 0) x = (x + 1) % 4; else y = !y;', `xs[(j${me2}) % 3] = y;`],
    '-1..0': ['z = j;', 'w = w % 100 + j;', 'if (j < 0) { z = -z; }'],
    'k..2': ['xs[j] = true;', 'x = j;', 'p.pins = j % 3;'],
    '2..1': ['x = 3;'],
  };
  const forLoop = fc.tuple(fc.constantFrom(...Object.keys(forBodies)), fc.nat(), fc.array(simple, { maxLength: 1 }), fc.boolean())
    .map(([range, which, more, first]) => {
      const own = forBodies[range]![which % forBodies[range]!.length]!;
      return `for j in ${range} { ${(first ? [own, ...more] : [...more, own]).join(' ')} }`;
    });
  // Conditions that hold a builtin: it acts in the condition's step (docs/language.md, "Kernel vocabulary").
  const kernelCond = fc.oneof(
    fc.constantFrom('spin_trylock(sl)', '!spin_trylock(sl)', 'mutex_trylock(m)', 'down_read_trylock(s)', '!down_write_trylock(s)',
      'atomic_dec_and_test(at)', '!atomic_inc_not_zero(at)', 'atomic_cmpxchg(at, 0, 1) == 0', 'cmpxchg(x, 1, 2) != 1',
      'refcount_dec_and_test(rc)', 'refcount_inc_not_zero(rc)', '1 < atomic_inc_return(at)', 'xchg(y, false)',
      'try_wait_for_completion(done)', '!completion_done(done)',
      'rcu_dereference(y)', '!rcu_dereference(y)', 'rcu_dereference(x) == 2'),
    bool.map((e) => `WARN_ON(${e})`), bool.map((e) => `!WARN_ON_ONCE(${e})`),
  );
  // What releases a lock a condition may have taken: the true branch of a trylock that succeeded.
  const release = (c: string): string => (c === 'spin_trylock(sl)' ? 'spin_unlock(sl);' : c === 'mutex_trylock(m)' ? 'mutex_unlock(m);' : c === 'down_read_trylock(s)' ? 'up_read(s);' : 'skip;');
  const afterFalse = (c: string): string => (c === '!spin_trylock(sl)' ? 'spin_unlock(sl);' : c === '!down_write_trylock(s)' ? 'up_write(s);' : 'skip;');
  const inAtomic: fc.Arbitrary<string> = fc.letrec((tie) => ({
    s: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: 3 },
      simple, simple,
      { arbitrary: forLoop, weight: 1 },
      fc.tuple(kernelCond, tie('s')).map(([c, a]) => `if (${c}) { ${a} ${release(c)} } else { ${afterFalse(c)} }`),
      fc.tuple(bool, tie('s')).map(([c, a]) => `if (${c}) { ${a} }`),
      fc.tuple(bool, tie('s'), tie('s')).map(([c, a, b]) => `if (${c}) ${a} else ${b}`),
      fc.tuple(tie('s'), tie('s')).map(([a, b]) => `choose { ${a} } or { ${b} }`),
    ),
  })).s as fc.Arbitrary<string>;

  const locked = (take: string, give: string) => fc.array(simple, { maxLength: 2 }).map((ss) => `${take} ${ss.join(' ')} ${give}`);
  const locks = fc.oneof(
    locked('lock(m);', 'unlock(m);'), locked('lock(sl);', 'unlock(sl);'), locked('lock(f.lock);', 'unlock(f.lock);'),
    locked(`lock(ms[${ctx === 'array' ? 'self' : '0'}]);`, `unlock(ms[${ctx === 'array' ? 'self' : '0'}]);`),
    locked('lock(g.ms[1]);', 'unlock(g.ms[1]);'),
    locked('down_read(s);', 'up_read(s);'), locked('down_write(s);', 'up_write(s);'),
    locked('spin_lock(sl);', 'spin_unlock(sl);'), locked('mutex_lock(m);', 'mutex_unlock(m);'), locked('while (!spin_trylock(sl)) skip;', 'spin_unlock(sl);'),
    // RCU read-side critical sections, nested ones, grace periods (inside a critical section: `locking`), and misuse.
    locked('rcu_read_lock();', 'rcu_read_unlock();'), locked('rcu_read_lock(); rcu_read_lock();', 'rcu_read_unlock(); rcu_read_unlock();'),
    locked('rcu_read_lock(); n = rcu_dereference(x);', 'rcu_read_unlock();'), locked('synchronize_rcu();', 'synchronize_rcu();'),
    fc.constantFrom('synchronize_rcu();', 'rcu_assign_pointer(x, 0); synchronize_rcu(); x = 3;', 'rcu_read_unlock();', 'rcu_read_lock(); synchronize_rcu(); rcu_read_unlock();'),
    // A trylock on a lock its caller holds fails (no deadlock); one by a reader that reads already is a retake.
    fc.constantFrom('spin_lock(sl); if (spin_trylock(sl)) skip; spin_unlock(sl);', 'down_read(s); if (down_read_trylock(s)) up_read(s); up_read(s);', 'spin_unlock(sl);', 'mutex_unlock(m);'),
    fc.constantFrom('take(m);', 'take(ms[1]);', 'take(g.ms[0]);', 'take(f.lock);', ...(ctx === 'array' ? ['take(ms[self]);'] : [])),
    // Misuse: the `locking` property, or a self-deadlock.
    fc.constantFrom('unlock(m);', 'up_read(s);', 'up_write(s);', 'down_write(s); up_read(s);', 'down_read(s); up_write(s);', 'lock(sl); lock(sl);', 'down_read(s); down_read(s); up_read(s);', 'down_read(s); down_write(s);'),
    ...(ill ? [fc.constantFrom('lock(s);', 'down_read(m);', 'lock(x);')] : []),
  );

  return fc.letrec((tie) => ({
    s: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: 3 },
      simple, simple, simple,
      fc.constantFrom(...calls, 'take(m);'),
      bool.map((e) => `await ${e};`),
      // Sleeping: wait_event's steps, the open-coded loop, a completion; wakers are among the kernel statements.
      fc.oneof(
        bool.map((e) => `wait_event(wq, ${e});`),
        bool.map((e) => `wait_event(wqs[${me} % 2], ${e});`),
        bool.map((e) => `loop { prepare_to_wait(wq); if (${e}) break; schedule(); } finish_wait(wq);`),
        fc.constantFrom('schedule();', 'wait_for_completion(done);', 'prepare_to_wait(wq); schedule();', 'if (!y) { prepare_to_wait(wq); schedule(); finish_wait(wq); }'),
      ),
      locks,
      ...(ill ? [fc.constantFrom('break;', 'var z2: bool;', 'atomic { x = 1; lock(m); }', 'atomic { while (y) { skip; } }',
        'continue;', 'for i in 0..x { skip; }', 'for x in 0..1 { skip; }', 'for i in 0..1 { i = 1; }', 'loop { for i in 0..1 { break; } }',
        'for i in 0..3 { xs[i] = true; }', 'for i in 0..1 { for i in 0..1 { skip; } }', 'atomic { for i in 0..1 { lock(ms[i]); } }')] : []),
      fc.tuple(bool, tie('s')).map(([c, a]) => `if (${c}) ${a}`),
      fc.tuple(bool, tie('s'), tie('s')).map(([c, a, b]) => `if (${c}) { ${a} } else { ${b} }`),
      fc.tuple(bool, tie('s'), bool, tie('s'), fc.option(tie('s'), { nil: null })).map(([c, a, d, b, e]) => `if (${c}) { ${a} } else if (${d}) { ${b} }${e === null ? '' : ` else { ${e} }`}`),
      // Conditions fixed at compile time: options select code.
      fc.tuple(fc.constantFrom('flag', '!flag', 'mode == fast', 'k > 1', 'k == 0 || flag'), tie('s'), tie('s')).map(([c, a, b]) => `if (${c}) { ${a} } else { ${b} }`),
      fc.tuple(bool, tie('s')).map(([c, a]) => `while (${c}) { ${a} }`),
      fc.tuple(kernelCond, tie('s')).map(([c, a]) => `if (${c}) { ${a} ${release(c)} } else { ${afterFalse(c)} }`),
      tie('s').map((a) => `loop { ${a} break; }`),
      fc.tuple(bool, tie('s')).map(([c, a]) => `loop { if (${c}) break; ${a} }`),
      fc.tuple(
        fc.oneof(bool.map((e) => `await ${e};`), fc.constantFrom('lock(m);', 'down_read(s);', 'lock(sl);', 'spin_lock(sl);', 'mutex_lock(m);', 'schedule();', 'wait_for_completion(done);', '')),
        fc.array(inAtomic, { minLength: 1, maxLength: 3 }),
      ).map(([first, ss]) => {
        const give = first === 'lock(m);' || first === 'mutex_lock(m);' ? ' unlock(m);' : first === 'down_read(s);' ? ' up_read(s);' : first === 'lock(sl);' || first === 'spin_lock(sl);' ? ' unlock(sl);' : '';
        return `atomic { ${first} ${ss.join(' ')}${give} }`;
      }),
      fc.tuple(tie('s'), tie('s'), fc.option(tie('s'), { nil: null })).map(([a, b, c]) => `choose { ${a} } or { ${b} }${c === null ? '' : ` or { ${c} }`}`),
      tie('s').map((a) => `@L: ${a}`),
      fc.tuple(tie('s'), tie('s')).map(([a, b]) => `{ ${a} ${b} }`),
      forLoop,
      // `continue` back to a loop's head; `x++` and `--n` as statements.
      fc.tuple(bool, tie('s')).map(([c, a]) => `while (${c}) { if (x == 3) { x = 0; continue; } ${a} x++; }`),
      fc.tuple(bool, tie('s')).map(([c, a]) => `loop { ${a} if (${c}) { --n; continue; } break; }`),
    ),
  })).s as fc.Arbitrary<string>;
}

/** Properties over the prelude: some that fault (a bad index, a division by zero), some over edge values. */
const FIXED_PROPS = [
  'invariant inv: x < 3;', 'invariant wide: w >= -299 && w <= 299;', 'invariant neg_z: z <= 3 || z == -z;',
  'invariant idx: xs[x];', 'invariant div: 10 / x > 0;', 'invariant grid_ok: forall i in 0..N-1: grid[i][0] <= 1;',
  'invariant pins: ps[x % 2].pins != 2 -> p.dirty;', 'invariant hex: H == 0x1F && N * H == 62;',
  'reachable r: y && f.dirty;', 'reachable two: exists i in 0..1: ps[i].pins == 2 && k == 1;',
  'reachable fast: mode == fast && pte == ro;', 'reachable edge: w == 300 || w == -300;',
];
const BIG_PROPS = ['invariant big_max: big * big * big / (big * big) == big;', 'invariant big_parity: big * big % 2 == big % 2;', 'reachable big_moved: big != 2147483647 && neg != -2147483647 - 1;'];

const VARIANTS = ['variant base {}', 'variant v1 { flag = true; k = 3; }', 'variant v2 { mode = fast; k = 0; }', 'variant v3 { flag = true; mode = fast; }'];
const VERDICTS = ['no deadlock', 'deadlock', 'violated ranges', 'holds locking', 'holds ranges, locking'];

export function randomModel(opts: GeneratorOptions): fc.Arbitrary<string> {
  const exclude = opts.exclude ?? [];
  const small = modelOf({ ...opts, exclude: [...exclude, 'big'] });
  // One model in four computes near 2^31, so that the others still find what they can.
  return exclude.includes('big') ? small : fc.oneof({ arbitrary: small, weight: 3 }, { arbitrary: modelOf(opts), weight: 1 });
}

function modelOf(opts: GeneratorOptions): fc.Arbitrary<string> {
  const stmts = { actor: statements('actor', opts), array: statements('array', opts) };
  const prop = expressions('prop', opts).bool;
  const big = !(opts.exclude ?? []).includes('big');
  // Fairness changes only liveness verdicts: on the others it must change nothing (states, traces).
  const fairness = fc.constantFrom('', '', ' fairness none', ' fairness weak', ' fairness strong');
  const actor = fc.tuple(fc.constantFrom('actor', 'daemon'), fc.constantFrom('', '', '[2]', '[N]', '[1]'), fc.boolean(), fairness)
    .chain(([kind, count, looping, fair]) => fc.array(count === '' ? stmts.actor : stmts.array, { minLength: 1, maxLength: 4 })
      .map((body) => ({ kind, count, fair, body: kind === 'daemon' && looping ? [`loop { ${body.join(' ')} }`] : body })));
  // One model in four states liveness properties (the SPIN export refuses those models, so the
  // others keep the SPIN cross-check busy): over the state, or over instances' positions and locals.
  const live = fc.tuple(fc.nat(2), prop, prop, fc.boolean(), fc.array(fc.nat(), { minLength: 4, maxLength: 4 }));
  type Live = [number, string, string, boolean, number[]];
  const lives: fc.Arbitrary<Live[]> = fc.oneof({ weight: 3, arbitrary: fc.constant<Live[]>([]) }, { weight: 1, arbitrary: fc.array(live, { minLength: 1, maxLength: 2 }) });

  return fc.record({
    values: fc.record(edges),
    fixed: fc.subarray(big ? [...FIXED_PROPS, ...BIG_PROPS] : FIXED_PROPS, { maxLength: 4 }),
    props: fc.array(fc.tuple(fc.constantFrom('invariant', 'reachable'), prop), { maxLength: 2 }),
    variants: fc.subarray(VARIANTS, { maxLength: 3 }),
    verdict: fc.constantFrom(...VERDICTS),
    actors: fc.array(actor, { minLength: 1, maxLength: 3 }),
    instanceProps: fc.array(fc.tuple(fc.constantFrom('invariant', 'reachable'), fc.nat(), fc.nat(), fc.nat(), fc.nat()), { maxLength: 2 }),
    lives,
  }).map(({ values, fixed, props, variants, verdict, actors, instanceProps, lives }) => {
    let label = 0;
    // Labels are numbered here: each must be unique within its actor, and a labelled assert names a property.
    const bodies = actors.map(({ body }) => body.join(' ').replace(/@L/g, () => `l${label++}`));
    const text = [
      ...prelude(values),
      ...fixed,
      ...props.map(([kind, e], i) => `${kind} p${i}: ${e};`),
      ...instanceProps.map(([kind, ...picks], i) => `${kind} q${i}: ${instanceProp(actors.map((a) => a.count), bodies, picks)};`),
      ...lives.map(([form, p, q, onInstance, picks], i) => {
        const goal = onInstance ? instanceProp(actors.map((a) => a.count), bodies, picks) : q;
        return `liveness v${i}: ${form === 0 ? `${p} ~> ${goal}` : form === 1 ? `eventually ${goal}` : `always eventually ${goal}`};`;
      }),
      ...variants,
      ...(variants.length ? [`expect ${variants[0]!.split(' ')[1]}: ${verdict};`] : [`expect default: ${verdict};`]),
      ...actors.map(({ kind, count, fair }, i) => `${kind} a${i}${count}${fair} { var n: 0..3 = ${values.n}; var c: -2..2 = ${values.c}; var b: bool = ${i % 2 === 0}; ${bodies[i]!} }`),
    ].join('\n');
    return withoutUnused(text);
  });
}

/**
 * A property over actor instances, from four random numbers: where an
 * instance is (`a0[1]@l3`, over a quantifier, or at an index from the state
 * that may be a bad one) and its locals (`a1.n`, `a0[j].c`), of the actors
 * `counts` (their `[N]` suffixes) whose code `bodies` is.
 */
function instanceProp(counts: readonly string[], bodies: readonly string[], [a, form, which, more]: number[]): string {
  const i = a! % counts.length;
  const size = { '': 0, '[1]': 1, '[2]': 2, '[N]': 2 }[counts[i]!] ?? 0;
  const labels = stepLabels(bodies[i]!);
  // The instance: the single actor, a constant index, or an index read from the state (0..3: maybe out of range).
  const inst = (k: number): string => (size === 0 ? `a${i}` : k % 3 === 0 ? `a${i}[x]` : `a${i}[${k % size}]`);
  const position = (k: number, who: string): string => (labels.length ? `${who}@${labels[k % labels.length]!}` : `${who}.b`);
  const local = (k: number, who: string): string => [`${who}.n == ${k % 4}`, `${who}.c < 0`, `${who}.b`, `${who}.n + ${who}.c > 1`][k % 4]!;
  switch (form! % 4) {
    case 0: return position(which!, inst(more!));
    case 1: return `${local(which!, inst(more!))} && !${position(more!, inst(which!))}`;
    case 2:
      if (size === 0) return `${position(which!, inst(0))} -> ${local(more!, inst(0))}`;
      return `exists qj in 0..${size - 1}: ${position(which!, `a${i}[qj]`)} || forall qk in 0..${size - 1}: ${local(more!, `a${i}[qk]`)}`;
    default: return `${local(which!, inst(more!))} || ${position(which!, inst(which! + more!))}`;
  }
}

/** The labels of a body that are positions: those not inside `atomic {}`, where no step starts (W3031). */
function stepLabels(body: string): string[] {
  const out: string[] = [];
  const frames: boolean[] = [];
  const re = /\batomic\s*\{|\{|\}|\b(l\d+):/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (m[1]) { if (!frames.includes(true)) out.push(m[1]); }
    else if (m[0] === '}') frames.pop();
    else frames.push(m[0] !== '{');
  }
  return out;
}

/**
 * Drops the prelude's declarations that nothing else names, so that a model
 * is only as long (to parse, to export, to store) as what it uses.
 */
function withoutUnused(text: string): string {
  const lines = text.split('\n');
  const declared = (line: string): string | null => /^(?:const|enum|struct|option|shared|fn) (\w+)/.exec(line)?.[1] ?? null;
  const keep = new Set<string>();
  const rest = lines.filter((l) => declared(l) === null).join('\n');
  const mentions = (t: string, name: string): boolean => new RegExp(`\\b${name}\\b`).test(t);
  const decls = lines.flatMap((l) => { const n = declared(l); return n === null ? [] : [{ name: n, line: l }]; });
  const todo = decls.filter((d) => mentions(rest, d.name));
  while (todo.length) {
    const d = todo.pop()!;
    if (keep.has(d.name)) continue;
    keep.add(d.name);
    const body = d.line.slice(d.line.indexOf(d.name) + d.name.length);
    for (const e of decls) if (!keep.has(e.name) && mentions(body, e.name)) todo.push(e);
  }
  return lines.filter((l) => { const n = declared(l); return n === null || keep.has(n); }).join('\n');
}
