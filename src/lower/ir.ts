/**
 * The IR: the contract between the front end and every explorer. A Program
 * is one model under one configuration (variant and -D options), with every
 * name resolved, every option and constant folded, every `fn` inlined, and
 * each actor's body flattened into guarded steps between program counters.
 *
 * One step is one atomic transition of one actor instance: it is enabled in
 * a state when the instance's pc equals `pc` and `guard` (if any) is true;
 * taking it runs `effect` and sets the pc to `next`. An effect may branch
 * (`choose`, `pick` inside an atomic block), so one step can have several
 * successors; it may also fail (an assert, a store out of range, lock
 * misuse), which ends that path with a violation.
 *
 * The state an explorer works on:
 *   globals  Value[]    one per `shared` variable, in declaration order
 *   pcs      number[]   one per actor instance
 *   locals   Value[][]  per instance, one per `var` of its actor
 */
import type { SourceFile, Span } from '../text/source.ts';
import type { Type, Value } from '../check/types.ts';
import type { BinaryOp, UnaryOp } from '../syntax/ast.ts';
import type { LockMode } from '../state/locks.ts';
import type { Fairness } from '../explore/liveness/fairness.ts';

export interface Program {
  readonly model: string;
  readonly variant: string;
  /**
   * The option values this program was built with, by name, for reports
   * only (lowering has folded them into the steps): an enum option by its
   * member's name.
   */
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly file: SourceFile;
  readonly globals: readonly VarInfo[];
  readonly actors: readonly ActorInfo[];
  /** Every actor instance, in declaration order; lock owners are indexes into this. */
  readonly instances: readonly Instance[];
  readonly steps: readonly Step[];
  readonly properties: readonly Property[];
  /**
   * The actor arrays declared `symmetric`, with where their instance
   * numbers are kept (lower/symmetry.ts proved that every step and
   * property treats the instances alike); empty when none is.
   */
  readonly symmetry: readonly SymmetricActor[];
}

/**
 * One `symmetric` actor array. A permutation of its instances maps a state
 * to an equivalent one: it moves each instance's pc and locals, the
 * elements of the `indexed` arrays, and maps the values of the `ids`
 * scalars and of every lock (whose value names its holders, state/locks.ts).
 */
export interface SymmetricActor {
  readonly actor: number;
  /**
   * Scalars holding an instance number of this actor (its `self`, 0..count-1).
   * A value outside 0..count-1 (say -1 for "no instance") names no instance:
   * a permutation leaves it as it is.
   */
  readonly ids: readonly Slot[];
  /** Arrays of `count` elements indexed by this actor's instance numbers. */
  readonly indexed: readonly Slot[];
}

/** A set of storage places: a variable and a path into it, `elem` standing for every element of an array. */
export interface Slot {
  readonly root: { readonly kind: 'global'; readonly index: number } | { readonly kind: 'local'; readonly actor: number; readonly index: number };
  readonly path: readonly SlotPart[];
}
export type SlotPart = { readonly kind: 'elem' } | { readonly kind: 'field'; readonly index: number };

/** An option's value as reports show it: bool, integer, or an enum member's name. */
export type OptionValue = boolean | number | string;

export interface VarInfo {
  readonly name: string;
  readonly type: Type;
  readonly init: Value;
  readonly span: Span;
}

export interface ActorInfo {
  readonly name: string;
  readonly daemon: boolean;
  /** Number of instances: 1 for `actor NAME`, N for `actor NAME[N]`. */
  readonly count: number;
  /** True for `actor NAME[N]`: instances print as NAME[i]. */
  readonly isArray: boolean;
  /** Declared `symmetric` (then Program.symmetry has an entry for it). */
  readonly symmetric: boolean;
  /** What each of its instances is owed on a fair run (`fairness WORD`; weak by default). Liveness verdicts only. */
  readonly fairness: Fairness;
  readonly locals: readonly VarInfo[];
  /** Number of program counters; the entry is 0. */
  readonly pcCount: number;
  /** The pc of a finished instance; no step leaves it. */
  readonly endPc: number;
  /** `stepsAt[pc]` lists the ids of the steps leaving pc, in source order. */
  readonly stepsAt: readonly (readonly number[])[];
  /** The pcs each label of the actor's code starts at, increasing (`a@l`, and the LKMM mode's `--actors a@l..m`). */
  readonly labels?: ReadonlyMap<string, readonly number[]>;
  readonly span: Span;
}

