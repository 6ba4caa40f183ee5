/**
 * Sets of events and relations over them, as bit matrices: the algebra
 * the LKMM's cat files are written in (herd7's `|`, `&`, `\`, `;`, `^-1`,
 * `+`, `*`, `?`, `[S]`, `S * T`, domain, range), for executions of a few
 * dozen events. Row i of a relation is the set of events i relates to,
 * `words` 32-bit words long.
 */

export class EventSet {
  constructor(readonly n: number, readonly bits: Uint32Array = new Uint32Array((n + 31) >>> 5)) {}

  static of(n: number, pred: (i: number) => boolean): EventSet {
    const s = new EventSet(n);
    for (let i = 0; i < n; i++) if (pred(i)) s.add(i);
    return s;
  }

  has(i: number): boolean { return (this.bits[i >>> 5]! & (1 << (i & 31))) !== 0; }
  add(i: number): void { this.bits[i >>> 5]! |= 1 << (i & 31); }
  union(...others: EventSet[]): EventSet { return others.reduce<EventSet>((acc, o) => acc.zip(o, (a, b) => a | b), this); }
  inter(o: EventSet): EventSet { return this.zip(o, (a, b) => a & b); }
  diff(o: EventSet): EventSet { return this.zip(o, (a, b) => a & ~b); }
  complement(): EventSet { return EventSet.of(this.n, (i) => !this.has(i)); }
  isEmpty(): boolean { return this.bits.every((w) => w === 0); }
  members(): number[] { const out: number[] = []; for (let i = 0; i < this.n; i++) if (this.has(i)) out.push(i); return out; }

  private zip(o: EventSet, f: (a: number, b: number) => number): EventSet {
    const s = new EventSet(this.n);
    for (let w = 0; w < this.bits.length; w++) s.bits[w] = f(this.bits[w]!, o.bits[w]!);
    return s;
  }
}

export class Relation {
  readonly words: number;
  readonly rows: Uint32Array;

  constructor(readonly n: number, rows?: Uint32Array) {
    this.words = (n + 31) >>> 5;
    this.rows = rows ?? new Uint32Array(n * this.words);
  }

  static empty(n: number): Relation { return new Relation(n); }

  static of(n: number, pred: (i: number, j: number) => boolean): Relation {
    const r = new Relation(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (pred(i, j)) r.add(i, j);
    return r;
  }

  static fromPairs(n: number, pairs: Iterable<readonly [number, number]>): Relation {
    const r = new Relation(n);
    for (const [i, j] of pairs) r.add(i, j);
    return r;
  }

  /** `[S]`: the identity on S. */
  static identity(s: EventSet): Relation {
    const r = new Relation(s.n);
    for (const i of s.members()) r.add(i, i);
    return r;
  }

  /** `S * T`. */
  static product(s: EventSet, t: EventSet): Relation {
    const r = new Relation(s.n);
    for (const i of s.members()) r.rows.set(t.bits, i * r.words);
    return r;
  }

  has(i: number, j: number): boolean { return (this.rows[i * this.words + (j >>> 5)]! & (1 << (j & 31))) !== 0; }
  add(i: number, j: number): void { this.rows[i * this.words + (j >>> 5)]! |= 1 << (j & 31); }

  union(...others: Relation[]): Relation {
    const r = new Relation(this.n, this.rows.slice());
    for (const o of others) for (let k = 0; k < r.rows.length; k++) r.rows[k]! |= o.rows[k]!;
    return r;
  }

  inter(o: Relation): Relation { return this.zip(o, (a, b) => a & b); }
  diff(o: Relation): Relation { return this.zip(o, (a, b) => a & ~b); }

  /** `this ; o`. */
  seq(o: Relation): Relation {
    const r = new Relation(this.n);
    const w = this.words;
    for (let i = 0; i < this.n; i++) {
      for (let j = 0; j < this.n; j++) {
        if (!this.has(i, j)) continue;
        for (let k = 0; k < w; k++) r.rows[i * w + k]! |= o.rows[j * w + k]!;
      }
    }
    return r;
  }

  /** `r1 ; r2 ; ...` from left to right. */
  static seqAll(first: Relation, ...rest: Relation[]): Relation {
    return rest.reduce((acc, r) => acc.seq(r), first);
  }

  inverse(): Relation { return Relation.of(this.n, (i, j) => this.has(j, i)); }

  /** `r+` (Warshall). */
  plus(): Relation {
    const r = new Relation(this.n, this.rows.slice());
    const w = this.words;
    for (let k = 0; k < this.n; k++) {
      for (let i = 0; i < this.n; i++) {
        if (!r.has(i, k)) continue;
        for (let x = 0; x < w; x++) r.rows[i * w + x]! |= r.rows[k * w + x]!;
      }
    }
    return r;
  }

  /** `r*`. */
  star(): Relation { return this.plus().union(this.id()); }
  /** `r?`. */
  opt(): Relation { return this.union(this.id()); }

  /** `[S] ; r ; [T]`, either side left open with null. */
  restrict(s: EventSet | null, t: EventSet | null): Relation {
    const r = new Relation(this.n);
    const w = this.words;
    for (let i = 0; i < this.n; i++) {
      if (s && !s.has(i)) continue;
      for (let k = 0; k < w; k++) r.rows[i * w + k] = this.rows[i * w + k]! & (t ? t.bits[k]! : 0xffffffff);
    }
    return r;
  }

  domain(): EventSet { return EventSet.of(this.n, (i) => this.rows.subarray(i * this.words, (i + 1) * this.words).some((x) => x !== 0)); }
  range(): EventSet {
    const s = new EventSet(this.n);
    for (let i = 0; i < this.n; i++) for (let k = 0; k < this.words; k++) s.bits[k]! |= this.rows[i * this.words + k]!;
    return s;
  }

  isEmpty(): boolean { return this.rows.every((x) => x === 0); }
  irreflexive(): boolean { for (let i = 0; i < this.n; i++) if (this.has(i, i)) return false; return true; }
  acyclic(): boolean { return this.plus().irreflexive(); }

  pairs(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.n; i++) for (let j = 0; j < this.n; j++) if (this.has(i, j)) out.push([i, j]);
    return out;
  }

  private id(): Relation { return Relation.of(this.n, (i, j) => i === j); }

  private zip(o: Relation, f: (a: number, b: number) => number): Relation {
    const r = new Relation(this.n);
    for (let k = 0; k < r.rows.length; k++) r.rows[k] = f(this.rows[k]!, o.rows[k]!);
    return r;
  }
}
