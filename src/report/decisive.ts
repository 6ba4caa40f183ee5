/**
 * The two steps whose order decides a violation, where Weft can tell: the
 * last step that changed something the failing property reads, and before
 * it the last step of *another* actor instance that changed something the
 * property reads. Had those two run the other way round, the property
 * would have seen a different state; they are the race a reader should
 * look at first (in T1: the pinner's try_grab_folio and reclaim's
 * try_to_free_buffers).
 *
 * What the property reads is found syntactically, as paths (`folio.pins`,
 * `level[2]`, or the whole variable when an index is not constant), and
 * matched against the changed paths each trace step lists. A deadlock, or
 * a violation that no step of the trace touched, has no such pair.
 */
import type { Expr, Op, Program, Step } from '../lower/ir.ts';
import type { Type } from '../check/types.ts';
import type { PropertyVerdict } from '../explore/verdict.ts';
import type { TraceStep } from '../explore/trace.ts';
import { placeParts, type PlaceRoot } from '../lower/places.ts';

export interface Decisive {
  /** 1-based trace step indexes: `first` ran before `second`. */
  readonly first: number;
  readonly second: number;
  /** The paths the property reads that the two steps changed. */
  readonly paths: readonly string[];
}

export function decisiveSteps(program: Program, verdict: PropertyVerdict): Decisive | null {
  const trace = verdict.trace;
  if (!trace || verdict.status !== 'violated' || trace.steps.length === 0) return null;
  const reads = readsOf(program, verdict, trace.steps.at(-1)!);
  if (reads === null || reads.length === 0) return null;
  const touches = (s: TraceStep): string[] => s.changes.map((c) => c.path).filter((p) => reads.some((r) => overlaps(p, r)));
  const steps = trace.steps;
  // A failing step changes nothing; it counts as the second step itself, and so does the step that warns.
  let j = steps.length - 1;
  if (!steps[j]!.failed && verdict.kind !== 'warning') {
    while (j >= 0 && touches(steps[j]!).length === 0) j--;
    if (j < 0) return null;
  }
  const second = steps[j]!;
  for (let i = j - 1; i >= 0; i--) {
    const s = steps[i]!;
    if (s.instance === second.instance) continue;
    const paths = touches(s);
    if (paths.length) return { first: s.index, second: second.index, paths: [...new Set([...paths, ...touches(second)])] };
  }
  return null;
}

/** The paths a violated property reads; null when it cannot tell (a deadlock, a built-in found by a step's effect). */
function readsOf(program: Program, verdict: PropertyVerdict, last: TraceStep): string[] | null {
  const property = program.properties.find((p) => p.name === verdict.property);
  if (!property) return null;
  switch (property.kind) {
    case 'invariant':
    case 'reachable':
      return exprPaths(program, property.expr);
    case 'warning': {
      // The step that warns goes on, but what it read decided the warning.
      const step = program.steps[last.stepId];
      return step ? stepPaths(program, step) : null;
    }
    case 'assert':
    case 'ranges':
    case 'locking': {
      // The failing step's own reads: its guard and the expressions of its effect.
      if (!last.failed) return null;
      const step = program.steps[last.stepId];
      return step ? stepPaths(program, step) : null;
    }
    case 'deadlock':
    case 'liveness':   // a lasso is not decided by the order of two steps
      return null;
  }
}

function stepPaths(program: Program, step: Step): string[] {
  const out = step.guard ? exprPaths(program, step.guard) : [];
  const visit = (ops: readonly Op[]): void => {
    for (const op of ops) {
      switch (op.kind) {
        case 'assign': out.push(...exprPaths(program, op.value), ...exprPaths(program, op.target)); break;
        case 'pick': out.push(...exprPaths(program, op.target)); break;
        case 'assert': case 'warn': out.push(...exprPaths(program, op.cond)); break;
        case 'stores': for (const s of op.stores) out.push(...exprPaths(program, s.value), ...exprPaths(program, s.target)); break;
        case 'check': out.push(...exprPaths(program, op.value)); break;
        case 'acquire': case 'release': out.push(...exprPaths(program, op.lock)); break;
        case 'if': out.push(...exprPaths(program, op.cond)); visit(op.then); visit(op.else); break;
        case 'choose': op.branches.forEach(visit); break;
      }
    }
  };
  visit(step.effect);
  return out;
}

