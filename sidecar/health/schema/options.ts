/**
 * The schema advisor's thresholds. Each default says where it comes from; tests pass smaller ones
 * through `schemaAdvisorWith(options)` so small tables can stand for large ones.
 */
export interface SchemaOptions {
  /** column_padding: the least saving per row worth a rewrite (bytes of the tuple's data area). */
  paddingMinBytesPerRow: number;
  /** column_padding: the least total saving, per-tuple on-disk saving × estimated rows. */
  paddingMinTotalBytes: number;
  /** wide_column: a column whose average stored width (pg_stats.avg_width) reaches this is wide. */
  wideMinAvgWidth: number;
  /** wide_column: a varchar(n) this long or longer is "declared wide"… */
  wideMinDeclaredLength: number;
  /** …and counts as wide when its average width reaches this. */
  wideDeclaredMinAvgWidth: number;
  /** wide_column: raise it when at most this share of the table's reading calls read the column. */
  wideMaxReadShare: number;
  /** key_overflow: share of the column type's maximum that earns a warning… */
  overflowWarnShare: number;
  /** …and that makes it critical. */
  overflowCriticalShare: number;
  /** table_bloat: wasted share of the table's pages that counts as bloat. */
  bloatMinShare: number;
  /** table_bloat: the least wasted bytes worth a rewrite. */
  bloatMinBytes: number;
  /** partitioning_candidate: the least table size (pg_table_size). */
  partitionMinBytes: number;
  /** partitioning_candidate: share of the table's top-statement calls that filter on the time column. */
  partitionMinFilterShare: number;
  /** partitioning_candidate: pg_stats.correlation above which the time column is physically ordered. */
  partitionMinCorrelation: number;
  /** partitioning_candidate: deleted rows (n_tup_del) as a share of estimated rows that show old rows being purged. */
  partitionMinDeleteShare: number;
  /** How many pg_stat_statements entries (by total execution time) count as "the workload's top statements". */
  topStatements: number;
}

const MB = 1024 * 1024;

export const DEFAULT_SCHEMA_OPTIONS: SchemaOptions = {
  // 4 bytes: below one int4 of padding the tuple rarely shrinks past a MAXALIGN boundary.
  paddingMinBytesPerRow: 4,
  // 8 MB: a rewrite under ACCESS EXCLUSIVE is not worth less than about a thousand 8 kB pages.
  paddingMinTotalBytes: 8 * MB,
  // 500 bytes: about a quarter of the ~2 kB TOAST threshold; such a column dominates the row's width.
  wideMinAvgWidth: 500,
  // varchar(1000): the seed's example of "a large VARCHAR(1000) column rarely used".
  wideMinDeclaredLength: 1000,
  // 200 bytes: a declared-wide column that is actually filled, not an empty varchar(1000).
  wideDeclaredMinAvgWidth: 200,
  // 20 %: issue 14 §3 ("rarely read").
  wideMaxReadShare: 0.2,
  // 10 % / 50 % of the type's maximum: field notes, "Sequence overflow" (int4 above 10 % of 2^31 deserves a warning).
  overflowWarnShare: 0.1,
  overflowCriticalShare: 0.5,
  // 30 % and 10 MB: issue 14 §3; below that, autovacuum's reuse of free space is the cheaper fix.
  bloatMinShare: 0.3,
  bloatMinBytes: 10 * MB,
  // 10 GB: issue 14 §3; PostgreSQL's docs suggest partitioning when a table exceeds the server's memory.
  partitionMinBytes: 10 * 1024 * MB,
  // "most of its top statements": more than half of the calls.
  partitionMinFilterShare: 0.5,
  // 0.9: issue 14 §3 (rows arrive in time order).
  partitionMinCorrelation: 0.9,
  // 10 % of the rows deleted since the statistics reset: old rows are being purged, which DROP PARTITION does for free.
  partitionMinDeleteShare: 0.1,
  // 100: enough to cover the statements that make up most of the time on a typical workload.
  topStatements: 100,
};

/**
 * What analysis leaves out: the catalog, TOAST, and OptiSchema's own schemas (its store and job
 * queue are not the user's schema to optimize).
 */
export const EXCLUDED_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast', 'optischema', 'optischema_api', 'graphile_worker'];
