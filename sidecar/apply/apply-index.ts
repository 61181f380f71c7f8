/**
 * The production apply of an index recommendation: the last stage of the pipeline (advisor →
 * recommendations → sandbox → apply). It runs on the target itself, so it must never block the
 * application: every build is CONCURRENTLY, every lock wait is bounded by lock_timeout, and a
 * failure leaves no invalid index of its own behind. It is idempotent: an index already there is
 * reported, not rebuilt, and a rerun after a crash continues where the earlier run stopped.
 *
 * Order of work, all in the caller's session (not a transaction):
 *   timeouts set → advisory lock on the index name → the table exists → the role may index it →
 *   the index's name is free or this table's → build (plain or per partition) → lock released,
 *   timeouts put back.
 */
import type pg from 'pg';
import { ApplyError, toApplyError } from './apply-errors.ts';
import { relationNamed, tableNamed } from './apply-catalog.ts';
import { checkIndexRights } from './index-rights.ts';
import { resolveSettings, withApplySession, type ApplySettings } from './apply-session.ts';
import { qualified, specOf } from './index-statements.ts';
import { applyPartitionedIndex } from './partitioned-index.ts';
import { applyPlainIndex } from './plain-index.ts';
import { StatementLog } from './statement-log.ts';

export interface AppliedIndex {
  /** The index, schema-qualified and quoted: `public.orders_customer_id_idx`. */
  index: string;
  /** Every statement that ran and changed the target, in order (catalog reads and session settings left out). */
  statements: string[];
  /** What undoes it; run it with rollbackIndex. */
  rollbackSql: string;
  /** A valid index of that name was already on the table: nothing ran. */
  alreadyPresent: boolean;
  /** Wall-clock time of the whole apply on the sidecar (performance.now()), lock waits included. */
  ms: number;
}

/**
 * Builds the recommended index `ddl` on the target without blocking its writes.
 *
 * @example
 *   const client = await pool.connect();
 *   try {
 *     const applied = await applyIndex(client, 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)');
 *     // { index: 'public.orders_customer_id_idx', statements: ['CREATE INDEX CONCURRENTLY …'],
 *     //   rollbackSql: 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx', alreadyPresent: false, ms: 812 }
 *   } catch (error) {
 *     if (error instanceof ApplyError && error.retryable) … // try again later
 *   } finally {
 *     client.release();
 *   }
 */
export async function applyIndex(target: pg.ClientBase, ddl: string, settings?: ApplySettings): Promise<AppliedIndex> {
  const started = performance.now();
  const resolved = resolveSettings(settings);
  const spec = specOf(ddl);
  const index = qualified(spec.schema, spec.index);
  const table = qualified(spec.schema, spec.table);
  const log = new StatementLog(target);
  try {
    return await withApplySession(target, index, resolved, async () => {
      const found = await tableNamed(target, table);
      if (!found) throw new ApplyError('table_missing', `the table ${table} no longer exists`);
      if (!['r', 'p', 'm'].includes(found.relkind)) throw new ApplyError('changed', `${table} is no longer a table (relkind '${found.relkind}')`);
      await checkIndexRights(target, found.oid);
      const existing = await relationNamed(target, spec.schema, spec.index);
      if (existing && existing.tableOid !== found.oid) {
        throw new ApplyError('changed', `${index} cannot be made on ${table}: ${existing.tableOid ? 'an index of that name is on another table' : 'another relation has that name'}`);
      }
      const partitioned = found.relkind === 'p';
      const alreadyPresent = partitioned ? await applyPartitionedIndex(target, log, spec, found.oid) : await applyPlainIndex(target, log, spec, found.oid);
      // A partitioned index cannot be dropped concurrently; DROP INDEX takes ACCESS EXCLUSIVE on the
      // parent and every partition for the (short) drop, and drops the partitions' indexes with it.
      const rollbackSql = `DROP INDEX ${partitioned ? '' : 'CONCURRENTLY '}IF EXISTS ${index}`;
      return { index, statements: log.statements, rollbackSql, alreadyPresent, ms: performance.now() - started };
    });
  } catch (error) {
    const applyError = toApplyError(error, { doing: `building ${index} on ${table}`, lockTimeoutMs: resolved.lockTimeoutMs });
    applyError.statements = log.statements;
    throw applyError;
  }
}

/** Re-exported so a caller imports the apply's API from this one module. */
export { ApplyError, type ApplySettings };