export interface Instance {
  readonly actor: number;
  /** The value of `self`. */
  readonly self: number;
  /** `writeback`, or `cpu[1]` for an actor array. */
  readonly name: string;
}

export interface Step {
  readonly id: number;
  readonly actor: number;
  readonly pc: number;
  readonly guard: Expr | null;
  readonly effect: readonly Op[];
  readonly next: number;
  /** The step's label, or a short rendering of its statement. */
  readonly label: string;
  /** True when `label` was written by the modeller. */
  readonly labelled: boolean;
  /** For the two steps testing an `if` or `while` condition: the outcome this one takes. */
  readonly branch?: boolean;
  /**
   * The condition the step tests, for traces only (`if (x > 0) is false
   * because x = 0`): an `if` or `while` condition (the outcome is
   * `branch`), or the `await` that is the step's guard. `span` is the
   * expression's.
   */
  readonly condition?: { readonly keyword: 'if' | 'while' | 'await'; readonly span: Span };
  /** The actor, then each inlined fn: writeback › folio_clear_dirty_for_io. */
  readonly callPath: readonly string[];
  readonly span: Span;
}

// ---- Expressions ----

export type Expr =
  | { readonly kind: 'const'; readonly value: Value }
  | { readonly kind: 'global'; readonly index: number }
  | { readonly kind: 'local'; readonly index: number }
  | { readonly kind: 'self' }
  /** A quantifier's variable, by nesting depth (0 for the outermost). */
  | { readonly kind: 'bound'; readonly depth: number }
  | { readonly kind: 'field'; readonly object: Expr; readonly field: number }
  | { readonly kind: 'index'; readonly object: Expr; readonly index: Expr; readonly size: number; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'cond'; readonly cond: Expr; readonly then: Expr; readonly else: Expr }
  /** `over`: the quantifier ranges over the instances of symmetric actor `over` (lo..hi is 0..count-1; lower/symmetry.ts). */
  | { readonly kind: 'quant'; readonly quantifier: 'forall' | 'exists'; readonly depth: number; readonly lo: number; readonly hi: number; readonly body: Expr; readonly over?: number }
  /**
   * A struct literal whose fields are not all constant: one expression per
   * field of the struct, in declaration order (fields the literal leaves
   * out are their default). Its value is stored like any aggregate, each
   * leaf checked against its declared type.
   */
  | { readonly kind: 'struct'; readonly fields: readonly Expr[] }
  /** An array literal whose elements are not all constant: one expression per element (`[v]` is v repeated). */
  | { readonly kind: 'array'; readonly elements: readonly Expr[] }
  /**
   * True when the running instance may try to take the lock: it is free
   * (for `read`, not write-held) or already held by this instance, in which
   * case the acquire fails with a locking violation instead of blocking.
   */
  | { readonly kind: 'canAcquire'; readonly lock: Expr; readonly mode: LockMode }
  /**
   * True when a trylock in `mode` takes the lock (state/locks.ts lockFree):
   * it is free, or for `read` not write-held. Then the acquire that follows
   * it succeeds, or (an instance that holds it for reading already) is a
   * locking violation; otherwise the trylock fails and changes nothing.
   */
  | { readonly kind: 'lockFree'; readonly lock: Expr; readonly mode: LockMode }
  /**
   * `a@l`: true when the instance is at one of `pcs`, the pcs (increasing,
   * possibly none) that the first steps of the statements labelled `label`
   * leave from. Properties only; never constant.
   */
  | { readonly kind: 'at'; readonly instance: InstanceRef; readonly label: string; readonly pcs: readonly number[] }
  /** `a.x`: local `index` of another instance, read by a property; a place root (lower/places.ts). */
  | { readonly kind: 'localOf'; readonly instance: InstanceRef; readonly index: number };

/**
 * One instance of an actor, as a property names it: `a` (index the
 * constant 0) or `a[i]`. `index` is the instance's `self`; outside
 * 0..count-1 it is a bad index, a \`ranges\` violation, reported at `span`.
 */
export interface InstanceRef {
  readonly actor: number;
  readonly index: Expr;
  readonly span: Span;
}

/** Places are the expressions that name storage: global, local, field, index. */
export type Place = Expr;

