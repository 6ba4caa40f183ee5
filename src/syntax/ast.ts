/**
 * The AST: what the text says, before any name is resolved. Every node is a
 * `kind`-tagged interface with the span it came from; the checker keeps its
 * findings in side tables keyed by node, and nothing mutates a node after
 * toAst built it.
 */
import type { Span } from '../text/source.ts';

export interface Ident {
  readonly name: string;
  readonly span: Span;
}

/**
 * A property's name as declared: `enters`, or `enters[i]` with constant
 * indexes, which tell apart the copies a `for` makes. The checker's
 * unrolling (check/unroll.ts) evaluates the indexes into the name
 * (`enters[0]`) and leaves none.
 */
export interface PropName extends Ident {
  readonly indexes: readonly Expr[];
}

export interface Model {
  readonly kind: 'model';
  readonly name: Ident | null;
  /** `import "path";` lines, in order; a loaded model (syntax/imports.ts) has its imported declarations in `decls`. */
  readonly imports: readonly Import[];
  readonly decls: readonly Decl[];
  readonly span: Span;
}

/** `import "locks.weft";`: the path as written (escapes undone), with the span of its string literal. */
export interface Import { readonly path: { readonly text: string; readonly span: Span }; readonly span: Span }

export type Decl =
  | ConstDecl | EnumDecl | StructDecl | SharedDecl | OptionDecl | FnDecl
  | ActorDecl | InvariantDecl | ReachableDecl | LivenessDecl | VariantDecl | ExpectDecl | ShapesDecl | ForDecl;

export interface ConstDecl { readonly kind: 'const'; readonly name: Ident; readonly value: Expr; readonly span: Span }
export interface EnumDecl { readonly kind: 'enum'; readonly name: Ident; readonly members: readonly Ident[]; readonly span: Span }
export interface FieldDecl { readonly name: Ident; readonly type: TypeExpr; readonly span: Span }
export interface StructDecl { readonly kind: 'struct'; readonly name: Ident; readonly fields: readonly FieldDecl[]; readonly span: Span }
export interface SharedDecl { readonly kind: 'shared'; readonly name: Ident; readonly type: TypeExpr; readonly init: Expr | null; readonly span: Span }
export interface OptionDecl { readonly kind: 'option'; readonly name: Ident; readonly type: TypeExpr; readonly value: Expr; readonly span: Span }
export interface Param { readonly name: Ident; readonly type: TypeExpr; readonly span: Span }
export interface FnDecl { readonly kind: 'fn'; readonly name: Ident; readonly params: readonly Param[]; readonly body: Block; readonly span: Span }
export interface ActorDecl {
  readonly kind: 'actor';
  readonly daemon: boolean;
  /**
   * The `symmetric` keyword, or null: the instances are declared
   * interchangeable (lower/symmetry.ts). An object with a `span`, as every
   * span of the AST is, so that parse.ts moves it with the others.
   */
  readonly symmetric: { readonly span: Span } | null;
  readonly name: Ident;
  /** `actor NAME[N]`: the instance count; null for a single actor. */
  readonly count: Expr | null;
  /** `fairness WORD` as written (the checker accepts none, weak, strong); null: the default. */
  readonly fairness: Ident | null;
  readonly body: Block;
  readonly span: Span;
}
export interface InvariantDecl { readonly kind: 'invariant'; readonly name: PropName; readonly expr: Expr; readonly span: Span }
export interface ReachableDecl { readonly kind: 'reachable'; readonly name: PropName; readonly expr: Expr; readonly span: Span }
/** `P ~> Q`, `eventually Q`, `always eventually Q`. */
export type LivenessForm = 'leadsTo' | 'eventually' | 'alwaysEventually';
export interface LivenessDecl {
  readonly kind: 'liveness';
  readonly name: PropName;
  readonly form: LivenessForm;
  /** The trigger of a leads-to; null for the other forms. */
  readonly p: Expr | null;
  readonly q: Expr;
  readonly span: Span;
}
export interface Setting { readonly name: Ident; readonly value: Expr; readonly span: Span }
export interface VariantDecl {
  readonly kind: 'variant';
  readonly name: Ident;
  readonly settings: readonly Setting[];
  /** Fns that replace the top-level fn of the same name in this variant only. */
  readonly fns: readonly FnDecl[];
  readonly span: Span;
}

/** What an `expect` line claims about one or more properties of one variant. */
export type ExpectWord = 'holds' | 'violated' | 'reached' | 'unreachable';
/**
 * `under lkmm "gup-barriers.weft" { m2, m2_opt_out: d824, d824_smp_mb; }`:
 * the model checked under the LKMM is the one named (its path relative to
 * this file), and each of these variants stands there for the variants
 * after the colon (commands/shapes.ts).
 */
export interface ShapesDecl {
  readonly kind: 'shapes';
  readonly memoryModel: Ident;
  readonly path: { readonly text: string; readonly span: Span };
  readonly maps: readonly ShapeMap[];
  readonly span: Span;
}
export interface ShapeMap { readonly variants: readonly Ident[]; readonly shapes: readonly Ident[]; readonly span: Span }

export interface ExpectDecl {
  readonly kind: 'expect';
  readonly variant: Ident;
  /** `under lkmm`: a verdict of the LKMM mode (`weft check --memory-model lkmm`); null: of interleavings. */
  readonly memoryModel: Ident | null;
  readonly word: ExpectWord;
  /**
   * The properties, in order; `deadlock` for `expect v: deadlock;` and `no
   * deadlock`. An index is part of the name (`enters[0]`); a name stands for
   * itself and for every property whose name continues it with an index
   * (syntax/families.ts).
   */
  readonly properties: readonly Ident[];
  readonly span: Span;
}
/**
 * `for i in lo..hi { ... }` around declarations: properties repeated at
 * compile time. The checker's unrolling replaces it with its copies.
 */
