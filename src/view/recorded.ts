/**
 * `weft view FILE.json`: the HTML page of a recorded check, from the JSON
 * `weft check --json` printed or a proof under proofs/. Both name the
 * model file, the variant and the options; the page needs the program and
 * each step's state to render values by their types, so the model is
 * checked again (deterministically: the same model gives the same traces),
 * after making sure it is the model that was recorded when the record
 * carries its content hash. Errors are values: a record that cannot be
 * used says why.
 */
import { createHash } from 'node:crypto';

/** What a record must say to be checked again. */
export interface Recorded {
  readonly file: string;
  readonly variant: string | null;
  readonly defines: Record<string, string>;
  /** sha256 of the model text when the record has one. */
  readonly hash: string | null;
}

export type RecordedOrError = { readonly ok: true; readonly records: readonly Recorded[] } | { readonly ok: false; readonly why: string };

/** Reads the configurations a JSON record names: `{ results: [...] }` from --json, or one result or proof object. */
export function recordsOf(json: unknown): RecordedOrError {
  const list = isObject(json) && Array.isArray(json.results) ? json.results : [json];
  const records: Recorded[] = [];
  for (const [i, r] of list.entries()) {
    if (!isObject(r)) return { ok: false, why: `entry ${i} is not an object` };
    const file = r.file ?? (isObject(r.model) ? r.model.file : undefined);
    if (typeof file !== 'string') return { ok: false, why: `entry ${i} names no model file (a "file" field)` };
    const variant = typeof r.variant === 'string' ? r.variant : null;
    const options = isObject(r.options) ? r.options : isObject(r.defines) ? r.defines : {};
    const defines: Record<string, string> = {};
    for (const [k, v] of Object.entries(options)) defines[k] = String(v);
    records.push({ file, variant, defines, hash: hashField(r) });
  }
  return records.length ? { ok: true, records } : { ok: false, why: 'it records no check' };
}

/** The model's content hash, under whichever name the record uses (`modelHash`, `hash`, `sha256`, or `model.hash`). */
function hashField(r: Record<string, unknown>): string | null {
  for (const o of [r, isObject(r.model) ? r.model : {}]) {
    for (const k of ['modelHash', 'hash', 'sha256', 'contentHash']) {
      const v = (o as Record<string, unknown>)[k];
      if (typeof v === 'string' && /^(sha256:)?[0-9a-f]{64}$/.test(v)) return v.replace(/^sha256:/, '');
    }
  }
  return null;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
