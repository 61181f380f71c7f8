/**
 * What the plan insights read and say. A plan insight is one problem PostgreSQL's own
 * `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` output shows on one node: a misestimate, a spill to
 * disk, a filter that throws most rows away. Pure data: the engine (plv8) and the sidecar share it.
 *
 * Glossary.
 *  - rule: the name of one check (`row_misestimate`, `disk_spill`…), one module each; fixed, since
 *    benchmarks and stored recommendations match on it.
 *  - per loop: EXPLAIN ANALYZE prints a node's Actual Rows (and Rows Removed by Filter) as the
 *    average over its Actual Loops; Plan Rows is the planner's estimate for one loop.
 *  - path: where the node sits, as child positions under "Plans" from the root (`[]` is the root,
 *    `[0, 1]` the second child of the root's first child).
 *  - cut short: a node whose parent stops reading it early (under a Limit, the inner side of a
 *    semi join): its actual rows can be far below the estimate without any misestimate.
 */
import { EXPLAIN } from '../explain-keys.ts';

export type Severity = 'info' | 'warning' | 'critical';

/** One plan node as EXPLAIN prints it; only the keys in explain-keys.ts are read. */
export interface InsightNode {
  [EXPLAIN.nodeType]: string;
  [EXPLAIN.plans]?: InsightNode[];
  [key: string]: unknown;
}

/** One statement's EXPLAIN (FORMAT JSON) output (the element of the array EXPLAIN returns). */
export interface InsightRoot {
  [EXPLAIN.plan]: InsightNode;
  [key: string]: unknown;
}

/** The target's statistics on one table (pg_stat_user_tables and pg_class), to tell a misestimate's cause. */
export interface TableStats {
  schema: string;
  table: string;
  /** pg_class.reltuples: the row count the planner believes (-1: never analyzed or vacuumed). */
  reltuples: number;
  /** pg_stat_user_tables.n_live_tup: the statistics collector's live row count. */
  nLiveTup: number;
  /** pg_stat_user_tables.n_mod_since_analyze: rows inserted, updated or deleted since the last ANALYZE. */
  nModSinceAnalyze: number;
  /** ISO timestamps, null when never. */
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
}

export interface InsightContext {
  /** The statement's text: a literal OFFSET in it is read by large_offset. */
  query?: string;
  queryid?: string;
  /** Statistics of the tables the plan scans; without them a misestimate's cause is read from the plan alone. */
  tables?: readonly TableStats[];
}

export interface InsightFix {
  /** Runnable SQL, statements ending in `;`, or SQL comments (`-- …`) where no statement can do it. */
  sql: string;
  /** What undoes `sql`; null when nothing needs or can undo it. */
  rollbackSql: string | null;
  /** Why this fix, and the other way to do it when there is one. */
  why: string;
}

export interface PlanInsight {
  rule: string;
  severity: Severity;
  node: {
    nodeType: string;
    /** `schema.table` as the catalog names it (unquoted); the bare table name when the plan was made without VERBOSE. */
    relation?: string;
    index?: string;
    path: number[];
  };
  /** One or two sentences, every number saying what it is and where it came from. */
  message: string;
  /** The numbers behind it (and, for settings, `setting` and `value`), JSON-safe. */
  evidence: Record<string, number | string | boolean | null | string[]>;
  fix?: InsightFix;
}
