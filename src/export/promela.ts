/**
 * Exports one lowered Program (one variant, options folded) as an
 * equivalent Promela model, so that SPIN can check what Weft checks and
 * the two can be compared state for state (docs/promela.md).
 *
 * The mapping, in short:
 *   - shared variables are Promela globals, flattened into scalar leaves
 *     (promelaVars.ts); enums are bytes with a #define per member;
 *   - each actor is an `active [N] proctype`, so that `_pid` is Weft's
 *     instance number (lock owners are `_pid + 1`) and `self` is `_pid`
 *     minus the actor's first instance;
 *   - each pc is a label (`end_` for a finished actor and every pc of a
 *     daemon, so that SPIN's invalid-end-state check is Weft's deadlock);
 *     each step is one atomic option of the `if` at its label
 *     (promelaSteps.ts);
 *   - invariants and reachable targets are checked in every state by a
 *     never claim that loops on one atomic check and never changes state;
 *     an actor whose position they read keeps its pc in a global as well,
 *     and a local they read is a global (one element per instance), since
 *     SPIN takes no remote references in the claim's d_step;
 *   - each liveness property is an ltl formula over the same mirrors
 *     (promelaLtl.ts), a never claim of its own for `pan -a [-f] -N NAME`;
 *     the claims are named so that -N can pick one. Where no pan run has
 *     the model's fairness (strong, or weak and none mixed) there are no
 *     formulas: the header names the properties left out, and why, and
 *     PromelaModel.omittedLiveness lists them.
 *
 * SPIN's stored-state count equals Weft's: the initial states are equal,
 * and each step adds exactly the states Weft adds. pan disables its
 * end-state check when there is a claim, so deadlocks are found by a
 * second pan compiled with -DNOCLAIM (which also stores Weft's states).
 */
import type { Program, Property } from '../lower/ir.ts';
import { typeToString, type EnumType, type Type } from '../check/types.ts';
import { whereShort } from '../text/source.ts';
import { assertNever } from '../util.ts';
import { and, constText, ExprRenderer, intText, ME, not, paren, type ActorView } from './promelaExpr.ts';
import { Scope } from './promelaNames.ts';
import { promelaRefusals } from './promelaRange.ts';
import { fairnessPlan, livenessOmissions, ltlDefines, ltlFormulas, type LivenessClaims, type OmittedLiveness } from './promelaLtl.ts';
import { header } from './promelaHeader.ts';

export type { LivenessClaims, OmittedLiveness } from './promelaLtl.ts';
import { comment, emitStep, type Shadow } from './promelaSteps.ts';
import { indexTuples, instanceReads, promelaType, rootsOf, valueAt, type Leaf, type Root } from './promelaVars.ts';

export interface PromelaModel {
  readonly text: string;
  /**
   * For each property but `deadlock`, the hidden byte whose name SPIN
   * prints when the property is violated (for a reachable target: reached):
   * `pan:1: assertion violated FLAG (at depth N)`.
   */
  readonly flags: ReadonlyMap<string, string>;
  /** Whether the model has a never claim for its invariants and targets: then deadlocks need a pan compiled with -DNOCLAIM. */
  readonly hasClaim: boolean;
  /** That claim's name, for `pan -N NAME` where the model has other claims (ltl formulas); absent: the only claim. */
  readonly claimName?: string;
  /** The liveness properties, when the model has some that pan can check: each an ltl formula, checked alone by `pan -a [-f] -N NAME`. */
  readonly liveness?: LivenessClaims;
  /**
   * The liveness properties left out, with why, when pan cannot give the
   * model's fairness (then `liveness` is absent): a harness skips their
   * verdicts and compares the rest.
   */
  readonly omittedLiveness?: readonly OmittedLiveness[];
}


export function exportPromela(program: Program): string {
  return buildPromela(program).text;
}

