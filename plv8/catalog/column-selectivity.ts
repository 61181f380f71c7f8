/**
 * Most selective first: the order of an index's leading equality keys does not change which rows
 * a lookup finds, but the column with the most distinct values first makes the index useful to
 * more queries (those that test only that column) and keeps lookups narrow from the first key.
 * The planner's own statistics (pg_stats.n_distinct) decide.
 */
import type { IndexCandidate } from '../advisor/candidates/index-candidate.ts';
import type { Step } from '../engine/protocol.ts';
import type { TableFacts } from './table-facts.ts';

// n_distinct < 0 is minus the fraction of rows that are distinct. A partitioned parent's
// statistics are in the inherited rows, which sort first.
const DISTINCT_SQL = `
select distinct on (attname) attname::text as column_name, n_distinct::float8 as n_distinct
  from pg_stats where schemaname = $1 and tablename = $2
 order by attname, inherited desc`;

/** Distinct values per column of the table, as the planner estimates them. */
export function* columnDistinct(table: TableFacts): Step<Map<string, number>> {
  const rows = yield { sql: DISTINCT_SQL, params: [table.schema, table.table] };
  const out = new Map<string, number>();
  for (const row of rows) {
    const n = Number(row.n_distinct);
    out.set(String(row.column_name), n < 0 ? -n * table.rows : n);
  }
  return out;
}

/**
 * The candidate with its first `equalityPrefix` keys ordered by distinct values, most first; keys
 * without statistics (expressions) keep their place after those with. Stable for ties.
 *
 * @example
 *   mostSelectiveFirst({ keys: [{ column: 'status' }, { column: 'customer_id' }], equalityPrefix: 2, … },
 *                      new Map([['status', 3], ['customer_id', 20000]]))
 *   // keys: [{ column: 'customer_id' }, { column: 'status' }]
 */
export function mostSelectiveFirst(candidate: IndexCandidate, distinct: ReadonlyMap<string, number>): IndexCandidate {
  const n = candidate.equalityPrefix ?? 0;
  if (n < 2) return candidate;
  const rank = (column: string | undefined): number => (column !== undefined ? (distinct.get(column) ?? -1) : -1);
  const head = candidate.keys
    .slice(0, n)
    .map((key, at) => ({ key, at }))
    .sort((a, b) => rank(b.key.column) - rank(a.key.column) || a.at - b.at)
    .map(({ key }) => key);
  return { ...candidate, keys: [...head, ...candidate.keys.slice(n)] };
}
