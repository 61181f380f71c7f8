/**
 * INVALID indexes: what a CREATE INDEX CONCURRENTLY leaves behind when it fails or is cancelled
 * after its first phase (the catalog entry is committed before the build). An invalid index is
 * never used by queries but is still maintained on every write, so an apply never leaves one of
 * its own behind when it can help it, and drops one it finds before building again.
 */
import type pg from 'pg';
import { LeftoverError } from './apply-errors.ts';
import { relationNamed } from './apply-catalog.ts';
import { dropIndexSql } from './index-statements.ts';
import type { StatementLog } from './statement-log.ts';

export interface IndexAt {
  schema: string;
  index: string;
  tableOid: string;
}

/**
 * Drops `schema.index` when it is an INVALID plain index on the table `tableOid`, concurrently
 * (under the session's timeouts), and says whether it did. A valid one, or one on another table,
 * is left alone: it is not a leftover.
 */
export async function dropInvalidLeftover(target: pg.ClientBase, log: StatementLog, at: IndexAt): Promise<boolean> {
  const found = await relationNamed(target, at.schema, at.index);
  if (!found || found.relkind !== 'i' || found.tableOid !== at.tableOid || found.valid) return false;
  await log.run(dropIndexSql(at.schema, at.index, true));
  return true;
}

/**
 * Runs the CREATE INDEX CONCURRENTLY `sql`; when it fails, drops the invalid index it may have
 * left and rethrows its error (a LeftoverError when that drop failed too, e.g. the session was lost).
 */
export async function buildOrCleanUp(target: pg.ClientBase, log: StatementLog, sql: string, at: IndexAt): Promise<void> {
  try {
    await log.run(sql);
  } catch (error) {
    try {
      await dropInvalidLeftover(target, log, at);
    } catch (cleanup) {
      throw new LeftoverError(error, cleanup);
    }
    throw error;
  }
}
