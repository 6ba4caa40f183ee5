/**
 * A memory program: what the Linux-kernel memory model (LKMM) mode checks
 * (issue 16). It is the shape of a C litmus test of the herdtools format:
 * shared locations with initial values, a few threads of straight-line code
 * with `if`s over registers, and a condition on the final registers and
 * memory. Both front ends produce it: `weft litmus import` from a litmus
 * test (src/litmus/), and `weft check --memory-model lkmm` from a loop-free
 * (or unrolled) Weft model. The LKMM engine beside this file turns it into
 * candidate executions (events, rf, co) and keeps those the model allows.
 *
 * The operations are the kernel's as linux-kernel.def spells them, each
 * tagged with the annotation the LKMM's events carry ('once', 'acquire',
 * 'release', 'mb' for the fully ordered read-modify-writes): the engine,
 * not the front ends, decides which events and fences each one makes, so
 * that rule is written once.
 */

import type { SourceFile, Span } from '../../text/source.ts';

/** Where an instruction came from (offsets into the program's source file), for counterexamples that point at lines. */
export type MemSpan = Span;

/** A value: an integer, or the address of a shared location (a pointer, as in `int *y = z;`). */
export type Value = number | { readonly loc: string };

export type MemExpr =
  | { readonly kind: 'const'; readonly value: Value }
  | { readonly kind: 'reg'; readonly reg: string }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: MemExpr; readonly right: MemExpr }
  | { readonly kind: 'not'; readonly operand: MemExpr }
  | { readonly kind: 'neg'; readonly operand: MemExpr };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

/**
 * Where an access goes: an expression whose value is a location's address,
 * `{ kind: 'const', value: { loc: 'x' } }` for `*x` with x a parameter (or
 * `x` given to a macro that takes a pointer, as smp_store_release(x, 1)),
 * or a register holding a pointer (`READ_ONCE(*r2)`: the read that gave r2
 * is then ordered before this access by an address dependency).
 */
export type LocRef = MemExpr;

/** The kernel's access modes, RMWs and fences are the language's (check/builtins.ts): one vocabulary for both front ends. */
export type { FenceKind, LoadMode, RmwMode, RmwOp, RmwResult, StoreMode } from '../../check/builtins.ts';
import type { FenceKind, LoadMode, RmwMode, RmwOp, RmwResult, StoreMode } from '../../check/builtins.ts';

export type MemInstr =
  | { readonly kind: 'load'; readonly reg: string; readonly loc: LocRef; readonly mode: LoadMode; readonly span: MemSpan }
  | { readonly kind: 'store'; readonly loc: LocRef; readonly value: MemExpr; readonly mode: StoreMode; readonly span: MemSpan }
  | { readonly kind: 'rmw'; readonly reg: string | null; readonly loc: LocRef; readonly op: RmwOp; readonly operands: readonly MemExpr[]; readonly mode: RmwMode; readonly result: RmwResult; readonly span: MemSpan }
  | { readonly kind: 'fence'; readonly fence: FenceKind; readonly span: MemSpan }
  /** spin_lock, spin_unlock; spin_trylock and spin_is_locked leave 1 or 0 in `reg`. */
  | { readonly kind: 'lock' | 'unlock'; readonly loc: LocRef; readonly span: MemSpan }
  | { readonly kind: 'trylock' | 'islocked'; readonly reg: string; readonly loc: LocRef; readonly span: MemSpan }
  /** A register computed from others: no memory event, but it carries dependencies. */
  | { readonly kind: 'assign'; readonly reg: string; readonly value: MemExpr; readonly span: MemSpan }
  | { readonly kind: 'if'; readonly cond: MemExpr; readonly then: readonly MemInstr[]; readonly else: readonly MemInstr[]; readonly span: MemSpan };

export interface MemThread {
  /** P0, P1... as the litmus test numbers them. */
  readonly name: string;
  readonly body: readonly MemInstr[];
  /** Registers the thread declares with an initial value (litmus `0:r1=...` in the init block); others start at 0. */
  readonly registers: ReadonlyMap<string, Value>;
}

export interface MemLocation {
  readonly name: string;
  readonly init: Value;
  /** A spinlock_t (for the events the lock primitives make on it). */
  readonly lock: boolean;
}

/** The final condition, over registers (`1:r0`) and locations (`x`). */
export type MemCond =
  | { readonly kind: 'true' }
  | { readonly kind: 'eq'; readonly left: CondTerm; readonly right: Value }
  | { readonly kind: 'not'; readonly operand: MemCond }
  | { readonly kind: 'and' | 'or'; readonly left: MemCond; readonly right: MemCond };

export type CondTerm =
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: string }
  | { readonly kind: 'loc'; readonly name: string };

export interface MemProgram {
  readonly name: string;
  /** The source the spans point into (the litmus test, or the Weft model). */
  readonly source: SourceFile;
  readonly locations: readonly MemLocation[];
  readonly threads: readonly MemThread[];
  /** herd's quantifiers: `exists` (Sometimes/Never), `forall` (Always/Sometimes), `~exists`. */
  readonly quantifier: 'exists' | 'forall' | 'not-exists';
  readonly condition: MemCond;
  /** The `locations [...]` clause: what herd7 also prints of each final state. */
  readonly show: readonly CondTerm[];
  /** A `filter` clause: executions that fail it are left out before the condition is asked. */
  readonly filter: MemCond | null;
  readonly span: MemSpan;
}

/** herd's answer for a test: how many allowed executions satisfy the condition, of how many. */
export interface MemVerdict {
  /** Never: no allowed execution satisfies the condition; Always: all do; Sometimes: some do. */
  readonly observation: 'Never' | 'Sometimes' | 'Always';
  readonly positive: number;
  readonly negative: number;
  /** The model's flags raised by some allowed execution (`data-race`, `mixed-accesses`, ...). */
  readonly flags: readonly string[];
}
