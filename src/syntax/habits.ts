/**
 * C habits: what a kernel developer types out of habit that Weft does not
 * have, and what to write instead. A syntax error is matched against the
 * tokens around the position where the parse failed (ohm's rightmost
 * failure), so a hint only replaces the plain "expected ..." when the C
 * construct is right there, and no text that parses is affected: `for (`
 * (`for` is reserved, so the parse fails at the parenthesis), `++`/`--`
 * inside an expression, `&x`, `spin_lock(&l)`, a C integer type before a
 * name, `goto`, `return`. The checker gives the hints that need types or
 * names, from the tables here: a C type used as a type (W1013), `p->x`
 * on a struct (W1015, in check/expressions.ts), `spin_lock(l)` (a note on
 * W2004).
 */
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import type { SourceFile, Span } from '../text/source.ts';
import type { LockOp } from './ast.ts';

/** C's integer types (and the kernel's), which Weft writes as ranges. */
const C_TYPES = new Set([
  'int', 'unsigned', 'signed', 'long', 'short', 'char', 'void', 'size_t', 'ssize_t',
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64',
  'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t',
]);

export function isCType(name: string): boolean {
  return C_TYPES.has(name);
}

/** The help for a C type, the same at a syntax error (`int x;`) and in a type (`var x: int;`). */
export function cTypeHelp(name: string): string[] {
  if (name === 'void') return ["help: a function is 'fn name(p: 0..3, l: mutex) { ... }'; it returns nothing"];
  return ["help: declare 'shared x: 0..3;' (or 'var x: 0..3;' at the top of an actor): a range says which values the variable takes, and a store outside it is a 'ranges' violation; a flag is 'bool'"];
}

/** The kernel's lock calls, and the lock operation Weft writes for each (docs/language.md, "Locks"). */
const KERNEL_LOCKS: Readonly<Record<string, LockOp>> = {
  spin_lock: 'lock', spin_lock_irq: 'lock', spin_lock_irqsave: 'lock', spin_lock_bh: 'lock', raw_spin_lock: 'lock',
  mutex_lock: 'lock', mutex_lock_interruptible: 'lock', mutex_lock_killable: 'lock',
  spin_unlock: 'unlock', spin_unlock_irq: 'unlock', spin_unlock_irqrestore: 'unlock', spin_unlock_bh: 'unlock',
  raw_spin_unlock: 'unlock', mutex_unlock: 'unlock',
};

/** Weft's own lock operations, which a C habit may still write with `&`. */
const WEFT_LOCKS = new Set<string>(['lock', 'unlock', 'down_read', 'up_read', 'down_write', 'up_write']);

/** The lock operation Weft writes for a kernel lock call (`spin_lock` is `lock`), or null. */
export function kernelLockOp(name: string): LockOp | null {
  return Object.hasOwn(KERNEL_LOCKS, name) ? KERNEL_LOCKS[name]! : null;
}

interface Token { readonly text: string; readonly start: number; readonly end: number }

// Comments are skipped, a string is one token; `++` and `--` are tokens here (not in Weft).
const TOKEN = /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\.)*"?|[A-Za-z_][A-Za-z0-9_]*|0x[0-9a-fA-F]+|[0-9]+|\+\+|--|->|~>|&&|\|\||\.\.|[=!<>+-]=|\S/g;

function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[0].startsWith('//') || m[0].startsWith('/*')) continue;
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

const isName = (t: Token | undefined): boolean => !!t && /^[A-Za-z_]/.test(t.text);
const spanOf = (a: Token, b: Token = a): Span => ({ start: a.start, end: b.end });

/** The index of the `)` that closes the `(` at `open`, or the last token when none does. */
function closing(toks: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = Math.max(0, open); i < toks.length; i++) {
    if (toks[i]!.text === '(') depth++;
    else if (toks[i]!.text === ')' && --depth === 0) return i;
  }
  return toks.length - 1;
}