export function buildPromela(program: Program): PromelaModel {
  checkInstanceOrder(program);
  // Where SPIN's 32-bit int would give another answer the export refuses; callers ask promelaRefusals first.
  const refused = promelaRefusals(program)[0];
  if (refused) throw new Error(`internal error: exporting a model the export refuses (${refused.message}); call promelaRefusals first`);
  const global = new Scope();
  const actorScopes = program.actors.map(() => new Scope(global));

  // Global names first, so that no local takes a name a global wants.
  const read = instanceReads(program);
  const roots = rootsOf(program, global, actorScopes, read);
  const enums = enumDefines(program, global);
  const procNames = program.actors.map((a) => global.take(a.name));
  // An actor whose position a property reads keeps its pc in a global too, written by every step that moves it.
  const pcs = program.actors.map((a, i) => (read.positions.has(i) ? global.take(`pc_${a.name}`) : null));
  const flags = new Map<string, string>();
  for (const p of program.properties) {
    const prefix = flagPrefix(p);
    if (prefix !== null) flags.set(p.name, global.take(`${prefix}_${p.name}`));
  }
  // Claims are named, so that pan -N can pick one: the invariants' claim, and one per ltl formula.
  const claimName = global.take('invariants');
  // Where pan has no run with the model's fairness, the liveness properties are left out (and named in the header), the rest kept.
  const plan = program.properties.some((p) => p.kind === 'liveness') ? fairnessPlan(program) : null;
  const omitted = livenessOmissions(program);
  const liveness: LivenessClaims | undefined = plan?.ok
    ? {
      claims: new Map(program.properties.flatMap((p) => (p.kind === 'liveness' ? [[p.name, global.take(p.name)] as const] : []))),
      weakFairness: plan.plan.weak,
      defines: ltlDefines(program, plan.plan.weak),
    }
    : undefined;
  const enumName = (t: EnumType, v: number): string => enums.get(t.name)?.[v] ?? String(v);
  const instances = program.instances.length;

  const flag = (property: string): string => {
    const f = flags.get(property);
    if (!f) throw new Error(`internal error: a step fails property '${property}', which the program does not declare`);
    return f;
  };
  const claimRoots = { globals: roots.globals, locals: [], actors: roots.locals };
  const claim = neverClaim(program, new ExprRenderer({ program, roots: claimRoots, actor: null, enumName, pcs }), flag, claimName);
  const hasClaim = claim.length > 0;

  const out: string[] = [];
  out.push(...header(program, liveness, omitted, hasClaim ? claimName : null));
  if (enums.size) {
    out.push('/* Enums: one byte each, members numbered from 0 as in Weft. */');
    for (const [name, members] of enums) {
      const type = findEnum(program, name)!;
      members.forEach((m, i) => out.push(`#define ${m} ${i}${i === 0 ? `  /* enum ${comment(type.name)} */` : ''}`));
    }
    out.push('');
  }
  out.push(
    '/* Properties: a failed check runs assert(FLAG) on one of these bytes, which are',
    '   always 0 and not part of the state, so that SPIN\'s message names the property. */',
  );
  for (const p of program.properties) {
    const f = flags.get(p.name);
    if (f) out.push(`hidden byte ${f};`);
  }
  out.push('');
  if (roots.globals.length) {
    out.push('/* Shared variables. */');
    for (const root of roots.globals) out.push(...declarations(root, instances, enumName, ''));
    out.push('');
  }
  const kept = program.actors.flatMap((a, i) => {
    const locals = roots.locals[i]!.filter((r) => r.global).flatMap((r) => declarations(r, instances, enumName, ''));
    const pc = pcs[i];
    if (!pc) return locals;
    const type = a.pcCount <= 256 ? 'byte' : 'short';
    const decl = `${type} ${pc}${a.isArray ? `[${a.count}]` : ''};`;
    return [`${decl.padEnd(31)} /* ${comment(`the pc of ${a.name}${a.isArray ? '[i]' : ''}: equal to its label's number`)} */`, ...locals];
  });
  if (kept.length) {
    out.push('/* What properties read of actor instances: pcs, and locals kept here instead of in the proctype. */', ...kept, '');
  }

  program.actors.forEach((_, a) => {
    out.push(...proctype(program, a, procNames[a]!, actorScopes[a]!, { globals: roots.globals, locals: roots.locals[a]! }, enumName, flag, pcs[a] ?? null));
    out.push('');
  });

  out.push(...claim);
  if (liveness) {
    if (claim.length) out.push('');
    out.push(...ltlFormulas(program, new ExprRenderer({ program, roots: claimRoots, actor: null, enumName, pcs, ltl: true }), liveness));
  }
  return {
    text: `${out.join('\n').trimEnd()}\n`, flags, hasClaim,
    ...(hasClaim ? { claimName } : {}), ...(liveness ? { liveness } : {}), ...(omitted.length ? { omittedLiveness: omitted } : {}),
  };
}

function flagPrefix(p: Property): string | null {
  switch (p.kind) {
    case 'invariant': return 'invariant';
    case 'reachable': return 'reachable';
    case 'assert': return 'assert';
    case 'warning': return 'warning';
    case 'ranges': case 'locking': return 'builtin';
    case 'deadlock': return null;
    // An ltl formula each (ltlFormulas), named after the property: pan reports an acceptance cycle, no assert.
    case 'liveness': return null;
    default: return assertNever(p);
  }
}

/** pids are instance numbers only if the instances come actor by actor, in actor order, as lowering makes them. */
function checkInstanceOrder(program: Program): void {
  let i = 0;
  program.actors.forEach((a, ai) => {
    for (let self = 0; self < a.count; self++, i++) {
      const inst = program.instances[i];
      if (!inst || inst.actor !== ai || inst.self !== self) throw new Error(`internal error: instance ${i} is not ${a.name}[${self}]`);
    }
  });
  if (i !== program.instances.length) throw new Error('internal error: more instances than actors declare');
}

/** Every enum type of the variables, in order of first use, with a #define name per member. */
function enumDefines(program: Program, scope: Scope): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (t: Type): void => {
    switch (t.kind) {
      case 'enum':
        if (!out.has(t.name)) out.set(t.name, t.members.map((m) => scope.take(`${t.name}_${m}`)));
        return;
      case 'struct': for (const f of t.fields) visit(f.type); return;
      case 'array': visit(t.element); return;
      case 'bool': case 'int': case 'integer': case 'lock': return;
      default: assertNever(t);
    }
  };
  for (const g of program.globals) visit(g.type);
  for (const a of program.actors) for (const l of a.locals) visit(l.type);
  return out;
}

