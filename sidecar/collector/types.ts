/**
 * The collector's vocabulary.
 *
 * - target: one monitored database (a row of optischema.targets).
 * - local target: the database OptiSchema's own schema lives in (secret_ref 'local'); it is read
 *   by optischema.snapshot() and optischema.sample_activity() in place.
 * - remote target: any other database. It has no OptiSchema schema: the sidecar runs the read_*
 *   SELECT texts there and records the rows in OptiSchema's database.
 * - collection: one snapshot of pg_stat_statements, table and index statistics, stored as deltas
 *   by the record_* functions (sql/migrations/0006_collector_functions.sql).
 * - activity sample: counts from pg_stat_activity at one instant.
 * - statement sample: the literal text of one statement as a client sent it, seen in
 *   pg_stat_activity under its query id by an activity sample; a few kept per query id
 *   (optischema.statement_samples), while the target's keep_literal_samples is on.
 * - status: the collector's last word on a target (targets.status): ok, error (unreachable or
 *   failing; last_seen_at keeps the last success) or no_statistics (pg_stat_statements missing).
 */

/** Where a target's statistics are read. */
export type TargetLocation = { kind: 'local' } | { kind: 'remote'; url: string };

export type CollectionOutcome =
  | {
      kind: 'collected';
      snapshotId: string;
      /** pg_stat_statements entries read; changed: those whose calls grew (stored as history). */
      statements: number;
      changed: number;
      newSlowQueries: number;
      /** Measured in the sidecar around read and record, milliseconds. */
      durationMs: number;
    }
  /** pg_stat_statements is not usable on the target: status set, nothing recorded, not an error to retry. */
  | { kind: 'no_statistics'; message: string };

/** The one-line status a failed collection leaves on its target. */
export interface TargetProblem {
  status: 'error' | 'no_statistics';
  message: string;
}
