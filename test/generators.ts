/**
 * Random models built from the language's constructs, for property tests:
 * the fuzz test feeds them (with some ill-typed pieces that keep the
 * checker's error paths busy) through the front end, and the agreement
 * test runs the well-typed ones on both explorers.
 */
import fc from 'fast-check';

export function randomModel(opts: { illTyped: boolean }): fc.Arbitrary<string> {
  const ill = opts.illTyped;
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
      ...(ill ? [fc.constantFrom('undefined_thing', 'x', 'pte + 1')] : []),
    ),
  })).e as fc.Arbitrary<string>;

  const simple = fc.oneof(
    fc.tuple(fc.constantFrom('x', 'n', 'f.pins'), fc.constantFrom('=', '+=', '-='), intExpr).map(([a, o, b]) => `${a} ${o} ${b};`),
    fc.tuple(fc.constantFrom('y', 'f.dirty', 'xs[1]', 'xs[x]'), boolExpr).map(([a, b]) => `${a} = ${b};`),
    fc.constantFrom('pte = rw;', 'pte = ro;', 'skip;', 'pick n in 0..2;', 'bump(n);', 'bump(x);', 'mark(y);', 'mark(true);', ...(ill ? ['x = x / 0;'] : [])),
    boolExpr.map((e) => `assert(${e}, "msg");`),
  );

  const stmt: fc.Arbitrary<string> = fc.letrec((tie) => ({
    s: fc.oneof(
      { depthSize: 'small' },
      simple, simple,
      boolExpr.map((e) => `await ${e};`),
      fc.constantFrom('lock(m); x = 1; unlock(m);', 'down_read(s); up_read(s);', 'down_write(s); y = false; up_write(s);', 'unlock(m);'),
      ...(ill ? [fc.constantFrom('break;', 'var z: bool;', 'lock(s);', 'bump(3);')] : []),
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
  return model;
}