export type { LockMode };

// ---- Effects ----

export type Op =
  /** Store `value` into `target`, whose declared type is `type`; out of range is a violation. */
  | { readonly kind: 'assign'; readonly target: Place; readonly value: Expr; readonly type: Type; readonly span: Span }
  /**
   * `value` must lie in `type`, or the step fails property `ranges`: an
   * argument against its parameter's declared range, when the first step
   * of the fn body is taken, and a store through a parameter against the
   * parameter's range (the store itself checks the argument's). `what`
   * names the parameter and the call for messages.
   */
  | { readonly kind: 'check'; readonly value: Expr; readonly type: Type; readonly what: string; readonly span: Span }
  /** Each value of lo..hi is one successor. */
  | { readonly kind: 'pick'; readonly target: Place; readonly lo: number; readonly hi: number; readonly type: Type; readonly span: Span }
  | { readonly kind: 'assert'; readonly cond: Expr; readonly property: string; readonly message: string; readonly span: Span }
  /**
   * A non-fatal assert: if `cond` is false, the step records a violation of
   * `property` (a warning property) and goes on, as the kernel's WARN does.
   * The path is not ended; the outcome it is on carries the warning.
   */
  | { readonly kind: 'warn'; readonly cond: Expr; readonly property: string; readonly message: string; readonly span: Span }
  /**
   * Scalar stores made at once: every value and every target's indexes are
   * read first, then each value is checked against its target's declared
   * type (out of range is a violation) and stored, in order. A builtin that
   * stores and gives a value in one step (`old = xchg(x, 1)`) is this.
   */
  | { readonly kind: 'stores'; readonly stores: readonly Store[] }
  /**
   * Takes the lock, or fails with a locking violation if this instance holds
   * it already. Lowering only emits it as the first thing a step does, with
   * a `canAcquire` guard on the same lock, so it never has to wait.
   */
  | { readonly kind: 'acquire'; readonly lock: Place; readonly mode: LockMode; readonly span: Span }
  | { readonly kind: 'release'; readonly lock: Place; readonly mode: LockMode; readonly span: Span }
  | { readonly kind: 'if'; readonly cond: Expr; readonly then: readonly Op[]; readonly else: readonly Op[] }
  /** Each branch is one successor. */
  | { readonly kind: 'choose'; readonly branches: readonly (readonly Op[])[] };

/** One store of a `stores` op: a scalar target and its declared type. */
export interface Store {
  readonly target: Place;
  readonly value: Expr;
  readonly type: Type;
  readonly span: Span;
}

// ---- Properties ----

/**
 * Every verdict Weft reports is about one named property. Invariants and
 * reachable targets are declared; each labelled assert is its own property
 * and unlabelled ones share `assertions`, and so do warnings (`warnings`); `deadlock`, `ranges` (stores out
 * of range, bad indexes, division by zero) and `locking` (lock misuse) are
 * built in and always present. A declared property's span covers its whole
 * declaration (`invariant NAME: EXPR;`).
 */
export type Property =
  | { readonly kind: 'invariant'; readonly name: string; readonly expr: Expr; readonly span: Span }
  | { readonly kind: 'reachable'; readonly name: string; readonly expr: Expr; readonly span: Span }
  /**
   * `P ~> Q` (leadsTo), `eventually Q`, `always eventually Q`: decided on
   * the fair runs of the state graph once the search is complete
   * (explore/liveness.ts defines fair runs). p is null except for leadsTo.
   */
  | { readonly kind: 'liveness'; readonly form: LivenessForm; readonly name: string; readonly p: Expr | null; readonly q: Expr; readonly pSpan: Span | null; readonly qSpan: Span; readonly span: Span }
  | { readonly kind: 'assert'; readonly name: string; readonly span: Span }
  /** A labelled warning, or `warnings` for the others: violated when some step warns (an Op 'warn' whose condition is false). */
  | { readonly kind: 'warning'; readonly name: string; readonly span: Span }
  | { readonly kind: 'deadlock'; readonly name: 'deadlock' }
  | { readonly kind: 'ranges'; readonly name: 'ranges' }
  | { readonly kind: 'locking'; readonly name: 'locking' };

export type PropertyKind = Property['kind'];
export type LivenessForm = 'leadsTo' | 'eventually' | 'alwaysEventually';
export type { Fairness };
