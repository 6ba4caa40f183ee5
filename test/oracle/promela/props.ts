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
import type { Expr } from '../../../src/syntax/ast.ts';
import { compile, not, type Env } from './expr.ts';

/** A property's name as a Promela name: the copies a `for` makes are named with their indexes, `inv[0][1]`: inv_0__1_ here. */
export function clean(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Property name -> flag, for every property of the model but `deadlock`. */
export function flagsOf(checked: Checked): Map<string, string> {
  const flags = new Map<string, string>();
  for (const d of checked.model.decls) {
    if (d.kind === 'invariant') flags.set(d.name.name, `inv_${clean(d.name.name)}`);
    if (d.kind === 'reachable') flags.set(d.name.name, `reach_${clean(d.name.name)}`);
  }
  for (const a of checked.assertNames) flags.set(a, `assert_${a}`);
  if (checked.unnamedAsserts) flags.set('assertions', 'unnamed_assertions');
  for (const w of checked.warnings.spans.keys()) flags.set(w, w === 'warnings' ? 'unnamed_warnings' : `warn_${w}`);
  flags.set('ranges', 'builtin_ranges');
  flags.set('locking', 'builtin_locking');
  return flags;
}

/** `name`: the claim's name when the model has other claims (liveness), for pan -N; null writes `never {`. */
export function neverClaim(checked: Checked, env: Env, flag: (p: string) => string, name: string | null): string[] {
  const checks: string[] = [];
  for (const d of checked.model.decls) {
    if (d.kind === 'liveness') {
      // A liveness property is evaluated in every state as well: a fault there is a `ranges` violation.
      for (const e of d.p ? [d.p, d.q] : [d.q]) {
        const c = compile(e, env);
        if (c.def !== null) checks.push(`/* evaluating liveness ${d.name.name} faults */`, 'if', `:: ${not(c.def)} -> assert(${flag('ranges')})`, ':: else', 'fi;');
      }
      continue;
    }
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
  return [`never ${name === null ? '' : `${name} `}{`, '  do', '  :: d_step {', ...checks.map((c) => `       ${c}`), '     }', '  od', '}'];
}

/**
 * Each liveness property as a never claim written here, not by SPIN's LTL
 * translator (the export through lower/ writes ltl formulas): a Büchi
 * automaton for the runs that violate it, read off docs/language.md's
 * definitions. The claim moves first in each step of the product, reading
 * the state the system is in, and stutters where the system has no move,
 * so a run that stops is its last state repeated.
 *
 *   eventually Q          Q never holds:                   accept: !Q for ever
 *   always eventually Q   from some point Q never holds:   any, then !Q for ever
 *   P ~> Q                at some point P && !Q, and !Q for ever after
 *
 * A state where evaluating P or Q faults counts as not satisfying it.
 */
export function livenessClaims(checked: Checked, env: Env, names: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  const holds = (e: Expr): string => {
    const c = compile(e, env);
    return c.def === null ? `(${c.text})` : `((${c.def}) && (${c.text}))`;
  };
  for (const d of checked.model.decls) {
    if (d.kind !== 'liveness') continue;
    const notQ = `!${holds(d.q)}`;
    const forever = ['accept_forever:', '  do', `  :: ${notQ}`, '  od'];
    out.push(`/* liveness ${d.name.name}: ${d.form} */`, `never ${names.get(d.name.name)!} {`);
    switch (d.form) {
      case 'eventually': out.push(...forever); break;
      case 'alwaysEventually': out.push('  do', '  :: (1)', `  :: ${notQ} -> goto accept_forever`, '  od;', ...forever); break;
      case 'leadsTo': out.push('  do', '  :: (1)', `  :: ${holds(d.p!)} && ${notQ} -> goto accept_forever`, '  od;', ...forever); break;
    }
    out.push('}');
  }
  return out;
}
