/**
 * Go to definition: from a use to its declaration, in whichever file of
 * the model declares it (a span of the joined model names its file), and
 * from an `import "path";` to the file it names.
 */
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import type * as A from '../syntax/ast.ts';
import { familyOf } from '../syntax/families.ts';
import { forEachStmt } from '../syntax/walk.ts';
import type { Span } from '../text/source.ts';
import { pathOfUri, type Analysis } from './analysis.ts';
import { declarationOf, declNamed, fieldOf, localOf } from './declared.ts';
import { allDecls, foundAt } from './find.ts';
import { locationOf } from './positions.ts';

const within = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

export function definitionAt(a: Analysis, offset: number): Location | null {
  const model = a.model;
  if (!model) return null;
  const imp = model.imports.find((i) => within(i.path.span, offset));
  const main = pathOfUri(a.uri);
  if (imp && main) return { uri: pathToFileURL(join(dirname(main), imp.path.text)).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  const span = targetSpan(a, model, offset);
  return span ? locationOf(a.sources, span) : null;
}

function targetSpan(a: Analysis, model: A.Model, offset: number): Span | null {
  const ctx = a.ctx;
  if (ctx) {
    // `a@label`: the label in the actor (or a fn it calls); `a` itself: the actor.
    for (const e of ctx.types.keys()) {
      if (e.kind !== 'at' || !within(e.label.span, offset)) continue;
      const actor = ctx.actorRefs.get(e.object);
      return actor ? labelIn(model, actor.decl, e.label.name) : null;
    }
    for (const [e, actor] of ctx.actorRefs) if (within(e.span, offset) && e.kind === 'name') return actor.decl.name.span;
  }
  const expect = allDecls(model).find((d): d is A.ExpectDecl => d.kind === 'expect' && within(d.span, offset));
  if (expect) return expectTarget(model, expect, offset);
  const found = foundAt(model, ctx, offset);
  if (!found) return null;
  switch (found.kind) {
    case 'name': return declarationOf(model, found.sym, offset)?.name ?? null;
    case 'field': {
      const t = ctx?.types.get(found.expr.object);
      const actor = ctx?.actorRefs.get(found.expr.object);
      const d = t?.kind === 'struct' ? fieldOf(model, t.name, found.expr.field.name) : actor ? localOf(model, actor.decl.name.name, found.expr.field.name) : null;
      return d?.name.span ?? null;
    }
    case 'call': return (declNamed(model, found.callee.name, ['fn']) as A.FnDecl | null)?.name.span ?? null;
    case 'decl': return found.span;
  }
}

/** The first statement labelled `label` in an actor's body, or in a fn it may call. */
function labelIn(model: A.Model, actor: A.ActorDecl, label: string): Span | null {
  const bodies = [actor.body, ...allDecls(model).filter((d): d is A.FnDecl => d.kind === 'fn').map((f) => f.body)];
  for (const body of bodies) {
    let found: Span | null = null;
    forEachStmt(body, (_s, l) => { if (!found && l?.name === label) found = l.span; });
    if (found) return found;
  }
  return null;
}

/** In `expect v: violated p;`: the variant, or the property (a family's name: its first copy). */
function expectTarget(model: A.Model, d: A.ExpectDecl, offset: number): Span | null {
  if (within(d.variant.span, offset)) return (declNamed(model, d.variant.name, ['variant']) as A.VariantDecl | null)?.name.span ?? null;
  const p = d.properties.find((x) => within(x.span, offset));
  if (!p) return null;
  const prop = declNamed(model, familyOf(p.name), ['invariant', 'reachable', 'liveness']);
  return prop && 'name' in prop ? (prop.name as A.Ident).span : null;
}
