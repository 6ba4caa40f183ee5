/**
 * Where a name is declared: the checker says what a name refers to (a Sym:
 * shared, const, option, enum member, local, parameter); this finds the
 * declaration of that Sym in the parsed model, which may lie in an
 * imported file (its span says which).
 */
import type * as A from '../syntax/ast.ts';
import type { Sym } from '../check/context.ts';
import type { Span } from '../text/source.ts';
import { allDecls, ownerAt } from './find.ts';

export interface Declared {
  /** The declared name's span (where go to definition lands). */
  readonly name: Span;
  /** The whole declaration, for its text in a hover. */
  readonly decl: Span;
  /** What kind of thing it is, in words. */
  readonly what: string;
}

export function declarationOf(model: A.Model, sym: Sym, at: number): Declared | null {
  const decls = allDecls(model);
  switch (sym.kind) {
    case 'shared': {
      const d = decls.find((x): x is A.SharedDecl => x.kind === 'shared' && x.name.name === sym.name);
      return d ? { name: d.name.span, decl: d.span, what: 'shared variable' } : null;
    }
    case 'const': case 'option': {
      const d = decls.find((x): x is A.ConstDecl | A.OptionDecl => x.kind === sym.kind && x.name.name === sym.name);
      return d ? { name: d.name.span, decl: d.span, what: sym.kind } : null;
    }
    case 'enumMember': {
      const d = decls.find((x): x is A.EnumDecl => x.kind === 'enum' && x.name.name === sym.type.name);
      const m = d?.members.find((x) => x.name === sym.name);
      return d && m ? { name: m.span, decl: d.span, what: `member of enum ${d.name.name}` } : null;
    }
    case 'local': {
      // A property reads a local through its instance (`a.x`: a field); a bare local is its own actor's.
      const owner = ownerAt(model, at);
      const actor = owner?.kind === 'actor' ? owner : null;
      const v = actor?.body.stmts.find((s): s is A.Stmt & { kind: 'var' } => s.kind === 'var' && s.name.name === sym.name);
      return v && actor ? { name: v.name.span, decl: v.span, what: `local of actor ${actor.name.name}` } : null;
    }
    case 'param': {
      const owner = ownerAt(model, at);
      const p = owner?.kind === 'fn' ? owner.params[sym.index] : undefined;
      return p && owner ? { name: p.name.span, decl: p.span, what: `parameter of fn ${owner.name.name}` } : null;
    }
    case 'quant': return null;
  }
}

/** A fn, actor, struct, enum or property by its name. */
export function declNamed(model: A.Model, name: string, kinds: readonly A.Decl['kind'][]): A.Decl | null {
  return allDecls(model).find((d) => kinds.includes(d.kind) && 'name' in d && (d.name as A.Ident | null)?.name === name) ?? null;
}

/** A struct field's declaration, given the struct's name. */
export function fieldOf(model: A.Model, struct: string, field: string): A.FieldDecl | null {
  const d = declNamed(model, struct, ['struct']) as A.StructDecl | null;
  return d?.fields.find((f) => f.name.name === field) ?? null;
}

/** A local of an actor by name (a property's `a.x`). */
export function localOf(model: A.Model, actor: string, name: string): (A.Stmt & { kind: 'var' }) | null {
  const d = declNamed(model, actor, ['actor']) as A.ActorDecl | null;
  return d?.body.stmts.find((s): s is A.Stmt & { kind: 'var' } => s.kind === 'var' && s.name.name === name) ?? null;
}
