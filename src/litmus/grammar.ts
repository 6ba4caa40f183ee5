/**
 * Loads grammar/litmus.ohm once and attaches the `syntax` operation, which
 * turns a match into the litmus syntax tree (syntax.ts); the concrete
 * syntax tree never leaves this file. As for Weft's own grammar
 * (src/syntax/grammar.ts), a clone compiles the .ohm text at run time and
 * the bundle carries ohm's recipe of it (scripts/build.mjs).
 */
import * as ohm from 'ohm-js';
import type { IterationNode, Node, NonterminalNode } from 'ohm-js';
import { readFileSync } from 'node:fs';
import { packageFile } from '../package.ts';
import type { Span } from '../text/source.ts';
import type * as S from './syntax.ts';

/** Set by the build (esbuild `define`) to `grammar.toRecipe()`, a JSON text; absent in the sources. */
declare const WEFT_LITMUS_RECIPE: string | undefined;

/** ohm-js exports makeRecipe but does not declare it (see src/syntax/grammar.ts). */
const makeRecipe = (ohm as unknown as { makeRecipe(recipe: string): ohm.Grammar }).makeRecipe;

export const litmusGrammarPath = packageFile('grammar/litmus.ohm');
export const litmusGrammarSource = readFileSync(litmusGrammarPath, 'utf8');
export const litmusGrammar: ohm.Grammar = typeof WEFT_LITMUS_RECIPE === 'string' ? makeRecipe(WEFT_LITMUS_RECIPE) : ohm.grammar(litmusGrammarSource);
export const litmusSemantics = litmusGrammar.createSemantics();

const span = (n: Node): Span => ({ start: n.source.startIdx, end: n.source.endIdx });
const ident = (n: Node): S.Ident => ({ name: n.sourceString, span: span(n) });
const opt = <T>(n: IterationNode): T | null => (n.children.length ? (n.children[0]!.syntax() as T) : null);
const many = <T>(n: IterationNode): T[] => n.children.map((c) => c.syntax() as T);
const list = <T>(n: Node): T[] => n.asIteration().children.map((c) => c.syntax() as T);

/** A C or condition number: decimal or 0x hexadecimal, maybe negative; exactness is lower.ts's to check. */
function parseNumber(text: string): number {
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  const value = /^0x/i.test(digits) ? parseInt(digits.slice(2), 16) : Number(digits);
  return negative ? 0 - value : value;
}

/** `0:r1` and `P0:r1` name thread 0. */
const threadNumber = (n: Node): number => Number(n.sourceString.replace(/^P/, ''));

function binary(this: NonterminalNode, l: Node, op: Node, r: Node): S.CExpr {
  return { kind: 'binary', op: op.sourceString as S.CBinaryOp, left: l.syntax(), right: r.syntax(), span: span(this) };
}

function junction(kind: 'and' | 'or' | 'imp') {
  return function (this: NonterminalNode, l: Node, _op: Node, r: Node): S.PropSyntax {
    return { kind, left: l.syntax(), right: r.syntax(), span: span(this) };
  };
}

function loop(stmt: Node, word: Node): S.Stmt {
  return { kind: 'loop', word: ident(word), span: span(stmt) };
}

