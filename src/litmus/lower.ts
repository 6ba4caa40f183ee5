/**
 * A litmus test's syntax to the memory program (src/explore/lkmm/program.ts):
 * the locations with their initial values, the threads (their code is
 * body.ts's), and the condition. Every problem is a diagnostic; the
 * program is given only when there is none.
 *
 * Locations are every name the init block declares, every thread
 * parameter, every location an initial value points to (herd's symbolic
 * addresses: `int *y = z;` makes z one) and every location the condition
 * names, in that order of first appearance; each starts at 0 unless the
 * init block says otherwise, and is a lock when some declaration of it
 * says spinlock_t.
 */
import type { CondTerm, MemCond, MemLocation, MemProgram, MemThread, Value } from '../explore/lkmm/program.ts';
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import type { SourceFile, Span } from '../text/source.ts';
import { lowerBody, registersOf } from './body.ts';
import type * as S from './syntax.ts';

export type LitmusResult = { readonly ok: true; readonly program: MemProgram } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

interface Loc {
  init: Value;
  lock: boolean;
  /** Where it is first declared (the init block or a parameter), for a second declaration's message. */
  readonly span: Span | null;
}

/** The test's architecture is C: parse.ts refuses the others before matching. */
export function lowerLitmus(file: SourceFile, test: S.LitmusTest): LitmusResult {
  return new TestLowerer(file, test).program();
}

class TestLowerer {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly locs = new Map<string, Loc>();

  constructor(private readonly file: SourceFile, private readonly test: S.LitmusTest) {}

  private error(code: Parameters<typeof diag>[0], span: Span, args: (string | number)[] = [], notes: string[] = [], first: Span | null = null): void {
    const related = first ? [{ span: first, message: `note: '${args[0]}' is first declared here` }] : [];
    this.diagnostics.push(diag(code, this.file, span, args, notes, related));
  }

  /** Declares a location, or marks it a lock; `again` says whether a second declaration is an error. */
  private declare(name: S.Ident, lock: boolean, again: boolean): void {
    const l = this.locs.get(name.name);
    if (!l) this.locs.set(name.name, { init: 0, lock, span: name.span });
    else {
      if (again) this.error('W6009', name.span, [name.name], [], l.span);
      l.lock ||= lock;
    }
  }

  /** A location named without a declaration (by a value or the condition): 0, not a lock. */
  private mention(name: string): void {
    if (!this.locs.has(name)) this.locs.set(name, { init: 0, lock: false, span: null });
  }

  private number(value: number, span: Span): number {
    if (Number.isSafeInteger(value)) return value;
    this.error('W6015', span, [this.file.text.slice(span.start, span.end)]);
    return 0;
  }

  /** An initial value: a number, or a location's address (which makes that location). */
  private initValue(v: S.InitVal): Value {
    if (v.kind === 'num') return this.number(v.value, v.span);
    this.mention(v.name);
    return { loc: v.name };
  }

  program(): LitmusResult {
    const t = this.test;
    // The init block's declarations first, then their values, which may name locations declared after them.
    for (const item of t.init) {
      if (item.kind === 'loc') this.declare(item.name, item.types.includes('spinlock_t'), true);
      else if (item.kind === 'array') this.error('W6004', item.span, [`an array ('${item.name.name}')`]);
    }
    for (const item of t.init) {
      if (item.kind === 'loc' && item.value) this.locs.get(item.name.name)!.init = this.initValue(item.value);
    }
    for (const th of t.threads) for (const p of th.params) this.declare(p.name, p.types.includes('spinlock_t'), false);
    const registerInits = this.registerInits();
    const threads = t.threads.map((th, i) => this.thread(th, i, registerInits[i] ?? new Map()));
    // The condition's locations exist before any value in it may point to one.
    const props = [t.filter, t.final?.prop].filter((p): p is S.PropSyntax => p !== null && p !== undefined);
    for (const l of t.show) if (l.kind === 'loc') this.mention(l.name.name);
    props.forEach((p) => this.mentionLocs(p));
    const show = t.show.map((l) => this.term(l, threads));
    const filter = t.filter ? this.cond(t.filter, threads) : null;
    const condition: MemCond = t.final ? this.cond(t.final.prop, threads) : { kind: 'true' };
    if (this.diagnostics.length) return { ok: false, diagnostics: this.diagnostics };
    const locations: MemLocation[] = [...this.locs].map(([name, l]) => ({ name, init: l.init, lock: l.lock }));
    return {
      ok: true,
      program: {
        name: t.name.name, source: this.file, locations, threads: threads.map((th) => th.thread),
        // herd's default when a test has no condition: forall (true).
        quantifier: t.final?.quantifier ?? 'forall', condition,
        show: show.filter((s): s is CondTerm => s !== null), filter, span: t.span,
      },
    };
  }