/**
 * The hint for a C construct at `pos`, where the parse failed expecting
 * `expected` (ohm's wording), or null when there is none.
 */
export function cHabit(file: SourceFile, pos: number, expected: string): Diagnostic | null {
  const toks = tokens(file.text);
  const k = toks.findIndex((t) => t.end > pos);
  const at = k < 0 ? undefined : toks[k];
  const prev = toks[(k < 0 ? toks.length : k) - 1];
  const prev2 = toks[(k < 0 ? toks.length : k) - 2];
  const next = k < 0 ? undefined : toks[k + 1];
  const text = (a: number, b: number): string => file.text.slice(toks[a]!.end, toks[b]!.start).trim();

  if (at && prev?.text === 'for' && at.text === '(') {
    const close = closing(toks, k);
    const ever = text(k, close).replace(/\s+/g, '') === ';;';
    return diag('W1010', file, spanOf(prev, toks[close]!), [], ever
      ? ["help: 'for (;;)' is 'loop { ... }', left with 'break'"]
      : ["help: a loop that runs while the model runs is 'while (i < n) { ...; i += 1; }', or 'loop { ... }' with 'break'",
        "help: 'for i in 0..n-1 { ... }' (constant bounds) makes one copy of the body per value of i, and takes no step of its own"]);
  }
  if (at && at.text === '&') {
    const callee = prev?.text === '(' && isName(prev2) ? prev2 : undefined;
    const close = callee ? closing(toks, k - 1) : -1;
    const arg = close > k ? text(k, close).replace(/\s*->\s*/g, '.') : null;
    const op = callee ? kernelLockOp(callee.text) : null;
    if (op && callee && arg) {
      return diag('W1016', file, spanOf(callee, toks[close]!), [`${callee.text}(&${text(k, close)})`, `${callee.text}(${arg})`], [
        `note: Weft has the kernel's lock calls (docs/language.md, "Kernel vocabulary"), and '${op}(${arg})' is the same step; a lock is passed as itself: a fn's parameters are references`,
      ]);
    }
    const help = callee && arg && WEFT_LOCKS.has(callee.text)
      ? `help: write '${callee.text}(${arg})'`
      : "help: pass the variable itself, 'f(x)': a fn's parameters are references to the caller's variables, so it reads and writes them and takes their locks";
    return diag('W1012', file, spanOf(at), [], [help]);
  }
  const op = at && (at.text === '++' || at.text === '--') ? at : prev && (prev.text === '++' || prev.text === '--') ? prev : null;
  // Before a missing `;` (`x++ }`) the statement `x++;` was meant: ohm then expects the `;`.
  if (op && !expected.includes('";"')) {
    return diag('W1011', file, spanOf(op), [op.text], [`help: write 'x${op.text};' (which is 'x ${op.text[0]}= 1;') as a statement of its own, before or after this one: it is one step`]);
  }
  const cType = at && isCType(at.text) && (isName(next) || next?.text === '*') ? at : prev && isCType(prev.text) && at && (isName(at) || at.text === '*') ? prev : null;
  if (cType) return diag('W1013', file, spanOf(cType), [cType.text], cTypeHelp(cType.text));
  if (prev?.text === 'goto' && isName(at)) {
    return diag('W1014', file, spanOf(prev, at!), [], [
      "help: repeat with 'loop { ... }' or 'while (c) { ... }', leave with 'break', go round again with 'continue', skip code with 'if'",
      "note: a label ('out: stmt;') names a statement for traces and positions ('a@out'); it is not a place to jump to",
    ]);
  }
  if (prev?.text === 'return') {
    return diag('W1017', file, spanOf(prev), [], [
      "help: to give a value back, assign it to a parameter, which is a reference to the caller's variable ('fn get(out: 0..3) { out = x; }'); to leave early, put the rest under 'if'",
    ]);
  }
  return null;
}
