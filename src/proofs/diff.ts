/**
 * Saying what differs, briefly: between a stored state and a replayed one
 * (`weft replay`), and between a proof on disk and the one the model gives
 * now (`weft prove` and test/proofs.test.ts). A reviewer wants "folio.dirty
 * is true in the proof, false now" or "pin_keeps_fs_data was violated (17),
 * is holds", not two 600 kB texts.
 */
import { isDeepStrictEqual } from 'node:util';

/**
 * The first place two JSON values differ, as `path: the proof has A, the
 * model gives B` (`giver` names where B comes from); null when equal.
 */
export function firstDifference(stored: unknown, actual: unknown, path = '', giver = 'the model'): string | null {
  const d = differenceAt(stored, actual, path);
  return d && `${d.path || 'the value'}: the proof has ${show(d.a)}, ${giver} gives ${show(d.b)}`;
}

/** The first place two JSON values differ: its path (`shared.lock`, empty for the values themselves) and the two values there. */
export function differenceAt(a: unknown, b: unknown, path = ''): { readonly path: string; readonly a: unknown; readonly b: unknown } | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (isLeaf(a) || isLeaf(b) || Array.isArray(a) !== Array.isArray(b)) return { path, a, b };
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = differenceAt(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const key of new Set([...Object.keys(y), ...Object.keys(x)])) {
    const d = differenceAt(x[key], y[key], path ? `${path}.${key}` : key);
    if (d) return d;
  }
  return null;
}

/** ITF integers (`{"#bigint": "5"}`) and scalars are leaves. */
function isLeaf(v: unknown): boolean {
  return typeof v !== 'object' || v === null || '#bigint' in v;
}

/** A JSON value, briefly: `nothing` for a missing one, an ITF integer as its digits, long values cut. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'object' && v !== null && '#bigint' in v) return String((v as { '#bigint': unknown })['#bigint']);
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The summary of a proof that a comparison reads: verdicts, counts and trace lengths. */
interface Summary {
  readonly stats: Record<string, unknown>;
  readonly verdicts: readonly { readonly property: string; readonly status: string; readonly length: number | null }[];
}

function summaryOf(text: string): Summary | null {
  try {
    const p = JSON.parse(text) as { stats?: Record<string, unknown>; verdicts?: { property: string; status: string; trace: { length: number } | null }[] };
    if (!p.stats || !Array.isArray(p.verdicts)) return null;
    return { stats: p.stats, verdicts: p.verdicts.map((v) => ({ property: v.property, status: v.status, length: v.trace?.length ?? null })) };
  } catch {
    return null;
  }
}

/**
 * What changed between the file on disk and the file `weft prove` writes
 * now: for a proof the verdicts, trace lengths and counts that changed, or
 * else the first line that differs (a trace with the same length but other
 * steps, a text rendering, a doc page). Empty when the texts are equal.
 */
export function describeChange(path: string, before: string, after: string): string[] {
  if (before === after) return [];
  const out: string[] = [];
  const a = path.endsWith('.json') ? summaryOf(before) : null;
  const b = path.endsWith('.json') ? summaryOf(after) : null;
  if (a && b) {
    for (const key of ['states', 'transitions', 'depth']) {
      if (a.stats[key] !== b.stats[key]) out.push(`${key} ${String(a.stats[key])} -> ${String(b.stats[key])}`);
    }
    for (const v of b.verdicts) {
      const old = a.verdicts.find((x) => x.property === v.property);
      if (!old) out.push(`${v.property} is new: ${verdictText(v)}`);
      else if (old.status !== v.status || old.length !== v.length) out.push(`${v.property} ${verdictText(old)} -> ${verdictText(v)}`);
    }
    for (const v of a.verdicts) if (!b.verdicts.some((x) => x.property === v.property)) out.push(`${v.property} is gone (was ${verdictText(v)})`);
  }
  if (out.length === 0) out.push(a && b ? `verdicts and counts as before, ${firstLineDifference(before, after)}` : firstLineDifference(before, after));
  return out;
}

function verdictText(v: Summary['verdicts'][number]): string {
  return v.length === null ? v.status : `${v.status} (${v.length})`;
}

function firstLineDifference(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  // Show each line from a little before the first character that differs.
  let c = 0;
  while (a[i] !== undefined && b[i] !== undefined && a[i]![c] === b[i]![c]) c++;
  const start = Math.max(0, c - 30);
  const clip = (s: string | undefined): string => {
    if (s === undefined) return 'the end of the file';
    const part = s.slice(start, start + 80);
    return `${start > 0 ? '...' : ''}${JSON.stringify(part)}${start + 80 < s.length ? '...' : ''}`;
  };
  return `line ${i + 1}: ${clip(a[i])} -> ${clip(b[i])}`;
}