litmusSemantics.addOperation<unknown>('syntax', {
  Test(header, _doc, init, threads, show, filter, final): S.LitmusTest {
    return {
      arch: ident(header.child(0)),
      name: ident(header.child(2)),
      init: init.syntax(),
      threads: many(threads),
      show: opt<S.CondLocSyntax[]>(show) ?? [],
      filter: opt(filter),
      final: opt(final),
      // ohm's match takes the trailing spaces (and blanked comments) in; the test ends at its last token.
      span: { start: this.source.startIdx, end: this.source.startIdx + this.sourceString.trimEnd().length },
    };
  },

  Init(_open, first, _semis, rest, _close): S.InitItem[] {
    const items = [opt<S.InitItem>(first), ...rest.children.map((c) => opt<S.InitItem>(c as IterationNode))];
    return items.filter((i): i is S.InitItem => i !== null);
  },
  InitItem_reg(thread, _colon, reg, value): S.InitItem {
    return { kind: 'reg', thread: threadNumber(thread), reg: ident(reg), value: opt(value), span: span(this) };
  },
  InitItem_array(_types, _stars, name, _open, _size, _close, _value): S.InitItem {
    return { kind: 'array', name: ident(name), span: span(this) };
  },
  InitItem_loc(types, _stars, name, value): S.InitItem {
    return { kind: 'loc', types: types.children.map((t) => t.sourceString), name: ident(name), value: opt(value), span: span(this) };
  },
  InitValue(_eq, _amp, value) { return value.syntax(); },
  InitVal_atomic(_kw, _open, value, _close) { return value.syntax(); },
  InitVal_num(lit): S.InitVal { return { kind: 'num', value: parseNumber(lit.sourceString), span: span(this) }; },
  InitVal_name(name): S.InitVal { return { kind: 'name', name: name.sourceString, span: span(this) }; },

  Thread(_void, name, _open, params, _close, block): S.ThreadSyntax {
    return { name: ident(name), params: list(params), body: (block.syntax() as S.Stmt & { kind: 'block' }).body, span: span(this) };
  },
  Param(types, _stars, name): S.Param {
    return { types: types.children.map((t) => t.sourceString), name: ident(name), span: span(this) };
  },

  Block(_open, stmts, _close): S.Stmt { return { kind: 'block', body: many(stmts), span: span(this) }; },
  Stmt_if(_kw, _open, cond, _close, then, els): S.Stmt {
    return { kind: 'if', cond: cond.syntax(), then: then.syntax(), else: opt(els), span: span(this) };
  },
  Stmt_while(word, _open, _cond, _close, _body) { return loop(this, word); },
  Stmt_do(word, _body, _while, _open, _cond, _close, _semi) { return loop(this, word); },
  Stmt_for(word, _open, _init, _cond, _semi, _step, _close, _body) { return loop(this, word); },
  Stmt_assign(target, _eq, value, _semi): S.Stmt { return { kind: 'assign', target: target.syntax(), value: value.syntax(), span: span(this) }; },
  Stmt_expr(expr, _semi): S.Stmt { return { kind: 'expr', expr: expr.syntax(), span: span(this) }; },
  Stmt_empty(_semi): S.Stmt { return { kind: 'empty', span: span(this) }; },
  Else(_kw, stmt) { return stmt.syntax(); },
  Decl(_type, declarators, _semi): S.Stmt { return { kind: 'decl', declarators: list(declarators), span: span(this) }; },
  Declarator(_stars, name, size, init): S.Declarator {
    return { name: ident(name), array: size.children.length > 0, init: opt(init), span: span(this) };
  },
  DeclInit(_eq, value) { return value.syntax(); },

  LogOr_op: binary,
  LogAnd_op: binary,
  BitOr_op: binary,
  BitXor_op: binary,
  BitAnd_op: binary,
  Equality_op: binary,
  Relational_op: binary,
  Additive_op: binary,
  Multiplicative_op: binary,
  Unary_op(op, operand): S.CExpr {
    return { kind: 'unary', op: op.sourceString as S.CUnaryOp, operand: operand.syntax(), span: span(this) };
  },
  // herd ignores casts (`(int**)READ_ONCE(*y)`), and so does Weft.
  Unary_cast(_open, _type, _stars, _close, operand) { return operand.syntax(); },
  Postfix_index(target, _open, index, _close): S.CExpr {
    return { kind: 'index', target: target.syntax(), index: index.syntax(), span: span(this) };
  },
  Primary_call(callee, _open, args, _close): S.CExpr { return { kind: 'call', callee: ident(callee), args: list(args), span: span(this) }; },
  Primary_paren(_open, expr, _close) { return expr.syntax(); },
  Primary_name(name): S.CExpr { return { kind: 'name', name: name.sourceString, span: span(this) }; },
  Primary_number(n): S.CExpr { return { kind: 'num', value: parseNumber(n.sourceString), span: span(this) }; },

  Show(_kw, _open, items, _semi, _close) { return list(items); },
  Filter(_kw, prop) { return prop.syntax(); },
  Final_quant(quantifier, prop, _semi) {
    return { quantifier: quantifier.syntax(), prop: prop.syntax(), span: span(this) };
  },
  // herd reads a bare `(prop)` as `exists (prop)`.
  Final_bare(_open, prop, _close, _semi) { return { quantifier: 'exists', prop: prop.syntax(), span: span(this) }; },
  Quantifier_notexists(_not, _kw) { return 'not-exists'; },
  Quantifier_exists(_kw) { return 'exists'; },
  Quantifier_forall(_kw) { return 'forall'; },
  Quantifier_final(_kw) { return 'exists'; },

  Prop_or: junction('or'),
  PropAnd_and: junction('and'),
  PropImp_imp: junction('imp'),
  PropNot_not(_not, operand): S.PropSyntax { return { kind: 'not', operand: operand.syntax(), span: span(this) }; },
  PropAtom_true(_kw): S.PropSyntax { return { kind: 'true', span: span(this) }; },
  PropAtom_false(_kw): S.PropSyntax { return { kind: 'false', span: span(this) }; },
  PropAtom_paren(_open, prop, _close) { return prop.syntax(); },
  PropAtom_compare(left, op, right): S.PropSyntax {
    const negated = op.sourceString === '!=' || op.sourceString === '<>';
    return { kind: 'compare', negated, left: left.syntax(), right: right.syntax(), span: span(this) };
  },
  CondLoc_reg(thread, _colon, reg): S.CondLocSyntax { return { kind: 'reg', thread: threadNumber(thread), reg: ident(reg), span: span(this) }; },
  CondLoc_loc(name): S.CondLocSyntax { return { kind: 'loc', name: ident(name), span: span(this) }; },
  CondValue_num(lit): S.InitVal { return { kind: 'num', value: parseNumber(lit.sourceString), span: span(this) }; },
  CondValue_name(name): S.InitVal { return { kind: 'name', name: name.sourceString, span: span(this) }; },
});