/** Shared-variable paths an expression reads (locals are the actor's own and cannot race). */
function exprPaths(program: Program, e: Expr): string[] {
  const place = placePath(program, e);
  if (place) return [place.path, ...indexReads(program, e)];
  switch (e.kind) {
    case 'const': case 'global': case 'local': case 'self': case 'bound': return [];
    case 'field': return exprPaths(program, e.object);
    case 'index': return [...exprPaths(program, e.object), ...exprPaths(program, e.index)];
    case 'unary': return exprPaths(program, e.operand);
    case 'binary': return [...exprPaths(program, e.left), ...exprPaths(program, e.right)];
    case 'cond': return [...exprPaths(program, e.cond), ...exprPaths(program, e.then), ...exprPaths(program, e.else)];
    case 'quant': return exprPaths(program, e.body);
    case 'canAcquire': case 'lockFree': return exprPaths(program, e.lock);
    // A pc is not among the changes a trace step lists: only what the instance index reads counts.
    case 'at': return exprPaths(program, e.instance.index);
    case 'localOf': return exprPaths(program, e.instance.index);
    case 'struct': return e.fields.flatMap((x) => exprPaths(program, x));
    case 'array': return e.elements.flatMap((x) => exprPaths(program, x));
  }
}

/** What the variable indexes along a place read: `level[i]` reads `i`'s paths too. */
function indexReads(program: Program, e: Expr): string[] {
  switch (e.kind) {
    case 'field': return indexReads(program, e.object);
    case 'index': return [...indexReads(program, e.object), ...(e.index.kind === 'const' ? [] : exprPaths(program, e.index))];
    default: return [];
  }
}

/**
 * The path of a place's root variable as trace changes name it: a shared
 * variable, or a property's local of an instance named by a constant
 * (`a[1].t`); null for the running instance's locals, which cannot race.
 */
function rootPath(program: Program, root: PlaceRoot): { path: string; type: Type } | null {
  if (root.kind === 'global') {
    const g = program.globals[root.index];
    return g ? { path: g.name, type: g.type } : null;
  }
  if (root.kind === 'local' || root.instance.index.kind !== 'const') return null;
  const self = root.instance.index.value as number;
  const inst = program.instances.find((i) => i.actor === root.instance.actor && i.self === self);
  const local = program.actors[root.instance.actor]?.locals[root.index];
  return inst && local ? { path: `${inst.name}.${local.name}`, type: local.type } : null;
}

/** `folio.pins` for a place rooted in a shared variable (or an instance's local named by a property), as precise as its constant indexes allow. */
function placePath(program: Program, e: Expr): { path: string; type: Type } | null {
  const parts = placeParts(e);
  if (!parts) return null;
  const root = rootPath(program, parts.root);
  if (!root) return null;
  let { path, type } = root;
  for (const step of parts.steps) {
    if (step.kind === 'field') {
      const f = type.kind === 'struct' ? type.fields[step.field] : undefined;
      if (!f) break;
      path += `.${f.name}`;
      type = f.type;
    } else {
      // A variable index may name any element: the whole array stands for it.
      if (type.kind !== 'array' || step.index.kind !== 'const') break;
      path += `[${String(step.index.value)}]`;
      type = type.element;
    }
  }
  return { path, type };
}

/** `folio` overlaps `folio.pins`, `level[2]` overlaps `level`, `folio.pins` does not overlap `folio.pinsx`. */
function overlaps(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long === short || (long.startsWith(short) && (long[short.length] === '.' || long[short.length] === '['));
}
