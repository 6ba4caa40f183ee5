/**
 * The lock rules of state/locks.ts as both engines apply them: for every
 * lock value of a small domain, every instance and every operation, the
 * runtime the generated code calls (explore/runtime.ts) and the reference
 * interpreter (explore/evaluate.ts takeStep on a lowered model) agree on
 * whether the step is enabled (canAcquire), on the lock's next value, and
 * on which operations are misuse (NaN at run time, a `locking` violation in
 * the interpreter); and likewise for trylocks, which take the lock only
 * when lockFree holds and otherwise change nothing.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';
import { takeStep } from '../src/explore/evaluate.ts';
import { initialState, type State } from '../src/explore/state.ts';
import { runtime } from '../src/explore/runtime.ts';
import { MODE_EXCLUSIVE, MODE_READ, MODE_WRITE, type Mode } from '../src/emit/contract.ts';
import type { LockMode, Program } from '../src/lower/ir.ts';
import { canAcquire as promelaCanAcquire, lockFree as promelaLockFree } from '../src/export/promelaExpr.ts';
import { canAcquire, lockFree } from '../src/state/locks.ts';

const text = `shared m: mutex;
shared s: spinlock;
shared r: rwsem;
actor a[3] { lock(m); unlock(m); lock(s); unlock(s); down_read(r); up_read(r); down_write(r); up_write(r); }
`;

function program(): Program {
  const c = compileSource({ path: 'locks.weft', text }, { variant: null, defines: {} });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('\n'));
  return c.program;
}

type Seen = { kind: 'disabled' } | { kind: 'value'; value: number } | { kind: 'misuse' } | { kind: 'bug' };

/** What the interpreter does with step `pc` of instance `me` when the lock holds `value`. */
function interpreter(p: Program, pc: number, global: number, value: number, me: number): Seen {
  const init = initialState(p);
  const state: State = { ...init, globals: init.globals.map((g, i) => (i === global ? value : g)), pcs: init.pcs.map((x, i) => (i === me ? pc : x)) };
  const step = p.steps.find((s) => s.pc === pc)!;
  try {
    const out = takeStep(p, state, me, step);
    if (out.length === 0) return { kind: 'disabled' };
    const o = out[0]!;
    if (o.kind === 'error') return o.property === 'locking' ? { kind: 'misuse' } : { kind: 'bug' };
    return { kind: 'value', value: o.state.globals[global] as number };
  } catch {
    return { kind: 'bug' };
  }
}

/** What the generated code does: the guard (canAcquire, for an acquire), then acquire or release. */
function compiled(op: 'acquire' | 'release', mode: Mode, value: number, me: number): Seen {
  if (op === 'acquire' && !runtime.canAcquire(value, mode, me)) return { kind: 'disabled' };
  try {
    const v = runtime[op](value, mode, me);
    return v !== v ? { kind: 'misuse' } : { kind: 'value', value: v };
  } catch {
    return { kind: 'bug' };
  }
}

describe('lock rules: runtime and interpreter agree', () => {
  const p = program();
  const cases = [
    { pc: 0, global: 0, op: 'acquire', mode: MODE_EXCLUSIVE, values: [0, 1, 2, 3, 4] },
    { pc: 1, global: 0, op: 'release', mode: MODE_EXCLUSIVE, values: [0, 1, 2, 3, 4] },
    { pc: 2, global: 1, op: 'acquire', mode: MODE_EXCLUSIVE, values: [0, 1, 2, 3] },
    { pc: 3, global: 1, op: 'release', mode: MODE_EXCLUSIVE, values: [0, 1, 2, 3] },
    { pc: 4, global: 2, op: 'acquire', mode: MODE_READ, values: [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7] },
    { pc: 5, global: 2, op: 'release', mode: MODE_READ, values: [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7] },
    { pc: 6, global: 2, op: 'acquire', mode: MODE_WRITE, values: [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7] },
    { pc: 7, global: 2, op: 'release', mode: MODE_WRITE, values: [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7] },
  ] as const;
  for (const c of cases) {
    it(`${c.op} in mode ${c.mode} (step at pc ${c.pc})`, () => {
      const kinds = new Set<string>();
      for (const value of c.values) {
        for (let me = 0; me < 3; me++) {
          const a = interpreter(p, c.pc, c.global, value, me);
          const b = compiled(c.op, c.mode, value, me);
          expect(b, `value ${value}, instance ${me}`).toEqual(a);
          kinds.add(a.kind);
        }
      }
      // The domain reaches every outcome the operation has: no bug, ever.
      expect(kinds.has('bug')).toBe(false);
      expect(kinds.has('misuse')).toBe(true);
      expect(kinds.has('value')).toBe(true);
      if (c.op === 'acquire') expect(kinds.has('disabled')).toBe(true);
    });
  }
});

