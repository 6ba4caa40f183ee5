/**
 * Names in an exported Murphi model. Every model name that reaches the
 * Murphi text (variables, fields, actors, properties) goes through
 * `Scope.take`, which keeps the name where Murphi allows it and otherwise
 * gives a name that cannot break out: only letters, digits and `_`, never
 * starting with `_` or a digit, never a Murphi or Rumur keyword (keywords
 * are case-insensitive in Murphi, so the comparison is too), never a name
 * the scope has taken already (compared case-insensitively as well, so
 * that `X` and `x` cannot meet however a tool folds case). Allocation is
 * deterministic, so the same program always gets the same text.
 *
 * Strings in the export (the messages of `error` and `put`) are built only
 * from names this scope gave out and fixed words, so no quote or
 * backslash from a model can reach them; comments go through
 * `murphiComment`.
 */
import { commentText } from '../text/escape.ts';

/** CMurphi's and Rumur's keywords and predefined names. */
const MURPHI = [
  'alias', 'array', 'assert', 'assume', 'begin', 'boolean', 'by', 'case', 'clear', 'const', 'cover', 'do', 'else',
  'elsif', 'end', 'endalias', 'endexists', 'endfor', 'endforall', 'endfunction', 'endif', 'endprocedure',
  'endrecord', 'endrule', 'endruleset', 'endstartstate', 'endswitch', 'endwhile', 'enum', 'error', 'exists',
  'false', 'for', 'forall', 'function', 'if', 'in', 'invariant', 'isundefined', 'ismember', 'liveness', 'multiset',
  'multisetadd', 'multisetcount', 'multisetremove', 'multisetremovepred', 'of', 'procedure', 'process', 'program',
  'property', 'put', 'real', 'record', 'return', 'rule', 'ruleset', 'scalarset', 'startstate', 'switch', 'then',
  'to', 'traceuntil', 'true', 'type', 'undefine', 'undefined', 'union', 'var', 'while',
  // C keywords and names the generated verifier uses (Rumur mangles most, but be safe)
  'int', 'char', 'void', 'main', 'state', 'value', 'handle', 'auto', 'static', 'struct', 'return',
];

const RESERVED: ReadonlySet<string> = new Set(MURPHI.map((w) => w.toLowerCase()));

export class Scope {
  private readonly taken = new Set<string>();

  constructor(private readonly parent: Scope | null = null) {}

  private has(lower: string): boolean {
    return this.taken.has(lower) || (this.parent?.has(lower) ?? false);
  }

  /** Takes `want`, or `want_1`, `want_2`, ... if that is reserved or taken. */
  take(want: string): string {
    const clean = want.replace(/[^A-Za-z0-9_]/g, '_');
    const base = /^[A-Za-z]/.test(clean) ? clean : `u${clean}`;
    let name = base;
    for (let i = 1; RESERVED.has(name.toLowerCase()) || this.has(name.toLowerCase()); i++) name = `${base}_${i}`;
    this.taken.add(name.toLowerCase());
    return name;
  }
}

/** Model text (a label, a path, a name) inside a Murphi `--` comment: one line. */
export function murphiComment(text: string): string {
  return commentText(text.replace(/\s+/g, ' '));
}
