/**
 * The index on a plain table (or a leaf partition, or a materialized view): one CREATE INDEX
 * CONCURRENTLY, which takes SHARE UPDATE EXCLUSIVE on the table. That lock conflicts with VACUUM,
 * ANALYZE, DDL and other index builds, never with reads or writes: the application keeps running
 * while the index is built, and only the apply waits (bounded by lock_timeout) for those.
 */
import type pg from 'pg';
import { relationNamed } from './apply-catalog.ts';
import { createIndexSql, type IndexSpec } from './index-statements.ts';
import { buildOrCleanUp, dropInvalidLeftover } from './invalid-leftover.ts';
import type { StatementLog } from './statement-log.ts';

/**
 * Builds `spec` on the table `tableOid` unless a valid index of its name is there already (then
 * returns true and runs nothing). An INVALID one of its name is dropped first: it is what a killed
 * or failed build left behind. The caller has checked that an index of that name, if any, is on
 * this table.
 */
export async function applyPlainIndex(target: pg.ClientBase, log: StatementLog, spec: IndexSpec, tableOid: string): Promise<boolean> {
  const found = await relationNamed(target, spec.schema, spec.index);
  if (found?.valid) return true;
  const at = { schema: spec.schema, index: spec.index, tableOid };
  if (found) await dropInvalidLeftover(target, log, at);
  await buildOrCleanUp(target, log, createIndexSql(spec, spec, 'concurrently'), at);
  return false;
}
