/**
 * A second way to SPIN: a Promela export written from the checked AST,
 * without Weft's lowering (src/lower), engines or exporter (src/export),
 * so that a bug in any of them shows up as a disagreement with SPIN. It is
 * a test oracle, not a product feature: test/oracle.test.ts and the soak
 * script compare its SPIN verdicts and state counts with Weft's.
 *
 * The step semantics come from docs/language.md (stmt.ts); the encoding
 * that makes pan store exactly Weft's states is docs/promela.md's: every
 * pc a label, every step one `atomic { guard -> effect; goto next }`
 * option of the `if` there, finished actors and every pc of a daemon
 * `end_` labels, faults that return to the step's own label (effect.ts),
 * and a never claim that evaluates invariants and reachable targets in
 * one d_step and never changes state (props.ts); each liveness property
 * is a never claim of its own, written here (props.ts), not an ltl formula.
 * Where pan cannot give the model's fairness the liveness properties are
 * left out, and listed in PromelaModel.omittedLiveness, as the product
 * export does (when is read here apart from it: livenessPlan).
 *
 * Constructs it does not support give `{ ok: false, reason }`, so that a
 * caller can skip and count them.
 */
import type { Expr, Model } from '../../../src/syntax/ast.ts';
import type { SourceFile } from '../../../src/text/source.ts';
import { check, type Checked, type Config } from '../../../src/check/check.ts';
import type { PromelaModel } from '../../../src/export/promela.ts';
import { declare, makeRoot, Unsupported, type Root } from './types.ts';
import { and, not, type Env, type OracleActor } from './expr.ts';
import { ME, Writer } from './effect.ts';
import { compileStmts, Node, resolve, stepsOf, type Builder, type Step } from './stmt.ts';
import { clean, flagsOf, livenessClaims, neverClaim } from './props.ts';
import { doBatch, rcuCallbacks, rcuDecls, usesRcu } from './rcu.ts';

export type OracleResult = { readonly ok: true; readonly promela: PromelaModel } | { readonly ok: false; readonly reason: string };

export function promelaFromAst(file: SourceFile, model: Model, config: Config): OracleResult {
  const r = check(file, model, config);
  if (!r.checked) return { ok: false, reason: `the model does not check: ${r.diagnostics[0]?.message ?? 'no message'}` };
  try {
    return { ok: true, promela: build(r.checked) };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: e.message };
    throw e;
  }
}

