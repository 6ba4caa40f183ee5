/**
 * What both explorers keep while they search, and how it becomes verdicts:
 * the first (shortest, since the search is breadth-first) evidence found
 * for each property, turned into verdicts with traces rebuilt through the
 * reference interpreter. An explorer provides the search tree: each stored
 * state, its parent and the move that reached it.
 */
import type { Program, Property } from '../lower/ir.ts';
import type { Span } from '../text/source.ts';
import { assertNever } from '../util.ts';
import type { State } from './state.ts';
import { buildTrace, warningTrace, type Move, type Trace, type TraceFailure } from './trace.ts';
import type { PropertyVerdict } from './verdict.ts';

/** The first (shortest) evidence found for a property. */
export type Finding =
  /** The state at `node` violates (or, for reachable, witnesses) the property. */
  | { readonly kind: 'state'; readonly node: number; readonly failure?: TraceFailure; readonly span?: Span }
  /** Taking `move` from the state at `node` fails. */
  | { readonly kind: 'step'; readonly node: number; readonly move: Move; readonly message: string; readonly span: Span }
  /** Taking `move` from the state at `node` records a warning of the property (and the path goes on). */
  | { readonly kind: 'warning'; readonly node: number; readonly move: Move };

/** The stored states of a search, by index; the initial state is 0. */
export interface SearchTree {
  state(node: number): State;
  /** -1 for the initial state. */
  parent(node: number): number;
  move(node: number): Move | null;
}

export function verdictsOf(program: Program, findings: readonly (Finding | undefined)[], tree: SearchTree, complete: boolean): PropertyVerdict[] {
  return program.properties.map((p, i) => verdictOf(program, p, findings[i], tree, complete));
}

function verdictOf(program: Program, p: Property, finding: Finding | undefined, tree: SearchTree, complete: boolean): PropertyVerdict {
  const base = { property: p.name, kind: p.kind };
  const declared = 'span' in p ? { span: p.span } : {};
  if (!finding) {
    if (!complete) return { ...base, status: 'unknown', ...declared };
    return { ...base, status: p.kind === 'reachable' ? 'unreachable' : 'holds', ...declared };
  }
  const status = p.kind === 'reachable' ? 'reached' : 'violated';
  switch (finding.kind) {
    case 'state': {
      const trace = traceTo(program, tree, finding.node, finding.failure);
      const span = finding.span ?? ('span' in p ? p.span : undefined);
      return {
        ...base,
        status,
        ...(finding.failure ? { message: finding.failure.message } : {}),
        trace,
        ...(span ? { span } : {}),
      };
    }
    case 'step': {
      const trace = traceTo(program, tree, finding.node, { message: finding.message, span: finding.span }, finding.move);
      return { ...base, status, message: finding.message, trace, span: finding.span };
    }
    case 'warning': {
      const { states, moves } = pathTo(tree, finding.node);
      const trace = warningTrace(program, states, moves, finding.move, p.name);
      const failure = trace.failure!;
      return { ...base, status, message: failure.message, trace, ...(failure.span ? { span: failure.span } : {}) };
    }
    default:
      return assertNever(finding);
  }
}

/** The trace from the initial state to `node` by parent links, optionally with a failing last move. */
function traceTo(program: Program, tree: SearchTree, node: number, failure?: TraceFailure, failedMove?: Move): Trace {
  const { states, moves } = pathTo(tree, node);
  return buildTrace(program, states, moves, failure, failedMove);
}

/** The states from the initial one to `node` by parent links, and the moves between them. */
function pathTo(tree: SearchTree, node: number): { states: State[]; moves: Move[] } {
  const path: number[] = [];
  for (let i = node; i >= 0; i = tree.parent(i)) path.push(i);
  path.reverse();
  return { states: path.map((n) => tree.state(n)), moves: path.slice(1).map((n) => tree.move(n)!) };
}
