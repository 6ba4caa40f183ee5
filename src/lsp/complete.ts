/**
 * Completion of names: after `x.` the fields of x's struct type (or the
 * locals of an actor, as a property reads them); elsewhere the names the
 * checker declared (constants, options, enum members, shared variables),
 * the model's fns, actors, types, properties and variants, the locals and
 * parameters of the actor or fn around the cursor, and the kernel
 * vocabulary (check/builtins.ts). While a document does not parse, the
 * server completes from its last version that did.
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import type * as A from '../syntax/ast.ts';
import { BUILTINS } from '../check/builtins.ts';
import type { Ctx } from '../check/context.ts';
import { typeToString, type Type } from '../check/types.ts';
import type { Analysis } from './analysis.ts';
import { allDecls, ownerAt } from './find.ts';

const KIND: Partial<Record<A.Decl['kind'], CompletionItemKind>> = {
  fn: CompletionItemKind.Function, actor: CompletionItemKind.Class, struct: CompletionItemKind.Struct, enum: CompletionItemKind.Enum,
  invariant: CompletionItemKind.Event, reachable: CompletionItemKind.Event, liveness: CompletionItemKind.Event, variant: CompletionItemKind.Module,
};

/** `before`: the text of the line up to the cursor. */
export function completions(a: Analysis, offset: number, before: string): CompletionItem[] {
  const chain = /([A-Za-z_][\w[\]. ]*)\.\s*\w*$/.exec(before);
  if (chain && a.ctx) return fieldsAfter(a, chain[1]!);
  const items = new Map<string, CompletionItem>();
  const add = (label: string, kind: CompletionItemKind, detail: string): void => { if (!items.has(label)) items.set(label, { label, kind, detail }); };
  const model = a.model;
  if (model) {
    const owner = ownerAt(model, offset);
    if (owner?.kind === 'fn') for (const p of owner.params) add(p.name.name, CompletionItemKind.Variable, 'parameter');
    if (owner?.kind === 'actor') for (const s of owner.body.stmts) if (s.kind === 'var') add(s.name.name, CompletionItemKind.Variable, 'local');
    for (const d of allDecls(model)) {
      const kind = KIND[d.kind];
      if (kind !== undefined && 'name' in d && d.name) add((d.name as A.Ident).name, kind, d.kind === 'actor' && d.daemon ? 'daemon' : d.kind);
    }
  }
  for (const [name, sym] of globals(a.ctx)) {
    const kind = sym.kind === 'enumMember' ? CompletionItemKind.EnumMember : sym.kind === 'shared' ? CompletionItemKind.Variable : CompletionItemKind.Constant;
    add(name, kind, `${sym.kind === 'enumMember' ? `member of ${sym.type.name}` : sym.kind}${'type' in sym && sym.kind !== 'enumMember' ? `: ${typeToString(sym.type)}` : ''}`);
  }
  for (const bi of BUILTINS.values()) add(bi.name, CompletionItemKind.Function, `kernel builtin (${bi.group})`);
  return [...items.values()];
}

function globals(ctx: Ctx | null): [string, NonNullable<ReturnType<Ctx['global']['lookup']>>][] {
  if (!ctx) return [];
  return ctx.global.namesForSuggestion().flatMap((n) => { const s = ctx.global.lookup(n); return s ? [[n, s] as [string, typeof s]] : []; });
}

/** The fields of what `text` (`folio`, `pages[i].owner`, `cpu[1]`) names, by the types the checker gave the names. */
function fieldsAfter(a: Analysis, text: string): CompletionItem[] {
  const ctx = a.ctx!;
  const parts = text.replace(/\[[^\]]*\]/g, '').replace(/\s+/g, '').split('.').filter(Boolean);
  const head = parts.shift();
  if (!head) return [];
  const actor = ctx.actors.find((x) => x.decl.name.name === head);
  if (actor && parts.length === 0) return actor.locals.map((l) => ({ label: l.name, kind: CompletionItemKind.Field, detail: `local of ${head}: ${typeToString(l.type)}` }));
  let t: Type | undefined = typeOfName(ctx, head);
  for (const p of parts) t = t && elementOf(t).kind === 'struct' ? (elementOf(t) as Type & { kind: 'struct' }).fields.find((f) => f.name === p)?.type : undefined;
  const s = t && elementOf(t);
  if (!s || s.kind !== 'struct') return [];
  return s.fields.map((f) => ({ label: f.name, kind: CompletionItemKind.Field, detail: `${s.name}.${f.name}: ${typeToString(f.type)}` }));
}

/** A shared variable, constant or option, else a local or parameter of any actor or fn of that name. */
function typeOfName(ctx: Ctx, name: string): Type | undefined {
  const g = ctx.global.lookup(name);
  if (g && 'type' in g) return g.type;
  for (const actor of ctx.actors) for (const l of actor.locals) if (l.name === name) return l.type;
  for (const fn of ctx.fns.values()) for (const p of fn.params) if (p.name === name) return p.type;
  return undefined;
}

const elementOf = (t: Type): Type => (t.kind === 'array' ? elementOf(t.element) : t);
