/**
 * Whether a partial index (`… WHERE status = 'pending'`) fits: its predicate tests a column of low
 * cardinality and selects a small share of the table's rows. A partial index for a high-cardinality
 * column (`customer_id = 42`) would serve one value only; one that selects most rows is a full
 * index in disguise that every query must still prove it is allowed to use.
 *
 * Both facts come from the planner's own statistics: the column's n_distinct in pg_stats, and the
 * row estimate of `EXPLAIN select from <table> where <predicate>` against the table's reltuples.
 */
import type { Step } from '../../engine/protocol.ts';
import { quoteIdent } from '../../engine/quote-ident.ts';
import { EXPLAIN } from '../../plan/explain-keys.ts';
import { rootPlan } from '../../plan/plan-scans.ts';
import type { TableFacts } from '../../catalog/table-facts.ts';
import { guardedPlan } from '../../engine/guard/guarded-plan.ts';
import type { Planner } from '../../engine/guard/planners.ts';

/** At most this many distinct values in the column. */
export const MAX_PARTIAL_DISTINCT = 100;
/** At most this share of the table's rows. */
export const MAX_PARTIAL_SHARE = 0.1;

// n_distinct < 0 is a fraction of the rows (the column grows with the table): high cardinality.
// The parent of a partitioned table has its statistics in the inherited row.
const DISTINCT_SQL = `
select n_distinct::float8 as n_distinct from pg_stats
 where schemaname = $1 and tablename = $2 and attname = $3
 order by inherited desc limit 1`;

export function* partialPredicateFits(table: TableFacts, column: string, predicate: string, planner: Planner): Step<boolean> {
  const stats = yield { sql: DISTINCT_SQL, params: [table.schema, table.table, column] };
  const distinct = Number(stats[0]?.n_distinct ?? NaN);
  if (!(distinct > 0 && distinct <= MAX_PARTIAL_DISTINCT)) return false;
  // The predicate is the plan's own deparse of a comparison in someone else's statement: it is
  // planned inside the guard, as that statement's planner.
  const { plan } = yield* guardedPlan(planner, 'explain', `SELECT FROM ${quoteIdent(table.schema)}.${quoteIdent(table.table)} WHERE ${predicate}`);
  const rows = Number(rootPlan(plan)?.[EXPLAIN.planRows] ?? NaN);
  return table.rows > 0 && rows / table.rows <= MAX_PARTIAL_SHARE;
}
