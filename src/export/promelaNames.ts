/**
 * Names in an exported Promela model. Weft names are C-like identifiers and
 * are kept as they are where possible; a name that is a Promela or C
 * keyword (SPIN compiles the model to C, and a variable `switch` would
 * become the C field `now.switch`), or that is already taken, gets a `_N`
 * suffix. Allocation is deterministic: the same program always gets the
 * same names, so the export is stable enough for golden files.
 */

/** Promela keywords and predefined names (SPIN 6). */
const PROMELA = [
  'active', 'assert', 'atomic', 'bit', 'bool', 'break', 'byte', 'chan', 'd_step', 'D_proctype', 'do',
  'else', 'empty', 'enabled', 'eval', 'false', 'fi', 'for', 'full', 'get_priority', 'goto', 'hidden', 'if',
  'in', 'init', 'inline', 'int', 'len', 'local', 'ltl', 'mtype', 'nempty', 'never', 'nfull', 'notrace', 'np_',
  'od', 'of', 'pc_value', 'pid', 'print', 'printf', 'printm', 'priority', 'proctype', 'provided', 'run',
  'select', 'set_priority', 'short', 'show', 'skip', 'timeout', 'trace', 'true', 'typedef', 'unless',
  'unsigned', 'xr', 'xs', 'c_code', 'c_decl', 'c_expr', 'c_state', 'c_track',
  // ltl operators, reserved by the parser in every model
  'always', 'eventually', 'until', 'weakuntil', 'stronguntil', 'release', 'implies', 'equivalent', 'weak', 'strong',
  // ltl operators that only an ltl formula reserves (`U`, `V`, `W`, `X`, `next`): a global that a formula reads must not be one
  'U', 'V', 'W', 'X', 'next',
  // names pan.c uses for its own globals and macros next to the model's
  'now', 'this', 'Index', 'Boundcheck',
];

/** C keywords: pan.c turns every variable into a C struct member of the same name. */
const C = [
  'auto', 'case', 'char', 'const', 'continue', 'default', 'double', 'enum', 'extern', 'float', 'long',
  'register', 'restrict', 'return', 'signed', 'sizeof', 'static', 'struct', 'switch', 'union', 'void',
  'volatile', 'while', 'inline', 'main',
];

const RESERVED: ReadonlySet<string> = new Set([...PROMELA, ...C]);

/**
 * A namespace. A child scope (a proctype's locals) sees the names of its
 * parent (the globals), so a local never shadows a global: the export
 * reads unambiguously even where Promela would allow shadowing.
 */
export class Scope {
  private readonly taken = new Set<string>();

  constructor(private readonly parent: Scope | null = null) {}

  private has(name: string): boolean {
    return this.taken.has(name) || (this.parent?.has(name) ?? false);
  }

  /** Takes `want`, or `want_1`, `want_2`, ... if that is reserved or taken. */
  take(want: string): string {
    // SPIN keeps names with a leading underscore for itself (_pid, _nr_pr, _last).
    const clean = want.replace(/[^A-Za-z0-9_]/g, '_');
    const base = /^[A-Za-z]/.test(clean) ? clean : `u${clean}`;
    let name = base;
    for (let i = 1; RESERVED.has(name) || this.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }
}
