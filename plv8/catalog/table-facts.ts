/**
 * The facts about a scanned table that decide where an index goes and what it costs to keep:
 * which relation gets the index (a partition's index belongs on its partitioned root), how big the
 * table is (tiny tables are skipped), and how often it is written (every insert and every update
 * that is not HOT also writes each index).
 *
 * Glossary
 * - root: the relation that receives the CREATE INDEX; a partition's topmost partitioned ancestor,
 *   otherwise the table (or materialized view) itself.
 * - write rate: inserts, updates and deletes per second, summed over the root's partitions, since
 *   the table's statistics were last gathered (ANALYZE, by autovacuum or by hand; n_mod_since_analyze
 *   over the time since, split as the cumulative counters split): a bulk load is followed by an
 *   ANALYZE, which the planner needs anyway, and is not the application's write rate. A reset of
 *   the counters also forgets the last ANALYZE, so any ANALYZE recorded is one since the reset;
 *   the server's start is not a reset (the counters survive a clean restart), and taking it for
 *   one read a load before a restart as that many writes in the minutes since. Without an ANALYZE,
 *   the counters since the reset (pg_stat_database.stats_reset, else the server's start).
 * - HOT update: an update that changed no indexed column and found room on the same page; it writes
 *   no index entry. An index on an updated column turns such updates into ordinary ones.
 */
import type { Row, Step } from '../engine/protocol.ts';
import { quoteIdent } from '../engine/quote-ident.ts';
import { EXPLAIN } from '../plan/explain-keys.ts';
import { rootPlan } from '../plan/plan-scans.ts';

export interface TableFacts {
  /** Where the index goes (unquoted names). */
  schema: string;
  table: string;
  /** r: table, p: partitioned table, m: materialized view. */
  kind: string;
  /** The planner's row estimate (reltuples), summed over partitions. */
  rows: number;
  /** Heap size in bytes (pg_table_size), summed over partitions. */
  bytes: number;
  /** Per second, since the last ANALYZE (see the glossary). */
  insertsPerSecond: number;
  updatesPerSecond: number;
  deletesPerSecond: number;
  hotUpdatesPerSecond: number;
  /** How long the write rates were counted over, in seconds (since the last ANALYZE, or the reset). */
  statsSeconds: number;
  /** Some part was never analyzed (reltuples −1): `rows` is the planner's own estimate from the
   * table's pages, as it sizes such a table, and the advice says the statistics are missing. */
  statisticsMissing?: boolean;
}

/** Said in a recommendation on a table whose statistics are missing. */
export const STATISTICS_MISSING =
  'the table was never analyzed: its rows are the planner\'s estimate from its pages and its columns have no statistics, so estimates may be far off (run ANALYZE on it)';

// pg_partition_tree lists nothing for a relation outside a partition tree: the table counts alone.
const TABLE_FACTS_SQL = `
with target as (select (quote_ident($1) || '.' || quote_ident($2))::regclass::oid as oid),
     root as (select coalesce(pg_partition_root(target.oid)::oid, target.oid) as oid from target),
     parts as (select coalesce((select array_agg(t.relid::oid) from root, pg_partition_tree(root.oid) t where t.isleaf),
                               (select array[root.oid] from root)) as oids),
     stats as (select sum(s.n_tup_ins) as ins, sum(s.n_tup_upd) as upd, sum(s.n_tup_del) as del, sum(s.n_tup_hot_upd) as hot,
                      sum(s.n_mod_since_analyze) as modified_since_analyze,
                      -- The earliest partition's, and only when every partition has been analyzed.
                      case when bool_and(coalesce(s.last_analyze, s.last_autoanalyze) is not null)
                           then min(greatest(s.last_analyze, s.last_autoanalyze)) end as analyzed_at
                 from parts, pg_stat_user_tables s where s.relid = any (parts.oids)),
     reset as (select coalesce((select d.stats_reset from pg_stat_database d where d.datname = current_database()), pg_postmaster_start_time()) as at)
select n.nspname::text as schema, c.relname::text as name, c.relkind::text as kind,
       (select coalesce(sum(greatest(l.reltuples, 0)), 0) from parts, pg_class l where l.oid = any (parts.oids))::float8 as rows,
       (select coalesce(bool_or(l.reltuples < 0), false) from parts, pg_class l where l.oid = any (parts.oids)) as never_analyzed,
       (select coalesce(sum(pg_table_size(l.oid)), 0) from parts, pg_class l where l.oid = any (parts.oids))::float8 as bytes,
       coalesce(stats.ins, 0)::float8 as inserted, coalesce(stats.upd, 0)::float8 as updated,
       coalesce(stats.del, 0)::float8 as deleted, coalesce(stats.hot, 0)::float8 as hot_updated,
       greatest(extract(epoch from now() - reset.at), 1)::float8 as stats_seconds,
       coalesce(stats.modified_since_analyze, 0)::float8 as modified_since_analyze,
       case when stats.analyzed_at is not null then greatest(extract(epoch from now() - stats.analyzed_at), 1) end::float8 as analyzed_seconds
  from root join pg_class c on c.oid = root.oid join pg_namespace n on n.oid = c.relnamespace, stats, reset`;

/**
 * Facts about the table the plan scanned as `schema.table` (a partition resolves to its root).
 *
 * @example
 *   yield* tableFacts('public', 'events_2026_01')
 *   // { schema: 'public', table: 'events', kind: 'p', rows: 1200000, bytes: 98566144, insertsPerSecond: 35.2, … }
 */
export function* tableFacts(schema: string, table: string): Step<TableFacts> {
  const rows = yield { sql: TABLE_FACTS_SQL, params: [schema, table] };
  const facts = toTableFacts(rows[0]!);
  if (rows[0]!.never_analyzed !== true) return facts;
  // reltuples −1 is "unknown", not "empty": the planner then estimates the rows from the pages
  // on disk. Its own estimate, from plain EXPLAIN of our own statement on the root, is the size.
  const plan = yield { sql: `explain (format json) select from ${quoteIdent(facts.schema)}.${quoteIdent(facts.table)}`, params: [] };
  const value = plan[0]?.['QUERY PLAN'];
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as unknown;
  const estimate = Number(rootPlan(parsed)?.[EXPLAIN.planRows] ?? NaN);
  return { ...facts, rows: Number.isFinite(estimate) ? Math.max(facts.rows, estimate) : facts.rows, statisticsMissing: true };
}

export function toTableFacts(row: Row): TableFacts {
  const sinceAnalyze = row.analyzed_seconds === null || row.analyzed_seconds === undefined ? null : Number(row.analyzed_seconds);
  const seconds = sinceAnalyze ?? Number(row.stats_seconds);
  const cumulative = Number(row.inserted) + Number(row.updated) + Number(row.deleted);
  // Since the last ANALYZE: its modifications, shared out as the cumulative counters share.
  const scale = sinceAnalyze === null ? 1 : cumulative > 0 ? Number(row.modified_since_analyze ?? 0) / cumulative : 0;
  const perSecond = (value: unknown): number => (Number(value) * scale) / seconds;
  return {
    schema: String(row.schema),
    table: String(row.name),
    kind: String(row.kind),
    rows: Number(row.rows),
    bytes: Number(row.bytes),
    insertsPerSecond: perSecond(row.inserted),
    updatesPerSecond: perSecond(row.updated),
    deletesPerSecond: perSecond(row.deleted),
    hotUpdatesPerSecond: perSecond(row.hot_updated),
    statsSeconds: seconds,
  };
}