function build(checked: Checked): PromelaModel {
  const ctx = checked.ctx;
  const { liveness, omitted } = livenessPlan(checked);
  let n = 0;
  const globals = ctx.globals.map((g) => makeRoot('g', n++, g.name, g.type, g.init));
  // RCU's callbacks each run in an executor process, after the model's instances (rcu.ts).
  const callbacks = rcuCallbacks(checked);
  const modelInstances = ctx.actors.reduce((s, a) => s + a.count, 0);
  const instances = modelInstances + callbacks.length;
  // pan numbers processes in a byte (and the never claim is one of them).
  if (instances > 254) throw new Unsupported(`${instances} actor instances: pan runs at most 255 processes`);
  const flags = flagsOf(checked);
  const flag = (p: string): string => {
    const f = flags.get(p);
    if (!f) throw new Error(`internal error: no flag for property ${p}`);
    return f;
  };
  const text = (span: { start: number; end: number }): string => ctx.text(span).replace(/\s+/g, ' ').slice(0, 60).replace(/\*\//g, '* /');

  const out: string[] = [
    `/* ${checked.model.name?.name ?? ctx.file.path}, variant ${checked.variant}: written by Weft's AST oracle (test/oracle/promela). */`,
    '',
  ];
  for (const f of flags.values()) out.push(`hidden byte ${f};`);
  for (const g of globals) out.push(...declare(g, instances, ''));
  if (callbacks.length || usesRcu(checked)) out.push(...rcuDecls(instances, callbacks));
  out.push('');

  // What the properties read of instances decides what is kept in globals (OracleActor).
  const read = propertyReads(checked);
  const actors: OracleActor[] = ctx.actors.map((actor, ai) => {
    const global = new Set(actor.locals.flatMap((_, i) => (read.locals.has(`${ai}:${i}`) ? [i] : [])));
    const locals = actor.locals.map((l, i) => {
      if (!global.has(i) || !actor.isArray) return makeRoot('l', n++, l.name, l.type, l.init);
      return makeRoot('l', n++, l.name, { kind: 'array', element: l.type, size: actor.count }, Array.from({ length: actor.count }, () => l.init));
    });
    const pcVar = read.positions.has(ai) ? `pc${ai}_${actor.decl.name.name}` : null;
    return { count: actor.count, isArray: actor.isArray, pcVar, locals, global, labels: new Map() };
  });
  for (const a of actors) {
    for (const i of a.global) out.push(...declare(a.locals[i]!, instances, ''));
    // Pcs are numbered from 0 (the entry) in the order proctype() finds them; 0 needs no initialiser.
    if (a.pcVar) out.push(`short ${a.pcVar}${a.isArray ? `[${a.count}]` : ''};`);
  }
  out.push('');

  let first = 0;
  ctx.actors.forEach((actor, ai) => {
    const oa = actors[ai]!;
    const locals = oa.locals;
    const self = actor.isArray
      ? { text: first === 0 ? ME : `(${ME} - ${first})`, lo: 0, hi: actor.count - 1 }
      : { text: '0', lo: 0, hi: 0 };
    const rcu = { processes: instances, callbacks, pids: [first, first + actor.count - 1] as const };
    const env: Env = { ctx, globals, locals, self, params: null, quant: [], perInstance: actor.isArray ? oa.global : new Set(), rcu };
    const end = new Node();
    end.steps = [];
    const builder: Builder = { text, labels: [] };
    const entry = compileStmts(actor.body, env, end, null, builder);
    const mirror = oa.pcVar === null ? null : actor.isArray ? `${oa.pcVar}[${self.text}]` : oa.pcVar;
    const p = proctype(`p${ai}_${actor.decl.name.name}`, actor.isArray ? actor.count : null, actor.decl.daemon, entry, end, locals.filter((_, i) => !oa.global.has(i)), instances, flag, mirror);
    out.push(...p.lines);
    out.push('');
    // A label's positions: the pcs its statements start at (one that no step reaches is no pc, and never a position).
    for (const l of builder.labels) {
      const list = oa.labels.get(l.name) ?? [];
      for (const at of p.positions(l.node)) if (!list.includes(at)) list.push(at);
      oa.labels.set(l.name, list);
    }
    first += actor.count;
  });
  // Each callback's executor: loop { rcu_do_batch; the callback's body }, a daemon.
  callbacks.forEach((cb, k) => {
    const rcu = { processes: instances, callbacks, pids: [modelInstances + k, modelInstances + k] as const };
    const env: Env = { ctx, globals, locals: [], self: { text: '0', lo: 0, hi: 0 }, params: [], quant: [], perInstance: new Set(), rcu };
    const head = new Node();
    const end = new Node();
    end.steps = [];
    const body = compileStmts(ctx.fns.get(cb)!.decl.body.stmts, env, head, null, { text, labels: [] });
    const batch = doBatch(rcu, k);
    head.steps = [{ guard: { text: batch.guard, def: null, fault: false }, run: batch.run, next: body, note: `rcu_do_batch (${cb})`, prechecks: [] }];
    head.loopHead = true;
    out.push(...proctype(`p${ctx.actors.length + k}_rcu_callback_${cb}`, null, true, head, end, [], instances, flag, null).lines, '');
  });
  checkVectorSize(out);
  const claimEnv: Env = { ctx, globals, locals: null, self: null, params: null, quant: [], actors };
  // With liveness claims there are several: each is named, for pan -N.
  const claimName = liveness ? 'claim_invariants' : null;
  const claim = neverClaim(checked, claimEnv, flag, claimName);
  out.push(...claim);
  if (liveness) out.push(...livenessClaims(checked, claimEnv, liveness.claims));
  const hasClaim = claim.length > 0;
  return {
    text: `${out.join('\n')}\n`, flags, hasClaim,
    ...(hasClaim && claimName ? { claimName } : {}), ...(liveness ? { liveness } : {}), ...(omitted.length ? { omittedLiveness: omitted } : {}),
  };
}

type Liveness = NonNullable<PromelaModel['liveness']>;
type Omitted = NonNullable<PromelaModel['omittedLiveness']>;

/**
 * The liveness claims' names and pan's fairness, read from the AST: pan -f
 * makes every process weakly fair, and without -f none is, so the oracle
 * writes claims for a model whose actors all say weak (or nothing, which
 * is weak) or all say none, and leaves the liveness properties out of the
 * others, saying why (docs/language.md, "Fairness"). It does not take
 * strong fairness as weak where that is the same (the product export's
 * owedFairness does), so it leaves out more: those verdicts are then
 * compared only through the product export.
 */
function livenessPlan(checked: Checked): { liveness: Liveness | null; omitted: Omitted } {
  const names = checked.model.decls.flatMap((d) => (d.kind === 'liveness' ? [d.name.name] : []));
  if (names.length === 0) return { liveness: null, omitted: [] };
  // The checker's reading of each clause (a word, or an option's value in this variant): the oracle shares it.
  // RCU's executors are weakly fair (docs/language.md, "RCU").
  const executors = rcuCallbacks(checked).length;
  const words = [...checked.ctx.actors.map((a) => a.fairness), ...Array.from({ length: executors }, () => 'weak' as const)];
  const strong = checked.ctx.actors.filter((a) => a.fairness === 'strong').map((a) => a.decl.name.name);
  const why = strong.length
    ? `fairness strong of ${strong.join(', ')}: pan has weak fairness only`
    : new Set(words).size > 1 ? 'fairness weak and none mixed: pan has one fairness for every process' : null;
  if (why !== null) return { liveness: null, omitted: names.map((property) => ({ property, reason: why })) };
  // -f keeps a counter byte per NFAIR and refuses more processes than about 4 * NFAIR: this is room enough, and costs only bytes.
  const instances = checked.ctx.actors.reduce((s, a) => s + a.count, 0) + executors;
  return { liveness: { claims: new Map(names.map((n) => [n, `ltl_${clean(n)}`])), weakFairness: words[0] === 'weak', defines: ['-DNOREDUCE', `-DNFAIR=${instances + 2}`] }, omitted: [] };
}

function proctype(
  name: string, count: number | null, daemon: boolean, entry: Node, end: Node, locals: readonly Root[], instances: number,
  flag: (p: string) => string, mirror: string | null,
): { lines: string[]; positions: (x: Node) => number[] } {
  // The pcs: every node a step can reach, from the entry.
  const order: Node[] = [];
  const index = new Map<Node, number>();
  const visit = (x: Node): void => {
    const r = resolve(x);
    if (index.has(r)) return;
    index.set(r, order.length);
    order.push(r);
  };
  visit(entry);
  for (let i = 0; i < order.length; i++) for (const s of stepsOf(order[i]!)) visit(s.next);
  const label = (x: Node): string => {
    const r = resolve(x);
    return `${daemon || r === resolve(end) ? 'end_' : ''}pc${index.get(r)!}`;
  };

  // Pass one: what each step writes and whether it can fail, for the save areas.
  const tempNames: string[] = [];
  const temp = (i: number): string => {
    while (tempNames.length <= i) tempNames.push(`t_${tempNames.length}`);
    return tempNames[i]!;
  };
  const saves = new Map<Step, string[]>();
  const olds = new Map<string, string>();
  for (const node of order) {
    for (const s of stepsOf(node)) {
      if (saves.has(s)) continue;
      const w = new Writer({ flag, self: 'pc_unknown', shadows: new Map(), temp });
      runStep(s, w);
      const mine = w.canFail ? [...w.writes] : [];
      saves.set(s, mine);
      for (const leaf of mine) if (!olds.has(leaf)) olds.set(leaf, `old_${leaf}`);
    }
  }

  const body: string[] = [];
  for (const node of order) {
    const steps = stepsOf(node);
    body.push(`${label(node)}:`);
    if (steps.length === 0) {
      body.push('  false;');
      continue;
    }
    body.push('  if');
    for (const s of steps) {
      // The pc global follows every step that moves the instance (a step back to its own pc writes nothing).
      const move = mirror !== null && resolve(s.next) !== node ? `${mirror} = ${index.get(resolve(s.next))!};` : null;
      body.push(...option(s, label(node), label(s.next), saves.get(s) ?? [], olds, flag, temp, move));
    }
    body.push('  fi;');
  }

  const decls: string[] = [];
  for (const r of locals) decls.push(...declare(r, instances, '  '));
  // A save area holds a copy of its leaf: an int holds every leaf type.
  for (const old of olds.values()) decls.push(`  int ${old};`);
  for (const t of tempNames) decls.push(`  int ${t};`);
  const lines = [`active ${count === null ? '' : `[${count}] `}proctype ${name}() {`, ...decls, ...body, '}'];
  // Where a statement starts: its node, if that is a pc; else (a choose branch) the pcs that offer its first steps.
  const positions = (x: Node): number[] => {
    const at = index.get(resolve(x));
    if (at !== undefined) return [at];
    const first = new Set(stepsOf(x));
    return order.filter((pc) => stepsOf(pc).some((st) => first.has(st))).map((pc) => index.get(pc)!);
  };
  return { lines, positions };
}

function option(
  s: Step, self: string, next: string, saved: readonly string[], olds: ReadonlyMap<string, string>, flag: (p: string) => string,
  temp: (i: number) => string, move: string | null,
): string[] {
  const shadows = new Map(saved.map((l) => [l, olds.get(l)!]));
  const lines: string[] = [];
  const w = new Writer({ flag, self, shadows, temp });
  runStep(s, w);
  const effect = w.lines;
  const g = s.guard ? and(s.guard.def, s.guard.text) : null;
  // An option that begins with an expression: never an unconditional self-loop (pan refuses those), never an `if` whose `else` SPIN would lift.
  const head = g === null || g === 'true' ? `${ME} >= 0` : g;
  lines.push(`  :: /* ${s.note} */ atomic {`);
  lines.push(`       (${head}) ->`);
  for (const [leaf, old] of shadows) lines.push(`       ${old} = ${leaf};`);
  for (const l of effect) lines.push(`       ${l}`);
  for (const old of shadows.values()) lines.push(`       ${old} = 0;`);
  if (move) lines.push(`       ${move}`);
  lines.push(`       goto ${next}`, '     }');
  if (s.guard?.fault && s.guard.def !== null) {
    lines.push(`  :: /* evaluating the guard faults */ atomic { ${not(s.guard.def)} -> assert(${flag('ranges')}); goto ${self} }`);
  }
  return lines;
}

/** The instances' positions (by actor) and locals (`actor:index`) that properties read, from the AST. */
function propertyReads(checked: Checked): { positions: Set<number>; locals: Set<string> } {
  const ctx = checked.ctx;
  const positions = new Set<number>();
  const locals = new Set<string>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'at': positions.add(ctx.actorRefs.get(e.object)!.index); return visit(e.object);
      case 'field': {
        const actor = ctx.actorRefs.get(e.object);
        if (actor) locals.add(`${actor.index}:${actor.locals.findIndex((l) => l.name === e.field.name)}`);
        return visit(e.object);
      }
      case 'index': visit(e.object); return visit(e.index);
      case 'unary': return visit(e.operand);
      case 'binary': visit(e.left); return visit(e.right);
      case 'cond': visit(e.cond); visit(e.then); return visit(e.else);
      case 'quant': visit(e.lo); visit(e.hi); return visit(e.body);
      case 'struct': return e.fields.forEach((f) => visit(f.value));
      case 'array': return e.elements.forEach(visit);
      case 'number': case 'bool': case 'self': case 'name': return;
    }
  };
  for (const d of checked.model.decls) {
    if (d.kind === 'invariant' || d.kind === 'reachable') visit(d.expr);
    if (d.kind === 'liveness') { if (d.p) visit(d.p); visit(d.q); }
  }
  return { positions, locals };
}