describe('lock rules: the Promela export renders canAcquire of state/locks.ts', () => {
  for (const mode of ['exclusive', 'read', 'write'] as const satisfies readonly LockMode[]) {
    it(mode, () => {
      // The rendered condition is C, which JavaScript reads the same way on these small integers.
      const test = new Function('lock', '_pid', `return ${promelaCanAcquire('lock', mode)};`) as (lock: number, pid: number) => boolean;
      for (let value = -4; value <= 15; value++) {
        for (let me = 0; me < 4; me++) expect(test(value, me), `value ${value}, instance ${me}`).toBe(canAcquire(value, mode, me));
      }
    });
  }
});

describe('trylocks: runtime and interpreter agree (state/locks.ts lockFree)', () => {
  const c = compileSource({
    path: 'trylocks.weft',
    text: `shared m: mutex;
shared r: rwsem;
actor a[3] { var got: bool; got = mutex_trylock(m); got = down_read_trylock(r); got = down_write_trylock(r); }
`,
  }, { variant: null, defines: {} });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('\n'));
  const p = c.program;
  const cases = [
    { pc: 0, global: 0, mode: MODE_EXCLUSIVE, values: [0, 1, 2, 3] },
    { pc: 1, global: 1, mode: MODE_READ, values: [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7] },
    { pc: 2, global: 1, mode: MODE_WRITE, values: [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7] },
  ] as const;
  for (const t of cases) {
    it(`a trylock in mode ${t.mode} (step at pc ${t.pc})`, () => {
      const kinds = new Set<string>();
      for (const value of t.values) {
        for (let me = 0; me < 3; me++) {
          const init = initialState(p);
          const state: State = { ...init, globals: init.globals.map((g, i) => (i === t.global ? value : g)), pcs: init.pcs.map((x, i) => (i === me ? t.pc : x)) };
          const out = takeStep(p, state, me, p.steps.find((s) => s.pc === t.pc)!);
          const o = out[0]!;
          const seen = o.kind === 'error' ? { kind: o.property } : { kind: 'value', lock: o.state.globals[t.global], got: o.state.locals[me]![0] };
          // The generated code: lockFree decides, then the acquire it makes (NaN: misuse).
          const free = runtime.lockFree(value, t.mode);
          const next = free ? runtime.acquire(value, t.mode, me) : value;
          const expected = next !== next ? { kind: 'locking' } : { kind: 'value', lock: next, got: free };
          expect(seen, `value ${value}, instance ${me}`).toEqual(expected);
          kinds.add(seen.kind === 'value' ? `got ${String((seen as { got: unknown }).got)}` : seen.kind);
        }
      }
      expect(kinds.has('got true') && kinds.has('got false')).toBe(true);
      // Only a reader that reads already misuses a trylock (a retake); the others fail instead of deadlocking.
      expect(kinds.has('locking')).toBe(t.mode === MODE_READ);
    });
  }

  for (const mode of ['exclusive', 'read', 'write'] as const satisfies readonly LockMode[]) {
    it(`the Promela export renders lockFree (${mode})`, () => {
      const test = new Function('lock', `return ${promelaLockFree('lock', mode)};`) as (lock: number) => boolean;
      for (let value = -4; value <= 15; value++) expect(test(value), `value ${value}`).toBe(lockFree(value, mode));
    });
  }
});
