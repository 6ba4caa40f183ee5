/**
 * Hover: a name's type and its declaration (as the checker resolved it),
 * and for a statement what its steps are (steps.ts, from the IR).
 */
import type * as A from '../syntax/ast.ts';
import { BUILTINS } from '../check/builtins.ts';
import { typeToString } from '../check/types.ts';
import { lineCol, type SourceFile, type Span } from '../text/source.ts';
import type { Analysis } from './analysis.ts';
import { declarationOf, declNamed, fieldOf, localOf } from './declared.ts';
import { foundAt, stmtAt } from './find.ts';
import { code, fence } from './markdown.ts';
import { describeSteps } from './steps.ts';

export function hoverText(a: Analysis, offset: number): string | null {
  if (!a.model) return null;
  const name = nameText(a, offset);
  if (name) return name;
  const at = stmtAt(a.model, offset);
  const local = at && localDeclText(a, at.stmt, offset);
  if (local) return local;
  if (at && a.program) return describeSteps(a.program, at.stmt, at.outer);
  return null;
}

/** The first line of a declaration (up to 200 characters), and where it is. */
function declText(src: SourceFile, span: Span): string {
  const text = src.text.slice(span.start, span.end).split('\n')[0]!.slice(0, 200).trimEnd();
  const { path, line } = lineCol(src, span.start);
  return `${fence(text)}\ndeclared at ${code(`${shortName(path)}:${line}`)}`;
}

const shortName = (path: string): string => path.split('/').slice(-2).join('/');

function nameText(a: Analysis, offset: number): string | null {
  const model = a.model!;
  const found = foundAt(model, a.ctx, offset);
  if (!found) return null;
  switch (found.kind) {
    case 'name': {
      const sym = found.sym;
      const type = 'type' in sym ? typeToString(sym.type) : 'an integer (a quantifier\'s variable)';
      const d = declarationOf(model, sym, offset);
      const what = d?.what ?? sym.kind;
      return [`${code(sym.name)}: ${code(type)} — ${what}`, d ? declText(a.sources, d.decl) : ''].filter(Boolean).join('\n\n');
    }
    case 'field': {
      const type = found.type ? code(typeToString(found.type)) : 'unknown type';
      const objType = a.ctx?.types.get(found.expr.object);
      const actor = a.ctx?.actorRefs.get(found.expr.object);
      const decl = objType?.kind === 'struct' ? fieldOf(model, objType.name, found.expr.field.name) : actor ? localOf(model, actor.decl.name.name, found.expr.field.name) : null;
      const owner = objType?.kind === 'struct' ? `field of struct ${objType.name}` : actor ? `local of actor ${actor.decl.name.name}` : 'field';
      return [`${code(found.expr.field.name)}: ${type} — ${owner}`, decl ? declText(a.sources, decl.span) : ''].filter(Boolean).join('\n\n');
    }
    case 'call': {
      const fn = declNamed(model, found.callee.name, ['fn']);
      if (fn) return `${code(found.callee.name)} — fn, inlined at each call\n\n${declText(a.sources, fn.span)}`;
      const bi = BUILTINS.get(found.callee.name);
      return bi ? `${code(found.callee.name)} — kernel builtin (${bi.group}): ${bi.pure ? 'reads only' : 'one step, like an assignment'}${bi.blocks ? '; waits until it can go' : ''}${bi.warns ? '; can warn' : ''}` : null;
    }
    case 'decl': return declHover(a, found.decl);
  }
}

function declHover(a: Analysis, d: A.Decl): string {
  const sym = 'name' in d && d.name && a.ctx?.global.lookup((d.name as A.Ident).name);
  const type = sym && 'type' in sym ? ` ${code(typeToString(sym.type))}` : '';
  const kind = d.kind === 'actor' && d.daemon ? 'daemon' : d.kind;
  return `${kind}${type}\n\n${declText(a.sources, d.span)}`;
}

/** On the name of a `var` or a fn's parameter: its type, as the checker resolved it. */
function localDeclText(a: Analysis, s: A.Stmt, offset: number): string | null {
  if (s.kind !== 'var' || offset < s.name.span.start || offset > s.name.span.end) return null;
  const actor = a.ctx?.actors.find((x) => x.decl.span.start <= s.span.start && s.span.end <= x.decl.span.end);
  const local = actor?.locals.find((l) => l.name === s.name.name);
  return local && actor ? `${code(local.name)}: ${code(typeToString(local.type))} — local of actor ${actor.decl.name.name}` : null;
}