  /** `0:r1=1;` in the init block: each thread's registers with an initial value. */
  private registerInits(): Map<string, Value>[] {
    const inits: Map<string, Value>[] = this.test.threads.map(() => new Map());
    const first = new Map<string, Span>();
    for (const item of this.test.init) {
      if (item.kind !== 'reg') continue;
      const regs = inits[item.thread];
      const key = `${item.thread}:${item.reg.name}`;
      if (!regs) this.error('W6005', item.span, [`${item.thread} in '${key}'`, this.threadRange()]);
      else if (first.has(key)) this.error('W6009', item.span, [key], [], first.get(key)!);
      else {
        first.set(key, item.span);
        regs.set(item.reg.name, item.value ? this.initValue(item.value) : 0);
      }
    }
    return inits;
  }

  private threadRange(): string {
    const n = this.test.threads.length;
    return n === 0 ? 'the test has no threads' : n === 1 ? 'the test has one thread, P0' : `the test has threads P0 to P${n - 1}`;
  }

  private thread(th: S.ThreadSyntax, index: number, registers: Map<string, Value>): { thread: MemThread; registers: ReadonlySet<string> } {
    const name = `P${index}`;
    if (th.name.name !== name) this.error('W6005', th.name.span, [`name '${th.name.name}'`, `expected ${name} (the threads are P0, P1, ... in order)`]);
    const params = new Map<string, Span>();
    for (const p of th.params) {
      const before = params.get(p.name.name);
      if (before) this.error('W6009', p.name.span, [p.name.name], [], before);
      else params.set(p.name.name, p.name.span);
    }
    const regs = registersOf(th.body);
    for (const r of registers.keys()) regs.add(r);
    const scope = { file: this.file, thread: name, params: new Set(params.keys()), registers: regs, locations: new Set(this.locs.keys()), diagnostics: this.diagnostics };
    const body = lowerBody(scope, th.body);
    return { thread: { name, body, registers }, registers: regs };
  }

  private mentionLocs(p: S.PropSyntax): void {
    if (p.kind === 'compare') { if (p.left.kind === 'loc') this.mention(p.left.name.name); }
    else if (p.kind === 'not') this.mentionLocs(p.operand);
    else if (p.kind === 'and' || p.kind === 'or' || p.kind === 'imp') { this.mentionLocs(p.left); this.mentionLocs(p.right); }
  }

  private cond(p: S.PropSyntax, threads: readonly { registers: ReadonlySet<string> }[]): MemCond {
    switch (p.kind) {
      case 'true': return { kind: 'true' };
      case 'false': return { kind: 'not', operand: { kind: 'true' } };
      case 'not': return { kind: 'not', operand: this.cond(p.operand, threads) };
      case 'and': case 'or': return { kind: p.kind, left: this.cond(p.left, threads), right: this.cond(p.right, threads) };
      // herd's `a => b`.
      case 'imp': return { kind: 'or', left: { kind: 'not', operand: this.cond(p.left, threads) }, right: this.cond(p.right, threads) };
      case 'compare': {
        const left = this.term(p.left, threads) ?? { kind: 'loc', name: '' };
        const eq: MemCond = { kind: 'eq', left, right: this.condValue(p.right) };
        return p.negated ? { kind: 'not', operand: eq } : eq;
      }
    }
  }

  private term(l: S.CondLocSyntax, threads: readonly { registers: ReadonlySet<string> }[]): CondTerm | null {
    if (l.kind === 'loc') return { kind: 'loc', name: l.name.name };
    const th = threads[l.thread];
    const what = `${l.thread}:${l.reg.name}`;
    if (!th) this.error('W6003', l.span, ['register', what, `there is no thread P${l.thread} (${this.threadRange()})`]);
    else if (!th.registers.has(l.reg.name)) this.error('W6003', l.span, ['register', what, `P${l.thread} neither declares nor assigns a register ${l.reg.name}`]);
    else return { kind: 'reg', thread: l.thread, reg: l.reg.name };
    return null;
  }

  private condValue(v: S.InitVal): Value {
    if (v.kind === 'num') return this.number(v.value, v.span);
    if (!this.locs.has(v.name)) this.error('W6003', v.span, ['location', v.name, 'no location of the test has that name, so it has no address to compare with']);
    return { loc: v.name };
  }
}
