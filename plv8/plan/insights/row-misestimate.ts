/**
 * row_misestimate: a node returned far more or far fewer rows than the planner expected, which is
 * how a plan goes wrong (a nested loop over "1 row" that is 50,000, a hash sized for 10 rows). Only
 * the node where the error starts is reported: a join over a misestimated scan inherits its error.
 * On a scan, the cause is looked for too: stale statistics, else correlated columns.
 */
import { EXPLAIN } from '../explain-keys.ts';
import { correlatedColumns } from './correlated-columns.ts';
import { count, loopsOf, nodeRef, num, relationText, type VisitedNode } from './plan-tree.ts';
import { staleStatistics } from './stale-statistics.ts';
import type { PlanInsight, Severity, TableStats } from './types.ts';

/** Misestimate factors PEV2 and explain.depesz.com mark: 10× (info), 100× (warning), 1000× (critical). */
export const MISESTIMATE_INFO = 10;
export const MISESTIMATE_WARNING = 100;
export const MISESTIMATE_CRITICAL = 1000;
/**
 * Below this many rows (both planned and actual, per loop) a factor is noise: 1 planned against 9
 * actual is 9× and changes no plan. OptiSchema's choice, the smallest count a join strategy turns on.
 */
export const MISESTIMATE_MIN_ROWS = 10;

/** BitmapAnd and BitmapOr always print 0 actual rows (they pass a bitmap, not rows). */
const NO_ROW_COUNT = new Set(['BitmapAnd', 'BitmapOr']);

export interface Misestimate {
  planned: number;
  actual: number;
  /** ≥ 1: how many times off, whichever way. */
  factor: number;
  direction: 'under' | 'over';
}

/** The node's misestimate, per loop, or null when it has no actual rows or the counts are tiny. */
export function misestimateOf(visited: VisitedNode): Misestimate | null {
  const { node } = visited;
  const actual = num(node, EXPLAIN.actualRows);
  const planned = num(node, EXPLAIN.planRows);
  if (actual === undefined || planned === undefined || NO_ROW_COUNT.has(visited.nodeType)) return null;
  if (num(node, EXPLAIN.actualLoops) === 0) return null; // never executed
  if (actual < MISESTIMATE_MIN_ROWS && planned < MISESTIMATE_MIN_ROWS) return null;
  const direction = actual >= planned ? 'under' : 'over';
  // A node its parent stopped reading early returned fewer rows than it would have: not an estimate's fault.
  if (direction === 'over' && visited.cutShort) return null;
  const factor = Math.max(actual, 1) / Math.max(planned, 1);
  return { planned, actual, factor: direction === 'under' ? factor : 1 / factor, direction };
}

export function severityOf(factor: number): Severity | null {
  if (factor >= MISESTIMATE_CRITICAL) return 'critical';
  if (factor >= MISESTIMATE_WARNING) return 'warning';
  if (factor >= MISESTIMATE_INFO) return 'info';
  return null;
}

/** Reports the node's misestimate unless a child already carries one as large, in the same direction. */
export function rowMisestimate(visited: VisitedNode, children: readonly VisitedNode[], tables: readonly TableStats[]): PlanInsight[] {
  const own = misestimateOf(visited);
  if (!own) return [];
  const severity = severityOf(own.factor);
  if (!severity) return [];
  const inherited = children
    .map(misestimateOf)
    .filter((m): m is Misestimate => m !== null && m.direction === own.direction && m.factor >= MISESTIMATE_INFO)
    .reduce((worst, m) => Math.max(worst, m.factor), 0);
  // The node adds an error of its own only when it is ≥ MISESTIMATE_INFO times its children's.
  if (inherited > 0 && own.factor < inherited * MISESTIMATE_INFO) return [];

  const loops = loopsOf(visited.node);
  const on = visited.relation ? ` on ${relationText(visited.relation)}` : '';
  const factor = Math.round(own.factor);
  const insight: PlanInsight = {
    rule: 'row_misestimate',
    severity,
    node: nodeRef(visited),
    message:
      `${visited.nodeType}${on} returned ${count(own.actual)} rows per loop where the planner estimated ${count(own.planned)} ` +
      `(${count(factor)}× ${own.direction === 'under' ? 'underestimated' : 'overestimated'}; EXPLAIN ANALYZE actual vs planned rows, ${count(loops)} loop${loops === 1 ? '' : 's'}).`,
    evidence: { plannedRows: own.planned, actualRows: own.actual, loops, factor, direction: own.direction },
  };
  const causes = visited.relation ? (staleStatistics(visited, own, severity, tables) ?? correlatedColumns(visited, own, severity)) : null;
  return causes ? [insight, causes] : [insight];
}
