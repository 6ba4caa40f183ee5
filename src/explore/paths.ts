/**
 * Addresses of storage inside a state: `['globals', g, ...]` for a shared
 * variable, `['locals', instance, l, ...]` for an actor-local one, followed
 * by struct field and array element indexes. The same arrays are immer's
 * patch paths, which is how a trace step learns which variables it wrote.
 */
import type { Program } from '../lower/ir.ts';
import type { Type, Value } from '../check/types.ts';
import type { State } from './state.ts';
import { memberType } from '../lower/places.ts';

export type StatePath =
  | readonly ['globals', number, ...number[]]
  | readonly ['locals', number, number, ...number[]];

/** The value stored at `path`. */
export function getAt(state: State, path: StatePath): Value {
  let value: Value = path[0] === 'globals' ? state.globals : state.locals;
  for (let i = 1; i < path.length; i++) value = element(value, path[i] as number, path);
  return value;
}

function element(value: Value, index: number, path: StatePath): Value {
  if (!Array.isArray(value)) throw new Error(`internal error: ${JSON.stringify(path)} goes through a scalar`);
  const v = (value as readonly Value[])[index];
  if (v === undefined) throw new Error(`internal error: ${JSON.stringify(path)} is outside the state`);
  return v;
}

/** The declared type of the storage at `path`. */
export function pathType(program: Program, path: StatePath): Type {
  let [type, rest] = rootOf(program, path);
  for (const i of rest) type = memberType(type, i);
  return type;
}

/** The path, cut at the first wait queue it goes into: a wait queue changes as one value (`wq: {} -> {waiter}`). */
export function valuePath(program: Program, path: StatePath): StatePath {
  let [type, rest] = rootOf(program, path);
  const keep = path.length - rest.length;
  for (let i = 0; i < rest.length; i++) {
    if (type.kind === 'array' && type.waitQueue) return path.slice(0, keep + i) as unknown as StatePath;
    type = memberType(type, rest[i]!);
  }
  return path;
}

/** `folio.dirty`, `forks[2]`, `cpu[1].i` (local `i` of instance `cpu[1]`), `pinner.n`. */
export function pathName(program: Program, path: StatePath): string {
  let name: string;
  if (path[0] === 'globals') {
    name = global(program, path[1]).name;
  } else {
    const instance = program.instances[path[1]];
    if (!instance) throw new Error(`internal error: no instance ${path[1]}`);
    name = `${instance.name}.${local(program, path[1], path[2]).name}`;
  }
  let [type, rest] = rootOf(program, path);
  for (const i of rest) {
    if (type.kind === 'struct') name += `.${type.fields[i]?.name ?? `#${i}`}`;
    else name += `[${i}]`;
    type = memberType(type, i);
  }
  return name;
}

/** Is `prefix` a path to `path` or to storage containing it? */
export function isPrefix(prefix: readonly (string | number)[], path: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}

/** The type of the root variable and the indexes below it. */
function rootOf(program: Program, path: StatePath): [Type, readonly number[]] {
  if (path[0] === 'globals') return [global(program, path[1]).type, path.slice(2) as number[]];
  return [local(program, path[1], path[2]).type, path.slice(3) as number[]];
}

function global(program: Program, index: number) {
  const g = program.globals[index];
  if (!g) throw new Error(`internal error: no shared variable ${index}`);
  return g;
}

function local(program: Program, instance: number, index: number) {
  const inst = program.instances[instance];
  const l = inst && program.actors[inst.actor]?.locals[index];
  if (!l) throw new Error(`internal error: instance ${instance} has no local ${index}`);
  return l;
}
