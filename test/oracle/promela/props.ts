/**
 * Properties for the AST oracle. Each property but `deadlock` gets a flag:
 * a hidden byte, always 0 and not part of the state, so that
 * `assert(FLAG)` fails with a message that names the property. Asserts
 * report in their step (effect.ts); invariants and reachable targets in a
 * never claim that loops on one d_step evaluating them all and never
 * changes state, so that every product state is a system state
 * (docs/promela.md explains why a d_step). Deadlocks are pan's invalid end
 * states, found by the run built without the claim.
 */
import type { Checked } from '../../../src/check/check.ts';
import { compile, not, type Env } from './expr.ts';

/** Property name -> flag, for every property of the model but `deadlock`. */
export function flagsOf(checked: Checked): Map<string, string> {
  const flags = new Map<string, string>();
  for (const d of checked.model.decls) {
    if (d.kind === 'invariant') flags.set(d.name.name, `inv_${d.name.name}`);
    if (d.kind === 'reachable') flags.set(d.name.name, `reach_${d.name.name}`);
  }
  for (const a of checked.assertNames) flags.set(a, `assert_${a}`);
  if (checked.unnamedAsserts) flags.set('assertions', 'unnamed_assertions');
  for (const w of checked.warnings.spans.keys()) flags.set(w, w === 'warnings' ? 'unnamed_warnings' : `warn_${w}`);
  flags.set('ranges', 'builtin_ranges');
  flags.set('locking', 'builtin_locking');
  return flags;
}

export function neverClaim(checked: Checked, env: Env, flag: (p: string) => string): string[] {
  const checks: string[] = [];
  for (const d of checked.model.decls) {
    if (d.kind !== 'invariant' && d.kind !== 'reachable') continue;
    const c = compile(d.expr, env);
    const bad = d.kind === 'invariant' ? not(c.text) : `(${c.text})`;
    checks.push(`/* ${d.kind} ${d.name.name} */`, 'if');
    // Evaluating a property may fault (a bad index): a `ranges` violation, as in Weft.
    if (c.def !== null) checks.push(`:: ${not(c.def)} -> assert(${flag('ranges')})`, `:: (${c.def}) && ${bad} -> assert(${flag(d.name.name)})`);
    else checks.push(`:: ${bad} -> assert(${flag(d.name.name)})`);
    checks.push(':: else', 'fi;');
  }
  if (checks.length === 0) return [];
  return ['never {', '  do', '  :: d_step {', ...checks.map((c) => `       ${c}`), '     }', '  od', '}'];
}
