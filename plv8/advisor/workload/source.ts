/**
 * Where a workload comes from: the statements to advise on, how much time each took, and the
 * window they were measured over. Steps (sans-IO), so the sidecar and plv8 read it alike.
 *
 * Glossary
 * - workload: the application statements of one database in a window, each with its calls and
 *   mean execution time; its weight is calls × mean (ms spent in the window).
 * - collector source: OptiSchema's own history of a target (statement_history deltas per
 *   snapshot, migrations 0005–0008): exactly the window asked for, and table write rates measured
 *   over that same window.
 * - pg_stat_statements source: the server's cumulative counters for the current database, since
 *   their last reset (pg_stat_statements_info.stats_reset, else the server's start): the window is
 *   "since the reset", whatever was asked.
 * - sample: a statement's literal text as a client sent it, with real values where
 *   pg_stat_statements prints `$n`; the collector keeps a few per query id from pg_stat_activity
 *   (optischema.statement_samples, migration 0013). Only the collector source has them.
 * - application statement: SELECT/WITH/INSERT/UPDATE/DELETE/MERGE/VALUES/TABLE that is not one of
 *   OptiSchema's (the same rule as optischema.is_application_statement in 0006) and that reads a
 *   table outside the catalogs (no `pg_*`, `hypopg*` or information_schema name, and a FROM,
 *   UPDATE or INTO): the advisor's own planning requests land in pg_stat_statements too.
 */
import type { Row, Step } from '../../engine/protocol.ts';

export type WorkloadSourceKind = 'collector' | 'pg_stat_statements' | 'statements';

export interface WorkloadStatement {
  /** pg_stat_statements' query id as text (a bigint), or null for a statement given by hand. */
  queryid: string | null;
  /** The text as pg_stat_statements normalized it (`$n` for constants) or as given. */
  query: string;
  calls: number;
  /** Mean execution time per call, ms. */
  meanMs: number;
  /**
   * The roles that ran it, most calls first (oids as text, pg_stat_statements' userid); absent for
   * a statement given by hand, which is planned as the session's own role.
   */
  authors?: readonly string[];
  /** Literal texts of this statement as clients sent them (the collector's activity samples),
   * newest first; absent when none were seen or the source cannot know. */
  samples?: string[];
  /** Values for its `$n` that pg_qualstats sampled from real executions (one array per sample,
   * `$1` first), when the sidecar could map them (sidecar/plans/qualstats-values.ts). */
  sampledValues?: (string | null)[][];
}

/** Writes per second to one table over the workload's window (collector source only). */
export interface TableWriteRate {
  schema: string;
  table: string;
  insertsPerSecond: number;
  updatesPerSecond: number;
  deletesPerSecond: number;
  hotUpdatesPerSecond: number;
}

export interface Workload {
  source: WorkloadSourceKind;
  /** Start of the window (ISO 8601): now − since, or the statistics reset; null for a given list. */
  since: string | null;
  /** Seconds of activity the statistics cover (collector: the snapshots' intervals summed). */
  windowSeconds: number;
  /** Most total time first, at most the limit asked for. */
  statements: WorkloadStatement[];
  /** Empty when not measured over the window: each table's cumulative rates stand in. */
  tableWrites: TableWriteRate[];
}

/** Default cap on statements per workload (most total time first). */
export const DEFAULT_MAX_STATEMENTS = 500;

/**
 * The SQL condition "`column` is an application statement" (see the glossary). Mirrors
 * optischema.is_application_statement rather than calling it: the pg_stat_statements source runs
 * on databases without OptiSchema's schema.
 */
export function applicationStatementCondition(column: string): string {
  return String.raw`(${column} ~* '^\s*(with|select|insert|update|delete|merge|values|table)\M'
    and ${column} !~* '"?(optischema|graphile_worker)"?\.|optischema_entries|^\s*select\s+set_config\('
    and ${column} !~* '\m(pg_[a-z0-9_]+|hypopg[a-z0-9_]*|information_schema)\M'
    and ${column} ~* '\m(from|update|into)\M')`;
}

