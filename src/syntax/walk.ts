/**
 * The one generic traversal of statements: visits every statement of a
 * body in source order, depth first, telling the visitor the label written
 * directly on it (labelled asserts are properties of their own).
 */
import type * as A from './ast.ts';

export type StmtVisitor = (s: A.Stmt, label: A.Ident | null) => void;

export function forEachStmt(s: A.Stmt, visit: StmtVisitor, label: A.Ident | null = null): void {
  if (s.kind === 'labelled') return forEachStmt(s.stmt, visit, s.label);
  visit(s, label);
  for (const child of childStmts(s)) forEachStmt(child, visit);
}

function childStmts(s: A.Stmt): readonly A.Stmt[] {
  switch (s.kind) {
    case 'block': return s.stmts;
    case 'labelled': return [s.stmt];
    case 'atomic': return s.body.stmts;
    case 'if': return s.else ? [s.then, s.else] : [s.then];
    case 'while': case 'loop': case 'for': return [s.body];
    case 'choose': return s.branches;
    case 'var': case 'break': case 'continue': case 'await': case 'pick': case 'assert': case 'skip': case 'lockop': case 'assign': case 'call':
      return [];
  }
}

/** For the switches of the phases after unrolling (check/unroll.ts), which never meet a `for`. */
export function unrolledAway(s: { readonly kind: 'for'; readonly span: { readonly start: number } }): never {
  throw new Error(`internal error: the 'for' at offset ${s.span.start} was not unrolled before checking`);
}
