/**
 * The syntax tree of a C litmus test, as grammar/litmus.ohm reads it and
 * before any meaning is given (src/litmus/lower.ts does that): names are
 * still names, calls are still calls. Every node has a span into the
 * test's text.
 */
import type { Span } from '../text/source.ts';

export interface Ident {
  readonly name: string;
  readonly span: Span;
}

export interface LitmusTest {
  /** `C` (parse.ts refuses another architecture's test before it is matched). */
  readonly arch: Ident;
  readonly name: Ident;
  readonly init: readonly InitItem[];
  readonly threads: readonly ThreadSyntax[];
  readonly show: readonly CondLocSyntax[];
  readonly filter: PropSyntax | null;
  /** null: the test has no final condition (herd's default, `forall (true)`). */
  readonly final: { readonly quantifier: 'exists' | 'forall' | 'not-exists'; readonly prop: PropSyntax; readonly span: Span } | null;
  readonly span: Span;
}

// ---- The init block ----

export type InitVal =
  | { readonly kind: 'num'; readonly value: number; readonly span: Span }
  /** A location's name: its address (`int *y = z;`, `int *x1 = &y;`). */
  | { readonly kind: 'name'; readonly name: string; readonly span: Span };

export type InitItem =
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: Ident; readonly value: InitVal | null; readonly span: Span }
  | { readonly kind: 'loc'; readonly types: readonly string[]; readonly name: Ident; readonly value: InitVal | null; readonly span: Span }
  | { readonly kind: 'array'; readonly name: Ident; readonly span: Span };

// ---- Threads ----

export interface Param {
  /** The words of its type (`spinlock_t`): a spinlock_t parameter is a lock. */
  readonly types: readonly string[];
  readonly name: Ident;
  readonly span: Span;
}

export interface ThreadSyntax {
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly span: Span;
}

export type CBinaryOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';
export type CUnaryOp = '!' | '-' | '*' | '&';

export type CExpr =
  | { readonly kind: 'num'; readonly value: number; readonly span: Span }
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  | { readonly kind: 'call'; readonly callee: Ident; readonly args: readonly CExpr[]; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: CUnaryOp; readonly operand: CExpr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: CBinaryOp; readonly left: CExpr; readonly right: CExpr; readonly span: Span }
  | { readonly kind: 'index'; readonly target: CExpr; readonly index: CExpr; readonly span: Span };

export interface Declarator {
  readonly name: Ident;
  /** `int r[2]`: an array, which the LKMM mode does not have. */
  readonly array: boolean;
  readonly init: CExpr | null;
  readonly span: Span;
}

export type Stmt =
  | { readonly kind: 'block'; readonly body: readonly Stmt[]; readonly span: Span }
  | { readonly kind: 'if'; readonly cond: CExpr; readonly then: Stmt; readonly else: Stmt | null; readonly span: Span }
  /** while, do and for: parsed so that they can be refused by name. */
  | { readonly kind: 'loop'; readonly word: Ident; readonly span: Span }
  | { readonly kind: 'decl'; readonly declarators: readonly Declarator[]; readonly span: Span }
  | { readonly kind: 'assign'; readonly target: CExpr; readonly value: CExpr; readonly span: Span }
  | { readonly kind: 'expr'; readonly expr: CExpr; readonly span: Span }
  | { readonly kind: 'empty'; readonly span: Span };

// ---- The condition ----

export type CondLocSyntax =
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: Ident; readonly span: Span }
  | { readonly kind: 'loc'; readonly name: Ident; readonly span: Span };

export type PropSyntax =
  | { readonly kind: 'true' | 'false'; readonly span: Span }
  /** `=` and `==` (negated: `!=`, `<>`): a location or a register, and a number or a location's address. */
  | { readonly kind: 'compare'; readonly negated: boolean; readonly left: CondLocSyntax; readonly right: InitVal; readonly span: Span }
  | { readonly kind: 'not'; readonly operand: PropSyntax; readonly span: Span }
  | { readonly kind: 'and' | 'or' | 'imp'; readonly left: PropSyntax; readonly right: PropSyntax; readonly span: Span };
