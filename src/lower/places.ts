/**
 * Places (lvalues) of the IR, taken apart once: a place is a root variable
 * (a shared variable, a local of the running instance, or in a property a
 * local of a named instance) followed by
 * field and index steps. Every consumer walks these parts instead of
 * recursing over the expression itself: the reference interpreter resolves
 * them to state paths (explore/evaluate.ts), the Promela export to
 * flattened leaves (export/promelaVars.ts), lowering to declared types
 * (placeType below), the code generator to byte offsets (emit/emitTs.ts
 * `offset`).
 */
import type { Type } from '../check/types.ts';
import type { Span } from '../text/source.ts';
import type { ActorInfo, Expr, InstanceRef, VarInfo } from './ir.ts';

export type PlaceRoot =
  | { readonly kind: 'global'; readonly index: number }
  | { readonly kind: 'local'; readonly index: number }
  /** Local `index` of instance `instance` (properties only). */
  | { readonly kind: 'localOf'; readonly instance: InstanceRef; readonly index: number };

export type PlaceStep =
  | { readonly kind: 'field'; readonly field: number }
  /** `index` is evaluated at run time and must lie in 0..size-1. */
  | { readonly kind: 'index'; readonly index: Expr; readonly size: number; readonly span: Span };

export interface PlaceParts {
  readonly root: PlaceRoot;
  /** From the root outwards: `a[i].f` is index i, then field f. */
  readonly steps: readonly PlaceStep[];
}

/** The parts of a place, or null when `e` is not one (a constant, an operation...). */
export function placeParts(e: Expr): PlaceParts | null {
  const steps: PlaceStep[] = [];
  let at = e;
  for (;;) {
    switch (at.kind) {
      case 'global':
        return { root: { kind: 'global', index: at.index }, steps: steps.reverse() };
      case 'local':
        return { root: { kind: 'local', index: at.index }, steps: steps.reverse() };
      case 'localOf':
        return { root: { kind: 'localOf', instance: at.instance, index: at.index }, steps: steps.reverse() };
      case 'field':
        steps.push({ kind: 'field', field: at.field });
        at = at.object;
        break;
      case 'index':
        steps.push({ kind: 'index', index: at.index, size: at.size, span: at.span });
        at = at.object;
        break;
      default:
        return null;
    }
  }
}

/** The type of a field or element, one step below an aggregate type. */
export function stepType(type: Type, step: PlaceStep): Type {
  if (step.kind === 'field' && type.kind !== 'struct') throw new Error('internal error: field of a non-struct place');
  if (step.kind === 'index' && type.kind !== 'array') throw new Error('internal error: index of a non-array place');
  return memberType(type, step.kind === 'field' ? step.field : 0);
}

/**
 * The type of field `index` of a struct or of an element of an array. The
 * interpreter's state paths (explore/paths.ts) are resolved places, numbers
 * only, and walk their types through this too.
 */
export function memberType(type: Type, index: number): Type {
  if (type.kind === 'struct') {
    const f = type.fields[index];
    if (!f) throw new Error(`internal error: ${type.name} has no field ${index}`);
    return f.type;
  }
  if (type.kind === 'array') return type.element;
  throw new Error(`internal error: ${type.kind} has no members`);
}

/**
 * The declared type of a lowered place, from its root variable down:
 * `locals` are the running instance's, `actors` give those of a named
 * instance (a property's `a.x`).
 */
export function placeType(place: Expr, globals: readonly VarInfo[], locals: readonly VarInfo[], actors: readonly ActorInfo[] = []): Type {
  const parts = placeParts(place);
  if (!parts) throw new Error(`internal error: ${place.kind} is not a place`);
  return parts.steps.reduce(stepType, rootVar(parts.root, globals, locals, actors).type);
}

/** The variable a place root names. */
export function rootVar(root: PlaceRoot, globals: readonly VarInfo[], locals: readonly VarInfo[], actors: readonly ActorInfo[]): VarInfo {
  let vars: readonly VarInfo[];
  if (root.kind === 'global') vars = globals;
  else if (root.kind === 'local') vars = locals;
  else vars = actors[root.instance.actor]?.locals ?? [];
  const v = vars[root.index];
  if (!v) throw new Error(`internal error: no ${root.kind} variable ${root.index}`);
  return v;
}
