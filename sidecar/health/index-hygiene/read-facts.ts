/**
 * The advisor's reads, one SQL text each: the catalog facts (index-facts.sql), the scans each
 * replica counted (replica-scans.sql), and the workload's statement texts (workload-statements.sql),
 * the last two optional.
 */
import { readFileSync } from 'node:fs';
import type { Queryable } from '../../database/queryable.ts';
import { messageOf } from '../../errors.ts';
import { toIndexFacts, type IndexFacts } from './facts.ts';
import type { WorkloadStatement } from './missing-fk-index.ts';

const INDEX_FACTS_SQL = readFileSync(new URL('./index-facts.sql', import.meta.url), 'utf8');
const REPLICA_SCANS_SQL = readFileSync(new URL('./replica-scans.sql', import.meta.url), 'utf8');
const WORKLOAD_STATEMENTS_SQL = readFileSync(new URL('./workload-statements.sql', import.meta.url), 'utf8');

export async function readIndexFacts(db: Queryable): Promise<IndexFacts> {
  const { rows } = await db.query(INDEX_FACTS_SQL);
  return toIndexFacts(rows[0]);
}

/** idx_scan per `schema.index` as one replica counts them. */
export async function readReplicaScans(replica: Queryable): Promise<Map<string, number>> {
  const { rows } = await replica.query<{ schema: string; index: string; scans: string | number }>(REPLICA_SCANS_SQL);
  return new Map(rows.map((r) => [`${r.schema}.${r.index}`, Number(r.scans)]));
}

/**
 * pg_stat_statements' texts, or a note saying why there are none. The view may be missing (the
 * extension not created: to_regclass finds nothing) or unreadable (created but not preloaded:
 * SQLSTATE 55000, object_not_in_prerequisite_state); either way the advisor goes on without
 * workload evidence. The read runs behind a savepoint when the caller's session is in a
 * transaction (the health runner's READ ONLY one), so a failure does not abort it.
 */
export async function readWorkloadStatements(db: Queryable): Promise<{ statements: WorkloadStatement[] | null; note?: string }> {
  const found = await db.query<{ view: string | null }>(`select to_regclass('pg_stat_statements')::text as view`);
  if (!found.rows[0]?.view) return { statements: null, note: 'pg_stat_statements is not installed in this database: missing_fk_index cites no statements' };
  const inTransaction = await db.query('savepoint index_hygiene_workload').then(
    () => true,
    // 25P01 no_active_sql_transaction: a pool or an idle session, where a failed read aborts nothing.
    () => false,
  );
  try {
    const { rows } = await db.query<{ query: string; calls: string | number }>(WORKLOAD_STATEMENTS_SQL);
    if (inTransaction) await db.query('release savepoint index_hygiene_workload');
    return { statements: rows.map((r) => ({ query: r.query, calls: Number(r.calls) })) };
  } catch (error) {
    if (inTransaction) await db.query('rollback to savepoint index_hygiene_workload');
    return { statements: null, note: `pg_stat_statements could not be read (${messageOf(error)}): missing_fk_index cites no statements` };
  }
}