// The leading comment keeps these reads out of the workload itself (not an application statement).
const COLLECTOR_WINDOW_SQL = `/* optischema.workload_window */
select to_char((now() - $2::interval) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since,
       coalesce(sum(s.interval_s), 0)::float8 as seconds
  from optischema.snapshots s
 where s.target_id = $1::uuid and s.captured_at > now() - $2::interval and s.interval_s is not null`;

// Per query id, the roles that ran it most first: the statement is planned as one of them.
const COLLECTOR_STATEMENTS_SQL = `/* optischema.workload_statements */
with per_author as (
  select h.queryid, h.userid, sum(h.calls) as calls, sum(h.total_exec_time) as total_ms
    from optischema.statement_history h
   where h.target_id = $1::uuid and h.captured_at > now() - $2::interval
   group by h.queryid, h.userid
), w as (
  select a.queryid, sum(a.calls) as calls, sum(a.total_ms) as total_ms,
         array_agg(a.userid::text order by a.calls desc, a.userid) as authors
    from per_author a
   group by a.queryid
)
select w.queryid::text as queryid, q.query, w.calls::float8 as calls, w.total_ms::float8 as total_ms, w.authors,
       -- At most 5 per query id (record_statement_samples keeps no more), of any age within retention.
       (select array_agg(s.query order by s.last_seen_at desc, s.times_seen desc, s.query_md5)
          from optischema.statement_samples s where s.target_id = $1::uuid and s.queryid = w.queryid) as samples
  from w join optischema.query_texts q on q.target_id = $1::uuid and q.queryid = w.queryid
 where w.calls > 0 and ${applicationStatementCondition('q.query')}
 order by w.total_ms desc, w.queryid
 limit $3`;

const COLLECTOR_TABLE_WRITES_SQL = `/* optischema.workload_table_writes */
select h.schema_name as schema, h.table_name as name, sum(h.n_tup_ins)::float8 as inserted, sum(h.n_tup_upd)::float8 as updated,
       sum(h.n_tup_del)::float8 as deleted, sum(h.n_tup_hot_upd)::float8 as hot_updated
  from optischema.table_history h
 where h.target_id = $1::uuid and h.captured_at > now() - $2::interval
 group by h.schema_name, h.table_name`;

/**
 * The collected workload of target `targetId` over the last `since` (a PostgreSQL interval), run
 * on the database that holds OptiSchema's history.
 *
 * @example
 *   yield* collectorWorkload('6f1c…', '1 hour')
 *   // { source: 'collector', since: '2026-11-27T07:10:00Z', windowSeconds: 3570, statements: [{ queryid: '-4871…', query: 'select … where customer_id = $1', calls: 1200, meanMs: 3.1 }, …], tableWrites: [...] }
 */
export function* collectorWorkload(targetId: string, since: string, maxStatements = DEFAULT_MAX_STATEMENTS): Step<Workload> {
  const window = (yield { sql: COLLECTOR_WINDOW_SQL, params: [targetId, since] })[0];
  const seconds = Number(window?.seconds ?? 0);
  const statements = (yield { sql: COLLECTOR_STATEMENTS_SQL, params: [targetId, since, maxStatements] }).map(toStatement);
  const writes = seconds > 0 ? yield { sql: COLLECTOR_TABLE_WRITES_SQL, params: [targetId, since] } : [];
  return {
    source: 'collector',
    since: String(window?.since ?? ''),
    windowSeconds: seconds,
    statements,
    tableWrites: writes.map((row) => ({
      schema: String(row.schema),
      table: String(row.name),
      insertsPerSecond: Number(row.inserted) / seconds,
      updatesPerSecond: Number(row.updated) / seconds,
      deletesPerSecond: Number(row.deleted) / seconds,
      hotUpdatesPerSecond: Number(row.hot_updated) / seconds,
    })),
  };
}

const STAT_STATEMENTS_AVAILABLE_SQL = `/* optischema.workload_source */
select to_regclass('pg_stat_statements') is not null as statements, to_regclass('pg_stat_statements_info') is not null as info`;

const STAT_STATEMENTS_WINDOW_SQL = `/* optischema.workload_window */
with reset as (select coalesce((select i.stats_reset from pg_stat_statements_info i), pg_postmaster_start_time()) as at)
select to_char(reset.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since,
       greatest(extract(epoch from now() - reset.at), 1)::float8 as seconds
  from reset`;