function runStep(s: Step, w: Writer): void {
  for (const c of s.prechecks) c(w);
  s.run?.(w);
}

/** Bytes of a declaration in pan's state vector, roughly (a bool is a bit, but pan pads). */
const SIZES: Record<string, number> = { bool: 1, byte: 1, short: 2, int: 4 };

/**
 * pan's state vector is at most VECTORSZ (1024) bytes unless compiled
 * otherwise, and checkWithSpin compiles with the defaults: a model whose
 * variables (globals, and locals per instance, save areas and
 * temporaries included) come near that is refused rather than failing
 * in pan.
 */
function checkVectorSize(lines: readonly string[]): void {
  let bytes = 0;
  let perProc = 0;
  let instances = 1;
  for (const l of lines) {
    const proc = /^active (?:\[(\d+)\] )?proctype/.exec(l);
    if (proc) {
      bytes += perProc * instances;
      perProc = 4;
      instances = Number(proc[1] ?? 1);
      continue;
    }
    const decl = /^\s*(bool|byte|short|int) \w+/.exec(l);
    if (decl) perProc === 0 ? (bytes += SIZES[decl[1]!]!) : (perProc += SIZES[decl[1]!]!);
  }
  bytes += perProc * instances;
  if (bytes > 900) throw new Unsupported(`a state of about ${bytes} bytes: pan's default VECTORSZ is 1024`);
}
