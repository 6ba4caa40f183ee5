/**
 * What the checker knows while it works, and what it hands to lowering:
 * symbols, scopes and the side tables keyed by AST node (types of
 * expressions, what each name refers to). The AST itself is never changed.
 */
import type { Fairness } from '../explore/liveness/fairness.ts';
import type * as A from '../syntax/ast.ts';
import { diag, type Diagnostic, type Related } from '../text/diagnostic.ts';
import type { Code } from '../text/messages.ts';
import type { SourceFile, Span } from '../text/source.ts';
import type { EnumType, StructType, Type, Value } from './types.ts';

export type Sym =
  | { readonly kind: 'const'; readonly name: string; readonly type: Type; readonly value: Value }
  | { readonly kind: 'option'; readonly name: string; readonly type: Type; readonly value: Value }
  | { readonly kind: 'enumMember'; readonly name: string; readonly type: EnumType; readonly value: number }
  | { readonly kind: 'shared'; readonly name: string; readonly type: Type; readonly index: number }
  | { readonly kind: 'local'; readonly name: string; readonly type: Type; readonly index: number }
  | { readonly kind: 'param'; readonly name: string; readonly type: Type; readonly index: number }
  | { readonly kind: 'quant'; readonly name: string; readonly depth: number };

/** A chain of name tables, innermost first. */
export class Scope {
  private readonly names = new Map<string, Sym>();
  constructor(readonly parent: Scope | null, readonly where: ScopeKind) {}
  lookup(name: string): Sym | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
  define(sym: Sym): void {
    this.names.set(sym.name, sym);
  }
  namesForSuggestion(): string[] {
    return [...this.names.keys()];
  }
  /** Nesting depth of quantifiers, for the IR's bound variables. */
  quantDepth(): number {
    let n = 0;
    for (let s: Scope | null = this; s; s = s.parent) if (s.where.kind === 'quant') n++;
    return n;
  }
  /** The nearest actor or fn this scope is inside, if any. */
  owner(): ScopeKind {
    for (let s: Scope | null = this; s; s = s.parent) if (s.where.kind !== 'quant') return s.where;
    return { kind: 'global' };
  }
}

export type ScopeKind =
  | { readonly kind: 'global' }
  /** Invariants and reachable targets: shared state only. */
  | { readonly kind: 'property' }
  | { readonly kind: 'actor'; readonly actor: ActorSig }
  | { readonly kind: 'fn'; readonly fn: FnSig }
  | { readonly kind: 'quant' };

export interface GlobalVar { readonly name: string; readonly type: Type; readonly init: Value; readonly span: Span }
export interface LocalVar { readonly name: string; readonly type: Type; readonly init: Value; readonly span: Span }

export interface ActorSig {
  readonly index: number;
  readonly decl: A.ActorDecl;
  readonly count: number;
  readonly isArray: boolean;
  readonly locals: LocalVar[];
  /** The statements after the `var` declarations. */
  readonly body: readonly A.Stmt[];
  /** What each instance is owed on a fair run, with the variant's options applied; weak when the clause is missing. */
  readonly fairness: Fairness;
}

export interface FnSig {
  readonly decl: A.FnDecl;
  readonly params: readonly { readonly name: string; readonly type: Type }[];
}

export class Ctx {
  readonly diagnostics: Diagnostic[] = [];
  /** The type of every expression that was checked. */
  readonly types = new Map<A.Expr, Type>();
  /** What every `name` expression refers to. */
  readonly refs = new Map<A.Expr, Sym>();
  /** The actor of each instance expression of a property (`a` in `a@l`, `a[i]` in `a[i].x`): check/instances.ts. */
  readonly actorRefs = new Map<A.Expr, ActorSig>();
  /** Kernel builtins: counters passed to a builtin, calls where they may stand (check/kernel.ts). */
  readonly kernelPermits = new Set<A.Expr>();
  readonly enums = new Map<string, EnumType>();
  readonly structs = new Map<string, StructType>();
  readonly fns = new Map<string, FnSig>();
  readonly globals: GlobalVar[] = [];
  readonly actors: ActorSig[] = [];
  readonly global = new Scope(null, { kind: 'global' });

  constructor(readonly file: SourceFile) {}

  error(code: Code, span: Span, args: (string | number)[] = [], notes: string[] = [], related: readonly Related[] = []): void {
    // An expression may be checked twice (a const's type is inferred before its value is required): report once.
    if (this.diagnostics.some((d) => d.code === code && d.span.start === span.start && d.span.end === span.end)) return;
    this.diagnostics.push(diag(code, this.file, span, args, notes, related));
  }

  /** W2002 at a second declaration of a name, with the first one as a note (it may be in another file). */
  declaredTwice(second: A.Ident, first: Span, notes: string[] = []): void {
    this.error('W2002', second.span, [second.name], notes, [{ span: first, message: `note: '${second.name}' is first declared here` }]);
  }

  text(span: Span): string {
    return this.file.text.slice(span.start, span.end);
  }
}
