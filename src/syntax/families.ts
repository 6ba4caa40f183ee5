/**
 * Families of properties: the copies of a property that `for` repeats
 * carry their indexes in their names (`liveness enters[i]` is `enters[0]`,
 * `enters[1]`, ...), and an `expect` line may name one copy or the whole
 * family. These are the only rules about such names; the parser (which
 * writes the names of `expect` lines), the unrolling (which names the
 * copies), the checker (which checks `expect` lines) and the report (which
 * meets them) all use them.
 */

/** The name of one copy: `enters` with indexes 0 is `enters[0]`; with 1 and 2, `pair[1][2]`. */
export function indexedName(base: string, indexes: readonly number[]): string {
  return base + indexes.map((i) => `[${i}]`).join('');
}

/** The name a family's members share, `enters` for `enters[0]`; the name itself when it has no index. */
export function familyOf(name: string): string {
  const bracket = name.indexOf('[');
  return bracket < 0 ? name : name.slice(0, bracket);
}

/**
 * The properties, of `names`, that a name written in an `expect` line
 * stands for: the property of that name, and every property whose name
 * continues it with indexes. So `enters` stands for `enters[0]`,
 * `enters[1]`, ..., and `pair[1]` for `pair[1][0]`, `pair[1][1]`, ...;
 * `enters[1]` does not stand for `enters[10]`.
 */
export function namedBy(written: string, names: Iterable<string>): string[] {
  const out: string[] = [];
  for (const n of names) if (n === written || n.startsWith(`${written}[`)) out.push(n);
  return out;
}
