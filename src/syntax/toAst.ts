/**
 * The one ohm operation: a successful match becomes Weft's own AST. Each
 * action is named after a grammar case; the concrete syntax tree never
 * leaves this folder.
 */
import type { Node, NonterminalNode, Semantics, TerminalNode, IterationNode } from 'ohm-js';
import type * as A from './ast.ts';
import type { Span } from '../text/source.ts';
import { indexedName } from './families.ts';

const span = (n: Node): Span => ({ start: n.source.startIdx, end: n.source.endIdx });
const ident = (n: Node): A.Ident => ({ name: n.sourceString, span: span(n) });
const opt = <T>(n: IterationNode): T | null => (n.children.length ? (n.children[0]!.toAst() as T) : null);
const many = <T>(n: IterationNode): T[] => n.children.map((c) => c.toAst() as T);

function binary(op: A.BinaryOp) {
  return function (this: NonterminalNode, l: Node, _op: Node, r: Node): A.Expr {
    return { kind: 'binary', op, left: l.toAst(), right: r.toAst(), span: span(this) };
  };
}

/** Numbers beyond 2^31 are rejected by the checker; this keeps them exact. */
function parseNumber(text: string): number {
  return text.startsWith('0x') ? parseInt(text.slice(2), 16) : Number(text);
}

