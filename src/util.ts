/**
 * Small helpers shared by every phase.
 */

/** Marks the default branch of an exhaustive `switch`: the type checker proves it unreachable. */
export function assertNever(x: never): never {
  throw new Error(`internal error: unexpected ${JSON.stringify(x)}`);
}
