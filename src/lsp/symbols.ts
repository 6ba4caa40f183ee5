/**
 * The outline of a document: its own declarations (not those it imports),
 * each with its parts: an enum's members, a struct's fields, an actor's
 * locals and labels, a variant's settings and fns.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type * as A from '../syntax/ast.ts';
import type { SourceFile, Span } from '../text/source.ts';
import { forEachStmt } from '../syntax/walk.ts';
import { inMainFile, rangeOf } from './positions.ts';

export function documentSymbols(src: SourceFile, model: A.Model): DocumentSymbol[] {
  const sym = (name: string, detail: string, kind: SymbolKind, whole: Span, id: Span, children: DocumentSymbol[] = []): DocumentSymbol => ({
    name: name || '?', detail, kind, range: rangeOf(src, whole), selectionRange: rangeOf(src, id), children,
  });
  // An actor's or fn's locals and labels: forEachStmt hands each statement the label written on it.
  const labels = (body: A.Block): DocumentSymbol[] => {
    const out: DocumentSymbol[] = [];
    forEachStmt(body, (s, label) => {
      if (s.kind === 'var') out.push(sym(s.name.name, 'local', SymbolKind.Variable, s.span, s.name.span));
      if (label) out.push(sym(label.name, 'label', SymbolKind.Key, { start: label.span.start, end: s.span.end }, label.span));
    });
    return out;
  };
  const one = (d: A.Decl): DocumentSymbol[] => {
    switch (d.kind) {
      case 'const': return [sym(d.name.name, 'const', SymbolKind.Constant, d.span, d.name.span)];
      case 'option': return [sym(d.name.name, 'option', SymbolKind.Property, d.span, d.name.span)];
      case 'shared': return [sym(d.name.name, 'shared', SymbolKind.Variable, d.span, d.name.span)];
      case 'enum': return [sym(d.name.name, 'enum', SymbolKind.Enum, d.span, d.name.span, d.members.map((m) => sym(m.name, '', SymbolKind.EnumMember, m.span, m.span)))];
      case 'struct': return [sym(d.name.name, 'struct', SymbolKind.Struct, d.span, d.name.span, d.fields.map((f) => sym(f.name.name, 'field', SymbolKind.Field, f.span, f.name.span)))];
      case 'fn': return [sym(d.name.name, 'fn', SymbolKind.Function, d.span, d.name.span, labels(d.body))];
      case 'actor': return [sym(d.name.name, d.daemon ? 'daemon' : 'actor', SymbolKind.Class, d.span, d.name.span, labels(d.body))];
      case 'invariant': case 'reachable': case 'liveness': return [sym(d.name.name, d.kind, SymbolKind.Event, d.span, d.name.span)];
      case 'variant': return [sym(d.name.name, 'variant', SymbolKind.Namespace, d.span, d.name.span, [
        ...d.settings.map((s) => sym(s.name.name, 'setting', SymbolKind.Property, s.span, s.name.span)),
        ...d.fns.flatMap(one),
      ])];
      case 'for': return d.decls.flatMap(one);
      case 'expect': case 'shapes': return [];
    }
  };
  return model.decls.filter((d) => inMainFile(src, d.span)).flatMap(one);
}
