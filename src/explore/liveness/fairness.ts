/**
 * Fairness of actor instances, and its encoding as one byte an instance for
 * the search's inner loops.
 */
import { assertNever } from '../../util.ts';

/** 'weak': an instance enabled from some point on for ever moves infinitely often; 'strong': one enabled infinitely often does. */
export type Fairness = 'none' | 'weak' | 'strong';

export const NONE = 0;
export const WEAK = 1;
export const STRONG = 2;

export function fairnessCodes(fairness: readonly Fairness[]): Uint8Array {
  const out = new Uint8Array(fairness.length);
  fairness.forEach((f, i) => {
    switch (f) {
      case 'none': out[i] = NONE; break;
      case 'weak': out[i] = WEAK; break;
      case 'strong': out[i] = STRONG; break;
      default: assertNever(f);
    }
  });
  return out;
}