function findEnum(program: Program, name: string): EnumType | null {
  const find = (t: Type): EnumType | null => {
    if (t.kind === 'enum') return t.name === name ? t : null;
    if (t.kind === 'struct') return t.fields.map((f) => find(f.type)).find((x) => x) ?? null;
    if (t.kind === 'array') return find(t.element);
    return null;
  };
  for (const v of [...program.globals, ...program.actors.flatMap((a) => a.locals)]) {
    const e = find(v.type);
    if (e) return e;
  }
  return null;
}

/** `byte folios_pins[2] = { 1, 0 };  folios[].pins: 0..2` for each leaf of a variable. */
function declarations(root: Root, instances: number, enumName: (t: EnumType, v: number) => string, indent: string): string[] {
  return root.leaves.map((leaf) => {
    const raw = indexTuples(leaf.dims).map((t) => valueAt(root.init, leaf.shape.steps, t));
    const values = raw.map((v) => (typeof v === 'number' && leaf.bias !== 0 ? intText(v - leaf.bias) : constText(v, leaf.type, enumName)));
    const size = leaf.dims.reduce((a, b) => a * b, 1);
    let init = '';
    if (values.some((v) => v !== values[0])) init = ` = { ${values.join(', ')} }`;
    // Promela starts every variable at 0 (false): say so only for other values.
    else if (raw[0] !== 0 && raw[0] !== false) init = ` = ${values[0]!}`;
    const decl = `${promelaType(leaf.type, instances, leaf.bias)} ${leaf.name}${leaf.dims.length ? `[${size}]` : ''}${init};`;
    const bias = leaf.bias === 0 ? '' : `, stored as value + ${-leaf.bias}`;
    return `${indent}${decl.padEnd(31 - indent.length)} /* ${comment(`${weftPath(root, leaf)}: ${typeToString(leaf.type)}${lockNote(leaf)}${bias}`)} */`;
  });
}

function weftPath(root: Root, leaf: Leaf): string {
  const dims = leaf.dims.length > 1 ? ` (row-major [${leaf.dims.join('][')}])` : '';
  return `${root.weftName}${leaf.shape.steps.map((s) => (s.kind === 'field' ? `.${s.name}` : '[]')).join('')}${dims}`;
}

function lockNote(leaf: Leaf): string {
  if (leaf.type.kind !== 'lock') return '';
  return leaf.type.lock === 'rwsem' ? ', 0 free, reader bit mask, or -(writer + 1)' : ', 0 free or holder + 1';
}

