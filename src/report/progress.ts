/**
 * The live line of a long `weft check` on a terminal, and the early
 * warning that a run will not fit in --max-memory. The text is built by
 * pure functions (tested on their own); drawing it is log-update's job,
 * which rewrites the line in place and knows the terminal's width.
 */
import { createLogUpdate } from 'log-update';
import type { Progress } from '../explore/verdict.ts';

/** The growth of the breadth-first frontier, from the last complete levels. */
export interface Growth {
  /** States the last complete level added over those the level before it added (geometric mean of the last three ratios). */
  readonly factor: number;
  /** The last complete level. */
  readonly level: number;
}

/** Needs three complete levels; none while the frontier is still tiny. */
export function growthOf(p: Progress): Growth | null {
  const done = p.levels.slice(0, p.level + 1);
  if (done.length < 4 || done[done.length - 1]! < 64) return null;
  const ratios: number[] = [];
  for (let i = done.length - 3; i < done.length; i++) ratios.push(done[i]! / Math.max(1, done[i - 1]!));
  const factor = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  return { factor, level: p.level };
}

/**
 * `1,234,567 distinct · 8,901,234 generated · queue 45,678 · level 17 (×1.8/level) · 612,345 states/s · 412 MiB · 0:14`
 */
export function progressLine(p: Progress): string {
  const g = growthOf(p);
  const rate = p.seconds > 0 ? p.states / p.seconds : 0;
  return [
    `${group(p.states)} distinct`,
    `${group(p.transitions)} generated`,
    `queue ${group(p.queue)}`,
    `level ${p.level}${g ? ` (×${g.factor.toFixed(g.factor < 10 ? 2 : 1)}/level)` : ''}`,
    `${group(rate)} states/s`,
    `${group(p.rssBytes / 2 ** 20)}${p.maxMemoryBytes !== undefined ? ` of ${group(p.maxMemoryBytes / 2 ** 20)}` : ''} MiB`,
    clock(p.seconds),
  ].join(' · ');
}

/**
 * When the frontier still grows, the memory the next level needs at the
 * current bytes per state; a warning if that passes --max-memory. It is an
 * estimate: a state space that stops growing soon will fit after all.
 */
export function memoryWarning(p: Progress): string | null {
  const g = growthOf(p);
  if (!g || g.factor <= 1.05 || p.maxMemoryBytes === undefined || p.states === 0) return null;
  const perState = p.rssBytes / p.states;
  const current = p.levels[p.level + 1] ?? 0;
  const next = p.levels[p.level]! * g.factor;
  const after = p.states - current + next + next * g.factor;
  const needed = after * perState;
  if (needed <= p.maxMemoryBytes) return null;
  return `warning: the state space grows ×${g.factor.toFixed(2)} per breadth-first level; at ${group(perState)} bytes a state, `
    + `levels ${p.level + 1} and ${p.level + 2} need about ${group(needed / 2 ** 20)} MiB, more than --max-memory (${group(p.maxMemoryBytes / 2 ** 20)} MiB): `
    + `the search will probably stop at the limit`;
}

export interface ProgressDisplay {
  update(p: Progress): void;
  /** Erases the live line (the result is printed after it). */
  done(): void;
}

/** A live line on `stream` when it is a terminal and not `quiet`; otherwise nothing at all. */
export function progressDisplay(stream: NodeJS.WriteStream, quiet: boolean): ProgressDisplay | null {
  if (quiet || !stream.isTTY) return null;
  const draw = createLogUpdate(stream, { showCursor: true });
  let warned = false;
  return {
    update(p) {
      const warning = warned ? null : memoryWarning(p);
      if (warning) {
        warned = true;
        draw.clear();
        stream.write(`${warning}\n`);
      }
      draw(progressLine(p));
    },
    done() {
      draw.clear();
    },
  };
}

function group(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
