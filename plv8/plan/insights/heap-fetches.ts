/**
 * heap_fetches: an Index Only Scan that still visited the table for many of its rows, because the
 * visibility map does not mark their pages all-visible (the table changed since its last vacuum).
 * VACUUM sets the visibility map again.
 */
import { EXPLAIN } from '../explain-keys.ts';
import { count, isExcluded, loopsOf, nodeRef, num, relationSql, relationText, type VisitedNode } from './plan-tree.ts';
import type { PlanInsight } from './types.ts';

/** Heap fetches above this share of the rows returned (PEV2 marks any; 10 % is where the scan loses most of its point: OptiSchema's choice). */
export const HEAP_FETCH_SHARE = 0.1;
/** … and at least this many fetches (fewer cost a handful of page reads). */
export const HEAP_FETCH_MIN = 100;

export function heapFetches(visited: VisitedNode): PlanInsight[] {
  if (visited.nodeType !== 'Index Only Scan' || !visited.relation || isExcluded(visited.relation)) return [];
  // Heap Fetches is a total over all loops in PostgreSQL 15 (Actual Rows is per loop).
  const fetches = num(visited.node, EXPLAIN.heapFetches);
  const rows = (num(visited.node, EXPLAIN.actualRows) ?? 0) * loopsOf(visited.node);
  if (fetches === undefined || fetches < HEAP_FETCH_MIN || fetches <= HEAP_FETCH_SHARE * rows) return [];
  const percent = rows > 0 ? Math.round((fetches / rows) * 1000) / 10 : null;
  const table = relationText(visited.relation);
  return [
    {
      rule: 'heap_fetches',
      severity: 'warning',
      node: nodeRef(visited),
      message:
        `Index Only Scan${visited.index ? ` using ${visited.index}` : ''} on ${table} fetched ${count(fetches)} rows from the table ` +
        `for ${count(rows)} returned${percent === null ? '' : ` (${percent}%)`} (EXPLAIN ANALYZE Heap Fetches): the visibility map is out of date; VACUUM sets it.`,
      evidence: { heapFetches: fetches, rowsReturned: Math.round(rows), heapFetchPercent: percent },
      fix: {
        sql: `VACUUM (ANALYZE) ${relationSql(visited.relation)};`,
        rollbackSql: null,
        why: 'VACUUM marks all-visible pages in the visibility map so the index-only scan can skip the table; it blocks no reads or writes but cannot run inside a transaction block. If it recurs, lower the table\'s autovacuum_vacuum_scale_factor.',
      },
    },
  ];
}