function unescape(body: string): string {
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

function increment(stmt: Node, target: Node, op: Node): A.Stmt {
  const value: A.Expr = { kind: 'number', value: 1, span: span(op) };
  return { kind: 'assign', target: target.toAst(), op: op.sourceString === '++' ? '+=' : '-=', value, span: span(stmt) };
}

export function addToAst(semantics: Semantics): void {
  semantics.addOperation<unknown>('toAst', {
    Model(header, imports, decls): A.Model {
      const h = opt<A.Ident>(header);
      return { kind: 'model', name: h, imports: many(imports), decls: many(decls), span: span(this) };
    },
    Header(_kw, name, _semi) { return ident(name); },
    Import(_kw, path, _semi): A.Import {
      return { path: { text: path.toAst() as string, span: span(path) }, span: span(this) };
    },
    ConstDecl(_kw, name, _eq, value, _semi): A.ConstDecl {
      return { kind: 'const', name: ident(name), value: value.toAst(), span: span(this) };
    },
    EnumDecl(_kw, name, _o, members, _comma, _c): A.EnumDecl {
      return { kind: 'enum', name: ident(name), members: members.asIteration().children.map(ident), span: span(this) };
    },
    StructDecl(_kw, name, _o, fields, _c): A.StructDecl {
      return { kind: 'struct', name: ident(name), fields: many(fields), span: span(this) };
    },
    FieldDecl(name, _colon, type, _semi): A.FieldDecl {
      return { name: ident(name), type: type.toAst(), span: span(this) };
    },
    SharedDecl(_kw, name, _colon, type, init, _semi): A.SharedDecl {
      return { kind: 'shared', name: ident(name), type: type.toAst(), init: opt(init), span: span(this) };
    },
    Init(_eq, value) { return value.toAst(); },
    OptionDecl(_kw, name, _colon, type, _eq, value, _semi): A.OptionDecl {
      return { kind: 'option', name: ident(name), type: type.toAst(), value: value.toAst(), span: span(this) };
    },
    FnDecl(_kw, name, _o, params, _c, body): A.FnDecl {
      return { kind: 'fn', name: ident(name), params: params.asIteration().children.map((p) => p.toAst()), body: body.toAst(), span: span(this) };
    },
    Param(name, _colon, type): A.Param {
      return { name: ident(name), type: type.toAst(), span: span(this) };
    },
    ActorDecl(symmetric, kind, name, count, fairness, body): A.ActorDecl {
      const f = fairness.children[0];
      const sym = symmetric.children[0];
      return { kind: 'actor', daemon: kind.toAst() === 'daemon', symmetric: sym ? { span: span(sym) } : null, name: ident(name), count: opt(count), fairness: f ? f.toAst() : null, body: body.toAst(), span: span(this) };
    },
    Symmetric(_kw) { return null; },
    Fairness(_kw, word) { return ident(word); },
    ActorKind_actor(_kw) { return 'actor'; },
    ActorKind_daemon(_kw) { return 'daemon'; },
    Instances(_o, count, _c) { return count.toAst(); },
    InvariantDecl(_kw, name, _colon, expr, _semi): A.InvariantDecl {
      return { kind: 'invariant', name: name.toAst(), expr: expr.toAst(), span: span(this) };
    },
    ReachableDecl(_kw, name, _colon, expr, _semi): A.ReachableDecl {
      return { kind: 'reachable', name: name.toAst(), expr: expr.toAst(), span: span(this) };
    },
    LivenessDecl(_kw, name, _colon, body, _semi): A.LivenessDecl {
      const b = body.toAst() as Pick<A.LivenessDecl, 'form' | 'p' | 'q'>;
      return { kind: 'liveness', name: name.toAst(), ...b, span: span(this) };
    },
    PropName(name, _o, indexes, _c): A.PropName {
      return { name: name.sourceString, span: span(this), indexes: many(indexes) };
    },
    ForDecl(_kw, variable, _in, lo, _dots, hi, _o, decls, _c): A.ForDecl {
      return { kind: 'for', variable: ident(variable), lo: lo.toAst(), hi: hi.toAst(), decls: many(decls), span: span(this) };
    },
    LiveBody_always(_always, _eventually, q) { return { form: 'alwaysEventually', p: null, q: q.toAst() }; },
    LiveBody_eventually(_eventually, q) { return { form: 'eventually', p: null, q: q.toAst() }; },
    LiveBody_leadsto(p, _op, q) { return { form: 'leadsTo', p: p.toAst(), q: q.toAst() }; },
    VariantDecl(_kw, name, _o, items, _c): A.VariantDecl {
      const all = many<A.Setting | A.FnDecl>(items);
      const fns = all.filter((i): i is A.FnDecl => 'kind' in i);
      const settings = all.filter((i): i is A.Setting => !('kind' in i));
      return { kind: 'variant', name: ident(name), settings, fns, span: span(this) };
    },
    Setting(name, _eq, value, _semi): A.Setting {
      return { name: ident(name), value: value.toAst(), span: span(this) };
    },
    ExpectDecl(_kw, variant, _under, memoryModel, _colon, verdict, _semi): A.ExpectDecl {
      const v = verdict.toAst() as { word: A.ExpectWord; properties: A.Ident[] };
      const mm = memoryModel.children[0];
      return { kind: 'expect', variant: ident(variant), memoryModel: mm ? ident(mm) : null, word: v.word, properties: v.properties, span: span(this) };
    },
    ShapesDecl(_kw, memoryModel, path, _o, maps, _c): A.ShapesDecl {
      return { kind: 'shapes', memoryModel: ident(memoryModel), path: { text: path.toAst() as string, span: span(path) }, maps: maps.children.map((m) => m.toAst()), span: span(this) };
    },
    ShapeMap(variants, _colon, shapes, _semi): A.ShapeMap {
      const names = (n: typeof variants): A.Ident[] => n.asIteration().children.map((x) => ident(x));
      return { variants: names(variants), shapes: names(shapes), span: span(this) };
    },
    Verdict_nodeadlock(_no, dl) { return { word: 'holds', properties: [ident(dl)] }; },
    Verdict_deadlock(dl) { return { word: 'violated', properties: [ident(dl)] }; },
    Verdict_named(word, names) { return { word: word.sourceString as A.ExpectWord, properties: names.asIteration().children.map((n) => n.toAst()) }; },
    // The indexes become part of the name, written the one way reports print it: `enters[0]`, `pair[-1]`.
    PropRef(name, _o, minus, indexes, _c): A.Ident {
      const values = indexes.children.map((n, k) => (minus.children[k]!.children.length ? -1 : 1) * parseNumber(n.sourceString) + 0);
      return { name: indexedName(name.sourceString, values), span: span(this) };
    },

    // ---- Types ----
    Type_array(element, _o, size, _c): A.TypeExpr {
      return { kind: 'array', element: element.toAst(), size: size.toAst(), span: span(this) };
    },
    Type_bool(_kw): A.TypeExpr { return { kind: 'bool', span: span(this) }; },
    Type_lock(kind): A.TypeExpr { return { kind: 'lock', lock: kind.sourceString as A.LockKind, span: span(this) }; },
    Type_range(lo, _dots, hi): A.TypeExpr { return { kind: 'range', lo: lo.toAst(), hi: hi.toAst(), span: span(this) }; },
    Type_atomic(_kw, _lt, lo, _dots, hi, _gt): A.TypeExpr { return { kind: 'atomic', lo: lo.toAst(), hi: hi.toAst(), span: span(this) }; },
    Type_refcount(_kw, _lt, max, _gt): A.TypeExpr { return { kind: 'refcount', max: max.toAst(), span: span(this) }; },
    Type_named(name): A.TypeExpr { return { kind: 'named', name: ident(name), span: span(this) }; },
    Bound_add: binary('+'),
    Bound_sub: binary('-'),
    BoundMul_mul: binary('*'),
    BoundAtom_neg(_minus, operand): A.Expr { return { kind: 'unary', op: '-', operand: operand.toAst(), span: span(this) }; },
    BoundAtom_paren(_o, e, _c) { return e.toAst(); },

    // ---- Statements ----
    Block(_o, stmts, _c): A.Block { return { kind: 'block', stmts: many(stmts), span: span(this) }; },
    Stmt_labelled(label, _colon, stmt): A.Stmt {
      return { kind: 'labelled', label: ident(label), stmt: stmt.toAst(), span: span(this) };
    },
    Stmt_var(_kw, name, _colon, type, init, _semi): A.Stmt {
      return { kind: 'var', name: ident(name), type: type.toAst(), init: opt(init), span: span(this) };
    },
    Stmt_if(_kw, _o, cond, _c, then, els): A.Stmt {
      return { kind: 'if', cond: cond.toAst(), then: then.toAst(), else: opt(els), span: span(this) };
    },
    Else(_kw, stmt) { return stmt.toAst(); },
    Stmt_while(_kw, _o, cond, _c, body): A.Stmt {
      return { kind: 'while', cond: cond.toAst(), body: body.toAst(), span: span(this) };
    },
    Stmt_loop(_kw, body): A.Stmt { return { kind: 'loop', body: body.toAst(), span: span(this) }; },
    Stmt_break(_kw, _semi): A.Stmt { return { kind: 'break', span: span(this) }; },
    Stmt_continue(_kw, _semi): A.Stmt { return { kind: 'continue', span: span(this) }; },
    Stmt_for(_kw, variable, _in, lo, _dots, hi, body): A.Stmt {
      return { kind: 'for', variable: ident(variable), lo: lo.toAst(), hi: hi.toAst(), body: body.toAst(), span: span(this) };
    },
    Stmt_await(_kw, cond, _semi): A.Stmt { return { kind: 'await', cond: cond.toAst(), span: span(this) }; },
    Stmt_atomic(_kw, body): A.Stmt { return { kind: 'atomic', body: body.toAst(), span: span(this) }; },
    Stmt_choose(_kw, first, rest): A.Stmt {
      return { kind: 'choose', branches: [first.toAst(), ...many<A.Block>(rest)], span: span(this) };
    },
    Or(_kw, block) { return block.toAst(); },
    Stmt_pick(_kw, target, _in, lo, _dots, hi, _semi): A.Stmt {
      return { kind: 'pick', target: target.toAst(), lo: lo.toAst(), hi: hi.toAst(), span: span(this) };
    },
    Stmt_assert(_kw, _o, cond, message, _c, _semi): A.Stmt {
      return { kind: 'assert', cond: cond.toAst(), message: opt(message), span: span(this) };
    },
    Message(_comma, str) { return str.toAst(); },
    Stmt_skip(_kw, _semi): A.Stmt { return { kind: 'skip', span: span(this) }; },
    Stmt_lockop(op, _o, target, _c, _semi): A.Stmt {
      return { kind: 'lockop', op: op.sourceString as A.LockOp, target: target.toAst(), span: span(this) };
    },
    Stmt_block(block) { return block.toAst(); },
    // `x++;` is `x += 1;`, one step like it (the 1 stands at the operator, for messages).
    Stmt_postinc(target, op, _semi): A.Stmt { return increment(this, target, op); },
    Stmt_preinc(op, target, _semi): A.Stmt { return increment(this, target, op); },
    Stmt_assign(target, op, value, _semi): A.Stmt {
      return { kind: 'assign', target: target.toAst(), op: op.sourceString as A.AssignOp, value: value.toAst(), span: span(this) };
    },
    Stmt_call(callee, _o, args, message, _c, _semi): A.Stmt {
      return { kind: 'call', callee: ident(callee), args: args.asIteration().children.map((a) => a.toAst()), message: opt(message), span: span(this) };
    },

    // ---- Expressions ----
    Expr_cond(cond, _q, then, _colon, els): A.Expr {
      return { kind: 'cond', cond: cond.toAst(), then: then.toAst(), else: els.toAst(), span: span(this) };
    },
    Imp_imp: binary('->'),
    Or__or: binary('||'),
    And_and: binary('&&'),
    Eq_eq: binary('=='),
    Eq_ne: binary('!='),
    Rel_le: binary('<='),
    Rel_ge: binary('>='),
    Rel_lt: binary('<'),
    Rel_gt: binary('>'),
    Sum_add: binary('+'),
    Sum_sub: binary('-'),
    Product_mul: binary('*'),
    Product_div: binary('/'),
    Product_mod: binary('%'),
    Unary_not(_op, operand): A.Expr { return { kind: 'unary', op: '!', operand: operand.toAst(), span: span(this) }; },
    Unary_neg(_op, operand): A.Expr { return { kind: 'unary', op: '-', operand: operand.toAst(), span: span(this) }; },
    Postfix_field(object, _dot, field): A.Expr {
      return { kind: 'field', object: object.toAst(), field: ident(field), span: span(this) };
    },
    Postfix_index(object, _o, index, _c): A.Expr {
      return { kind: 'index', object: object.toAst(), index: index.toAst(), span: span(this) };
    },
    Postfix_at(object, _at, label): A.Expr {
      return { kind: 'at', object: object.toAst(), label: ident(label), span: span(this) };
    },
    Primary_paren(_o, e, _c) { return e.toAst(); },
    Primary_quant(q, variable, _in, lo, _dots, hi, _colon, body): A.Expr {
      return {
        kind: 'quant', quantifier: q.sourceString as 'forall' | 'exists', variable: ident(variable),
        lo: lo.toAst(), hi: hi.toAst(), body: body.toAst(), span: span(this),
      };
    },
    Primary_struct(_o, fields, _comma, _c): A.Expr {
      return { kind: 'struct', fields: fields.asIteration().children.map((f) => f.toAst()), span: span(this) };
    },
    FieldInit(name, _colon, value) { return { name: ident(name), value: value.toAst() }; },
    Primary_array(_o, elements, _comma, _c): A.Expr {
      return { kind: 'array', elements: elements.asIteration().children.map((e) => e.toAst()), span: span(this) };
    },
    Primary_true(_kw): A.Expr { return { kind: 'bool', value: true, span: span(this) }; },
    Primary_false(_kw): A.Expr { return { kind: 'bool', value: false, span: span(this) }; },
    Primary_self(_kw): A.Expr { return { kind: 'self', span: span(this) }; },
    Primary_number(n): A.Expr { return { kind: 'number', value: parseNumber(n.sourceString), span: span(this) }; },
    Primary_call(callee, _o, args, message, _c): A.Expr {
      return { kind: 'call', callee: ident(callee), args: args.asIteration().children.map((a) => a.toAst()), message: opt(message), span: span(this) };
    },
    Primary_name(n): A.Expr { return { kind: 'name', name: n.sourceString, span: span(this) }; },
    BoundAtom(n) { return n.toAst(); },
    number(_n): A.Expr { return { kind: 'number', value: parseNumber(this.sourceString), span: span(this) }; },
    ident(_start, _rest): A.Expr { return { kind: 'name', name: this.sourceString, span: span(this) }; },
    string(_open, chars, _close) { return unescape(chars.sourceString); },
    _terminal(this: TerminalNode) { return this.sourceString; },
    _iter(...children) { return children.map((c) => c.toAst()); },
  });
}