// pg_stat_statements covers the whole cluster: only this database's entries are its workload.
const STAT_STATEMENTS_SQL = `/* optischema.workload_statements */
with per_author as (
  select s.queryid, s.userid, min(s.query) as query, sum(s.calls) as calls, sum(s.total_exec_time) as total_ms
    from pg_stat_statements s
   where s.dbid = (select d.oid from pg_database d where d.datname = current_database())
     and s.queryid is not null and ${applicationStatementCondition('s.query')}
   group by s.queryid, s.userid
)
select a.queryid::text as queryid, min(a.query) as query, sum(a.calls)::float8 as calls, sum(a.total_ms)::float8 as total_ms,
       array_agg(a.userid::text order by a.calls desc, a.userid) as authors
  from per_author a
 group by a.queryid
having sum(a.calls) > 0
 order by sum(a.total_ms) desc, a.queryid
 limit $1`;

/**
 * The workload of the current database straight from pg_stat_statements, cumulative since its
 * last reset. Table write rates are left to each table's own cumulative counters (table-facts.ts).
 */
export function* statStatementsWorkload(maxStatements = DEFAULT_MAX_STATEMENTS): Step<Workload> {
  const available = (yield { sql: STAT_STATEMENTS_AVAILABLE_SQL, params: [] })[0];
  if (!available?.statements) {
    throw new Error('pg_stat_statements is not available in this database: preload it (shared_preload_libraries) and run CREATE EXTENSION pg_stat_statements;');
  }
  const window = available.info
    ? (yield { sql: STAT_STATEMENTS_WINDOW_SQL, params: [] })[0]
    : (yield { sql: `/* optischema.workload_window */ select null::text as since, greatest(extract(epoch from now() - pg_postmaster_start_time()), 1)::float8 as seconds`, params: [] })[0];
  const statements = (yield { sql: STAT_STATEMENTS_SQL, params: [maxStatements] }).map(toStatement);
  return {
    source: 'pg_stat_statements',
    since: window?.since === null || window?.since === undefined ? null : String(window.since),
    windowSeconds: Number(window?.seconds ?? 1),
    statements,
    tableWrites: [],
  };
}

const LOCAL_HISTORY_SQL = `/* optischema.workload_source */
select t.id::text as target_id
  from optischema.targets t
 where t.secret_ref = 'local'
   and exists (select from optischema.snapshots s
                where s.target_id = t.id and s.captured_at > now() - $1::interval and s.interval_s is not null)`;

/**
 * The workload of the database this runs on: its own collected history (the 'local' target) when
 * OptiSchema's schema is installed and has snapshots in the window, else pg_stat_statements.
 */
export function* localWorkload(since: string, maxStatements = DEFAULT_MAX_STATEMENTS): Step<Workload> {
  const schema = (yield { sql: `/* optischema.workload_source */ select to_regclass('optischema.snapshots') is not null as installed`, params: [] })[0];
  if (schema?.installed) {
    const local = (yield { sql: LOCAL_HISTORY_SQL, params: [since] })[0];
    if (local?.target_id) return yield* collectorWorkload(String(local.target_id), since, maxStatements);
  }
  return yield* statStatementsWorkload(maxStatements);
}

/** A list given by hand (a benchmark, a file): one call each unless told, no window, no timings. */
export function givenWorkload(statements: readonly (string | WorkloadStatement)[]): Workload {
  return {
    source: 'statements',
    since: null,
    windowSeconds: 0,
    statements: statements.map((s) => (typeof s === 'string' ? { queryid: null, query: s, calls: 1, meanMs: 0 } : s)),
    tableWrites: [],
  };
}

function toStatement(row: Row): WorkloadStatement {
  const calls = Number(row.calls);
  const authors = Array.isArray(row.authors) ? row.authors.map(String) : [];
  const statement: WorkloadStatement = { queryid: row.queryid === null ? null : String(row.queryid), query: String(row.query), calls, meanMs: calls > 0 ? Number(row.total_ms) / calls : 0, authors };
  // Only the collector source reads samples; an empty or missing list leaves the field out.
  if (Array.isArray(row.samples) && row.samples.length > 0) statement.samples = row.samples.map(String);
  return statement;
}
