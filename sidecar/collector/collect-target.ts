import type pg from 'pg';
import { classifyCollectionError, CollectionError } from './collection-errors.ts';
import { readFunctionSql, runRead } from './read-queries.ts';
import { connectTarget, readOnTarget, type ConnectTarget } from './target-connection.ts';
import { inCollectorTransaction } from './system-transaction.ts';
import { recordTargetProblem } from './target-status.ts';
import type { CollectionOutcome, TargetLocation } from './types.ts';

export interface CollectorContext {
  /** OptiSchema's own database (the sidecar's system pool): read_* texts come from it, history goes to it. */
  system: pg.Pool;
  /** Opens a session on a remote target; connectTarget unless a test supplies another. */
  connect?: ConnectTarget;
}

/** What the read_* functions return on a target, as the record_* functions take it. */
interface Readings {
  statements: unknown;
  info: unknown;
  tables: unknown;
  indexes: unknown;
}

/**
 * Takes one snapshot of one target and stores it as history in OptiSchema's database.
 *
 *   const outcome = await collectTarget({ system }, targetId, { kind: 'remote', url });
 *
 * - local: runs optischema.snapshot() here, the function psql users call.
 * - remote: runs the read_* SELECT texts on the target (one short-lived, read-only session),
 *   then optischema.record_snapshot here: the steps snapshot() takes after its own reads.
 * pg_stat_statements missing: status no_statistics, returns { kind: 'no_statistics' }.
 * Any other failure: status error (last_seen_at kept), then throws a CollectionError.
 */
export async function collectTarget(context: CollectorContext, targetId: string, location: TargetLocation): Promise<CollectionOutcome> {
  const started = performance.now();
  try {
    if (location.kind === 'local') return await snapshotLocal(context.system, targetId, started);
    const readings = await readRemote(context, location.url);
    return await record(context.system, targetId, readings, started);
  } catch (error) {
    const problem = classifyCollectionError(error, location.kind === 'remote' ? location.url : undefined);
    await recordTargetProblem(context.system, targetId, problem);
    if (problem.status === 'no_statistics') return { kind: 'no_statistics', message: problem.message };
    throw new CollectionError(`collecting target ${targetId} failed: ${problem.message}`, { cause: error });
  }
}

async function snapshotLocal(system: pg.Pool, targetId: string, started: number): Promise<CollectionOutcome> {
  const { rows } = await system.query<SnapshotRow>('select * from optischema.snapshot()');
  const row = rows[0]!;
  // snapshot() collects the target whose secret_ref is 'local' (there is at most one).
  if (row.target_id !== targetId) throw new Error(`target ${targetId} is not this database's local target (${row.target_id})`);
  return outcome(row, started);
}

async function readRemote(context: CollectorContext, url: string): Promise<Readings> {
  const [statements, info, tables, indexes] = await Promise.all(
    (['read_statements', 'read_statements_info', 'read_tables', 'read_indexes'] as const).map((name) => readFunctionSql(context.system, name)),
  );
  const session = await (context.connect ?? connectTarget)(url);
  try {
    return await readOnTarget(session, async () => ({
      statements: await runRead(session, statements!),
      info: await readInfo(session, info!),
      tables: await runRead(session, tables!),
      indexes: await runRead(session, indexes!),
    }));
  } finally {
    await session.close();
  }
}

/**
 * pg_stat_statements_info arrived with pg_stat_statements 1.9 (PostgreSQL 14): on an older target
 * the statements are there but not the info view, which is no reason to call it "no statistics".
 */
async function readInfo(session: Parameters<typeof runRead>[0], text: string): Promise<unknown> {
  await session.query('savepoint optischema_info');
  try {
    const info = await runRead(session, text);
    await session.query('release savepoint optischema_info');
    return info;
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') throw error;
    await session.query('rollback to savepoint optischema_info');
    return null;
  }
}

/** optischema.record_snapshot: the same steps optischema.snapshot() takes after its reads. */
function record(system: pg.Pool, targetId: string, readings: Readings, started: number): Promise<CollectionOutcome> {
  return inCollectorTransaction(system, async (client) => {
    // jsonb parameters are sent as JSON text: node-postgres would turn a JS array into a PostgreSQL array.
    const json = (value: unknown, empty: unknown) => (value == null ? (empty === null ? null : JSON.stringify(empty)) : JSON.stringify(value));
    const { rows } = await client.query<SnapshotRow>(
      `select * from optischema.record_snapshot($1, now(), $2::json, $3::jsonb, $4::jsonb, $5::jsonb, clock_timestamp())`,
      [targetId, json(readings.statements, []), json(readings.info, null), json(readings.tables, []), json(readings.indexes, [])],
    );
    return outcome(rows[0]!, started);
  });
}

interface SnapshotRow {
  snapshot_id: string;
  target_id: string;
  statements: number;
  changed: number;
  new_slow_queries: number;
}

function outcome(row: SnapshotRow, started: number): CollectionOutcome {
  return {
    kind: 'collected',
    snapshotId: String(row.snapshot_id),
    statements: row.statements,
    changed: row.changed,
    newSlowQueries: Number(row.new_slow_queries),
    durationMs: performance.now() - started,
  };
}
