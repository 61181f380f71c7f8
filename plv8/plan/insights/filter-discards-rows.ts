/**
 * filter_discards_rows: a node read many rows only to throw most of them away in its Filter: the
 * work an index on the filtered columns (or a partial index) would skip. The index advisor
 * proposes that index; this insight says where the waste is.
 */
import { EXPLAIN } from '../explain-keys.ts';
import { count, isExcluded, loopsOf, nodeRef, num, relationText, type VisitedNode } from './plan-tree.ts';
import type { PlanInsight } from './types.ts';

/** Shares of the rows read that the filter removed: PEV2 and explain.depesz.com mark > 50 % and > 90 %; the insight starts at 90 %. */
export const FILTER_DISCARD_SHARE = 0.9;
/** … and is a warning from 99 % (one row kept in a hundred read: an index's typical win). */
export const FILTER_DISCARD_SHARE_WARNING = 0.99;
/** Fewer rows read than this (over all loops) cost too little to matter: OptiSchema's choice, about 10 heap pages. */
export const FILTER_MIN_ROWS_READ = 1000;

export function filterDiscardsRows(visited: VisitedNode): PlanInsight[] {
  const { node } = visited;
  const removedPerLoop = num(node, EXPLAIN.rowsRemovedByFilter);
  const keptPerLoop = num(node, EXPLAIN.actualRows);
  if (removedPerLoop === undefined || keptPerLoop === undefined || isExcluded(visited.relation)) return [];
  const loops = loopsOf(node);
  // Both are printed per loop (averages): the node's whole work is them times its loops.
  const removed = removedPerLoop * loops;
  const read = (keptPerLoop + removedPerLoop) * loops;
  if (read < FILTER_MIN_ROWS_READ) return [];
  const share = removed / read;
  if (share <= FILTER_DISCARD_SHARE) return [];
  const percent = Math.round(share * 1000) / 10;
  return [
    {
      rule: 'filter_discards_rows',
      severity: share > FILTER_DISCARD_SHARE_WARNING ? 'warning' : 'info',
      node: nodeRef(visited),
      message:
        `${visited.nodeType}${visited.relation ? ` on ${relationText(visited.relation)}` : ''} read ${count(read)} rows and its filter removed ` +
        `${count(removed)} of them (${percent}%; EXPLAIN ANALYZE Rows Removed by Filter × ${count(loops)} loop${loops === 1 ? '' : 's'}): ` +
        'an index on the filtered columns would read only the rows kept.',
      evidence: { rowsRead: Math.round(read), rowsRemoved: Math.round(removed), removedPercent: percent, loops, filter: typeof node[EXPLAIN.filter] === 'string' ? (node[EXPLAIN.filter] as string) : null },
    },
  ];
}
