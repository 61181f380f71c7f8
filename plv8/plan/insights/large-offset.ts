/**
 * large_offset: a Limit that read and threw away many rows before the ones it returned (OFFSET
 * pagination): page 250 reads the 249 pages before it every time. Keyset pagination asks for the
 * rows after the last one seen instead, which an index on the sort key serves directly.
 */
import { EXPLAIN } from '../explain-keys.ts';
import { childrenOf, count, loopsOf, nodeRef, num, str, walkPlan, type VisitedNode } from './plan-tree.ts';
import type { PlanInsight } from './types.ts';

/** Skipped rows from which OFFSET is worth replacing: explain.depesz.com and PEV2 flag large offsets; 1,000 is OptiSchema's line. */
export const LARGE_OFFSET_ROWS = 1000;

/** The largest literal `OFFSET n` in a statement's text (a normalized `OFFSET $2` has none). */
export function literalOffset(query: string | undefined): number | null {
  if (query === undefined) return null;
  const offsets = [...query.matchAll(/\boffset\s+(\d+)\b/gi)].map((m) => Number(m[1]));
  return offsets.length === 0 ? null : Math.max(...offsets);
}

export function largeOffset(visited: VisitedNode, query: string | undefined): PlanInsight[] {
  if (visited.nodeType !== 'Limit') return [];
  const input = childrenOf(visited.node)[0];
  const returned = (num(visited.node, EXPLAIN.actualRows) ?? 0) * loopsOf(visited.node);
  // The Limit pulled offset + count rows from its input and passed on only the last ones.
  const pulled = input ? (num(input, EXPLAIN.actualRows) ?? 0) * loopsOf(input) : 0;
  const skipped = Math.max(0, pulled - returned);
  const offset = literalOffset(query);
  if (skipped < LARGE_OFFSET_ROWS && (offset === null || offset < LARGE_OFFSET_ROWS)) return [];
  const sortKey = sortKeyBelow(visited);
  const key = sortKey ?? 'k';
  return [
    {
      rule: 'large_offset',
      severity: 'warning',
      node: nodeRef(visited),
      message:
        `Limit read ${count(pulled)} rows from its input and returned ${count(returned)} (EXPLAIN ANALYZE actual rows${offset === null ? '' : `; OFFSET ${offset} in the query`}): ` +
        `${count(skipped)} rows were produced only to be skipped. Keyset pagination reads only the page it returns.`,
      evidence: { rowsSkipped: Math.round(skipped), rowsPulled: Math.round(pulled), rowsReturned: Math.round(returned), literalOffset: offset, sortKey: sortKey ?? null },
      fix: {
        sql:
          '-- Replace OFFSET pagination with keyset pagination: remember the sort key of the last row shown and ask for the rows after it:\n' +
          `--   WHERE (${key}) > (<last seen>) ORDER BY ${key} LIMIT <page size>\n` +
          '-- (the sort key must be unique, e.g. end it with the primary key; an index on it serves each page directly).',
        rollbackSql: null,
        why: 'OFFSET n makes the server produce and discard n rows on every page; a keyset condition starts at the right row. It changes the application\'s query, so it is a rewrite to review, not a statement to run.',
      },
    },
  ];
}

/** The Sort Key of the sort feeding the Limit, as printed, joined by commas. */
function sortKeyBelow(limit: VisitedNode): string | null {
  for (const below of walkPlan(limit.node).slice(1)) {
    const keys = below.node[EXPLAIN.sortKey];
    if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) return keys.join(', ');
    if (str(below.node, EXPLAIN.nodeType)?.endsWith('Join')) return null;
  }
  return null;
}
