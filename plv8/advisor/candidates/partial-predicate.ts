/**
 * Whether a partial index (`… WHERE status = 'pending'`, `… WHERE deleted_at IS NULL`,
 * `… WHERE archived`) fits: its predicate selects a small share of the table's rows (one that
 * selects most rows is a full index in disguise that every query must still prove it may use), and
 * it is a constant of the application rather than one sample of a parameter.
 *
 * - A null test or a boolean column is a constant of the text: only the share decides.
 * - An equality value (`status = 'pending'`, `region_id = 3`) from a literal text is usually one
 *   value the application sends among many: the partial index would serve that value only. It fits
 *   when the column is flag- or status-like (boolean, enum or text, with at most
 *   MAX_PARTIAL_DISTINCT values), or when the workload shows the value is a constant (`known`: the
 *   generic plan keeps it, or every literal sample of the statement has it; evaluate-query.ts),
 *   with the column of low cardinality either way.
 *
 * The facts come from the planner's own statistics: pg_stats.n_distinct, the column's type
 * category, and the row estimate of `EXPLAIN select from <table> where <predicate>` against the
 * table's reltuples.
 */
import type { Step } from '../../engine/protocol.ts';
import { quoteIdent } from '../../engine/quote-ident.ts';
import { EXPLAIN } from '../../plan/explain-keys.ts';
import { rootPlan } from '../../plan/plan-scans.ts';
import type { TableFacts } from '../../catalog/table-facts.ts';
import { guardedPlan } from '../../engine/guard/guarded-plan.ts';
import type { Planner } from '../../engine/guard/planners.ts';
import type { IndexCandidate } from './index-candidate.ts';

/** At most this many distinct values in the column. */
export const MAX_PARTIAL_DISTINCT = 100;
/** At most this share of the table's rows. */
export const MAX_PARTIAL_SHARE = 0.1;
/** pg_type.typcategory of flag- and status-like columns: boolean, enum, string. */
const STATUS_CATEGORIES = new Set(['B', 'E', 'S']);

// n_distinct < 0 is a fraction of the rows (the column grows with the table): high cardinality.
// The parent of a partitioned table has its statistics in the inherited row; the type comes from
// the catalog even without statistics.
const COLUMN_SQL = `
select t.typcategory::text as category,
       (select s.n_distinct::float8 from pg_stats s
         where s.schemaname = $1 and s.tablename = $2 and s.attname = $3
         order by s.inherited desc limit 1) as n_distinct
  from pg_attribute a join pg_type t on t.oid = a.atttypid
 where a.attrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass and a.attname = $3 and not a.attisdropped`;

export interface PartialTest {
  predicate: string;
  column: string;
  kind: NonNullable<IndexCandidate['predicateKind']>;
  /** The workload shows an equality value is a constant of the application. */
  known: boolean;
}

export function* partialPredicateFits(table: TableFacts, test: PartialTest, planner: Planner): Step<boolean> {
  if (test.kind === 'value') {
    const rows = yield { sql: COLUMN_SQL, params: [table.schema, table.table, test.column] };
    const distinct = Number(rows[0]?.n_distinct ?? NaN);
    if (!(distinct > 0 && distinct <= MAX_PARTIAL_DISTINCT)) return false;
    if (!test.known && !STATUS_CATEGORIES.has(String(rows[0]?.category ?? ''))) return false;
  }
  // The predicate is the plan's own deparse of a comparison in someone else's statement: it is
  // planned inside the guard, as that statement's planner.
  const { plan } = yield* guardedPlan(planner, 'explain', `SELECT FROM ${quoteIdent(table.schema)}.${quoteIdent(table.table)} WHERE ${test.predicate}`);
  const rows = Number(rootPlan(plan)?.[EXPLAIN.planRows] ?? NaN);
  return table.rows > 0 && rows / table.rows <= MAX_PARTIAL_SHARE;
}