function proctype(
  program: Program, a: number, name: string, scope: Scope, roots: { globals: readonly Root[]; locals: readonly Root[] },
  enumName: (t: EnumType, v: number) => string, flag: (p: string) => string, pcVar: string | null,
): string[] {
  const actor = program.actors[a]!;
  const first = program.instances.findIndex((i) => i.actor === a);
  const self = actor.isArray ? (first === 0 ? ME : `${ME} - ${first}`) : String(program.instances[first]!.self);
  const view: ActorView = { self, selfRange: [program.instances[first]!.self, program.instances[first + actor.count - 1]!.self] };
  const render = new ExprRenderer({ program, roots, actor: view, enumName });
  const isEnd = (pc: number): boolean => actor.daemon || pc === actor.endPc;
  const label = (pc: number): string => (isEnd(pc) ? `end_pc${pc}` : `pc${pc}`);
  const pcMirror = pcVar === null ? null : actor.isArray ? `${pcVar}[${self}]` : pcVar;

  // Pass one finds the variables each step must be able to put back; their save areas are shared by the steps of the proctype.
  const temps: string[] = [];
  const temp = (i: number): string => {
    while (temps.length <= i) temps.push(scope.take(`tmp_${temps.length}`));
    return temps[i]!;
  };
  const shadows = new Map<string, Shadow>();
  const saves = new Map<number, ReadonlySet<string>>();
  for (const s of program.steps) if (s.actor === a) saves.set(s.id, emitStep({ program, render, flag, label, shadows: new Map(), temp, pcMirror }, s, '').saves);
  const needed = new Set([...saves.values()].flatMap((k) => [...k]));
  for (const leaf of [...roots.globals, ...roots.locals].flatMap((r) => r.leaves)) {
    if (needed.has(leaf.name)) shadows.set(leaf.name, { leaf, name: scope.take(`old_${leaf.name}`) });
  }

  const body: string[] = [];
  for (let pc = 0; pc < actor.pcCount; pc++) {
    const steps = actor.stepsAt[pc] ?? [];
    const note = pc === actor.endPc ? '  /* finished */' : actor.daemon && steps.length === 0 ? '  /* blocked for ever, a valid end for a daemon */' : '';
    body.push(`${label(pc)}:${note}`);
    if (steps.length === 0) {
      body.push(pc === actor.pcCount - 1 ? '  false' : '  false;');
      continue;
    }
    body.push('  if');
    for (const id of steps) {
      const step = program.steps[id]!;
      const mine = saves.get(id)!;
      const own = new Map([...shadows].filter(([leaf]) => mine.has(leaf)));
      body.push(...emitStep({ program, render, flag, label, shadows: own, temp, pcMirror }, step, '  ').lines);
    }
    body.push(pc === actor.pcCount - 1 ? '  fi' : '  fi;');
  }

  const where = comment(whereShort(program.file, actor.span));
  const kind = actor.daemon ? 'daemon' : 'actor';
  const instancesNote = actor.isArray ? `${actor.name}[0..${actor.count - 1}] are pids ${first}..${first + actor.count - 1}, self = ${self}` : `pid ${first}`;
  const lines = [`/* ${kind} ${comment(actor.name)} (${where}): ${comment(instancesNote)} */`, `active ${actor.isArray ? `[${actor.count}] ` : ''}proctype ${name}() {`];
  const instances = program.instances.length;
  for (const root of roots.locals) if (!root.global) lines.push(...declarations(root, instances, enumName, '  '));
  for (const { leaf, name: old } of shadows.values()) {
    const size = leaf.dims.reduce((x, y) => x * y, 1);
    const decl = `${promelaType(leaf.type, instances, leaf.bias)} ${old}${leaf.dims.length ? `[${size}]` : ''};`;
    lines.push(`  ${decl.padEnd(29)} /* save area of ${leaf.name}: 0 outside a step */`);
  }
  for (const t of temps) lines.push(`  ${`int ${t};`.padEnd(29)} /* staging: 0 outside a step */`);
  if (lines.length > 2) lines.push('');
  lines.push(...body, '}');
  return lines;
}

/**
 * Invariants and reachable targets, checked in every state, and whether
 * evaluating a liveness property's P or Q faults there. The claim
 * loops on one check that changes nothing, so every product state is a
 * system state and the count stays Weft's. The check is a d_step, one
 * transition: where the system has no move left pan lets the claim
 * stutter, and it recognises the state it returns to only when the claim
 * moved in one transition (after an atomic of several, pan goes on
 * stuttering until its depth limit). Evaluating a property may fault (a
 * bad index): that is a `ranges` violation, as in Weft.
 */
function neverClaim(program: Program, render: ExprRenderer, flag: (p: string) => string, name: string): string[] {
  const checks: string[] = [];
  for (const p of program.properties) {
    if (p.kind === 'liveness') {
      // Weft evaluates P and Q in every state too: where that faults, the state violates `ranges` (the ltl formula reads it as false).
      for (const e of p.p ? [p.p, p.q] : [p.q]) {
        const d = render.defined(e);
        if (d !== null) checks.push(`/* evaluating liveness ${comment(p.name)} faults */`, 'if', `:: ${not(d)} -> assert(${flag('ranges')})`, ':: else', 'fi;');
      }
      continue;
    }
    if (p.kind !== 'invariant' && p.kind !== 'reachable') continue;
    const where = comment(whereShort(program.file, p.span));
    const d = render.defined(p.expr);
    const bad = p.kind === 'invariant' ? render.negate(p.expr) : paren(render.cond(p.expr));
    checks.push(`/* ${p.kind} ${comment(p.name)} (${where}) */`, 'if');
    if (d !== null) checks.push(`:: ${not(d)} -> assert(${flag('ranges')})`);
    checks.push(`:: ${and(d, bad)!} -> assert(${flag(p.name)})`, ':: else', 'fi;');
  }
  if (checks.length === 0) return [];
  return [
    '/* Invariants and reachable targets, checked in every state (the claim never changes state). */',
    `never ${name} {`,
    '  do',
    '  :: d_step {',
    ...checks.map((c) => `       ${c}`),
    '     }',
    '  od',
    '}',
  ];
}