export interface ForDecl {
  readonly kind: 'for';
  readonly variable: Ident;
  readonly lo: Expr;
  readonly hi: Expr;
  readonly decls: readonly Decl[];
  readonly span: Span;
}

// ---- Types ----

export type LockKind = 'mutex' | 'spinlock' | 'rwsem';

export type TypeExpr =
  | { readonly kind: 'bool'; readonly span: Span }
  | { readonly kind: 'lock'; readonly lock: LockKind; readonly span: Span }
  | { readonly kind: 'range'; readonly lo: Expr; readonly hi: Expr; readonly span: Span }
  /** `atomic_t<lo..hi>`: a range that code reads and writes only with the atomic_* builtins (check/kernel.ts). */
  | { readonly kind: 'atomic'; readonly lo: Expr; readonly hi: Expr; readonly span: Span }
  /** `refcount_t<max>`: 0..max or saturated, through the refcount_* builtins only. */
  | { readonly kind: 'refcount'; readonly max: Expr; readonly span: Span }
  | { readonly kind: 'named'; readonly name: Ident; readonly span: Span }
  | { readonly kind: 'array'; readonly element: TypeExpr; readonly size: Expr; readonly span: Span };

// ---- Statements ----

export interface Block { readonly kind: 'block'; readonly stmts: readonly Stmt[]; readonly span: Span }

export type LockOp = 'lock' | 'unlock' | 'down_read' | 'up_read' | 'down_write' | 'up_write';
export type AssignOp = '=' | '+=' | '-=';

export type Stmt =
  | Block
  | { readonly kind: 'labelled'; readonly label: Ident; readonly stmt: Stmt; readonly span: Span }
  | { readonly kind: 'var'; readonly name: Ident; readonly type: TypeExpr; readonly init: Expr | null; readonly span: Span }
  | { readonly kind: 'if'; readonly cond: Expr; readonly then: Stmt; readonly else: Stmt | null; readonly span: Span }
  | { readonly kind: 'while'; readonly cond: Expr; readonly body: Stmt; readonly span: Span }
  | { readonly kind: 'loop'; readonly body: Stmt; readonly span: Span }
  | { readonly kind: 'break'; readonly span: Span }
  /** Back to the head of the innermost loop: the test of a `while`, the top of a `loop`. */
  | { readonly kind: 'continue'; readonly span: Span }
  /**
   * Compile-time repetition: the checker's unrolling (check/unroll.ts)
   * replaces it with one copy of the body per value of the variable, so no
   * later phase meets it.
   */
  | { readonly kind: 'for'; readonly variable: Ident; readonly lo: Expr; readonly hi: Expr; readonly body: Block; readonly span: Span }
  | { readonly kind: 'await'; readonly cond: Expr; readonly span: Span }
  | { readonly kind: 'atomic'; readonly body: Block; readonly span: Span }
  | { readonly kind: 'choose'; readonly branches: readonly Block[]; readonly span: Span }
  | { readonly kind: 'pick'; readonly target: Expr; readonly lo: Expr; readonly hi: Expr; readonly span: Span }
  | { readonly kind: 'assert'; readonly cond: Expr; readonly message: string | null; readonly span: Span }
  | { readonly kind: 'skip'; readonly span: Span }
  | { readonly kind: 'lockop'; readonly op: LockOp; readonly target: Expr; readonly span: Span }
  | { readonly kind: 'assign'; readonly target: Expr; readonly op: AssignOp; readonly value: Expr; readonly span: Span }
  /** A fn call, or a kernel builtin used as a statement (check/kernel.ts); `message` is `warn(c, "...")`'s. */
  | { readonly kind: 'call'; readonly callee: Ident; readonly args: readonly Expr[]; readonly message: string | null; readonly span: Span };

export type StmtKind = Stmt['kind'];

// ---- Expressions ----

export type BinaryOp =
  | '->' | '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '+' | '-' | '*' | '/' | '%';
export type UnaryOp = '!' | '-';

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'self'; readonly span: Span }
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  | { readonly kind: 'field'; readonly object: Expr; readonly field: Ident; readonly span: Span }
  | { readonly kind: 'index'; readonly object: Expr; readonly index: Expr; readonly span: Span }
  /** `a@l`, `a[i]@l`: the instance is about to run a step of the statement labelled `l` (properties only). */
  | { readonly kind: 'at'; readonly object: Expr; readonly label: Ident; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'cond'; readonly cond: Expr; readonly then: Expr; readonly else: Expr; readonly span: Span }
  | { readonly kind: 'quant'; readonly quantifier: 'forall' | 'exists'; readonly variable: Ident; readonly lo: Expr; readonly hi: Expr; readonly body: Expr; readonly span: Span }
  | { readonly kind: 'struct'; readonly fields: readonly { readonly name: Ident; readonly value: Expr }[]; readonly span: Span }
  | { readonly kind: 'array'; readonly elements: readonly Expr[]; readonly span: Span }
  /**
   * A kernel builtin that gives a value (`spin_trylock(l)`, `atomic_read(v)`,
   * `WARN_ON(c)`): where one may stand is check/kernel.ts's. A fn gives no
   * value; a call to one here is an error.
   */
  | { readonly kind: 'call'; readonly callee: Ident; readonly args: readonly Expr[]; readonly message: string | null; readonly span: Span };

export type ExprKind = Expr['kind'];
