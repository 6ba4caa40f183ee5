/**
 * Random mutations of a JSON document (a proof), for tests that a reader
 * of hostile files never crashes: each round sets one value somewhere
 * under `root` to one of `values`, or drops an array element, and hands the
 * result to `run`, which must answer with an exit code. Deterministic: the
 * same seed gives the same mutations.
 */
export async function mutations(
  original: unknown, root: (string | number)[], values: readonly unknown[], opts: { seed: number; rounds: number },
  run: (mutated: unknown, path: readonly (string | number)[]) => Promise<number>,
): Promise<Set<number>> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]): void => {
    if (p.length) paths.push(p);
    if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...p, Array.isArray(v) ? Number(k) : k]);
  };
  const start = root.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], original);
  walk(start, root);
  let seed = opts.seed;
  const random = (k: number): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return Math.floor((seed / 2 ** 31) * k); };
  const codes = new Set<number>();
  for (let i = 0; i < opts.rounds; i++) {
    const doc = structuredClone(original) as Record<string | number, unknown>;
    const path = paths[random(paths.length)]!;
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, doc);
    if (Array.isArray(parent) && random(3) === 0) parent.splice(path.at(-1) as number, 1);
    else parent[path.at(-1)!] = values[random(values.length)];
    codes.add(await run(doc, path));
  }
  return codes;
}
