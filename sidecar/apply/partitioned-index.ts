/**
 * The index on a partitioned table, built partition by partition so that no partition is locked
 * against writes while its index is built. PostgreSQL cannot CREATE INDEX CONCURRENTLY on a
 * partitioned table, and a plain CREATE INDEX on it holds SHARE on every partition (blocking all
 * writes) for the whole build. Instead (PostgreSQL's documented procedure, CREATE INDEX § "Building
 * Indexes Concurrently"):
 *
 *   CREATE INDEX IF NOT EXISTS <index> ON ONLY <parent> …     -- an empty, INVALID partitioned index
 *   for each partition:
 *     a leaf:         CREATE INDEX CONCURRENTLY <child index> ON <leaf> …
 *                     ALTER INDEX <index> ATTACH PARTITION <child index>
 *     a partitioned:  the same, recursively (ON ONLY, its partitions, then ATTACH)
 *
 * Brief locks remain: ON ONLY takes SHARE on the parent table (writes through the parent wait for
 * that instant; it builds nothing), and ATTACH PARTITION takes ACCESS EXCLUSIVE on the child index
 * for an instant. Both waits are bounded by lock_timeout.
 *
 * Child index names are deterministic (childIndexName), so a rerun after a failure or a crash finds
 * the valid, attached child indexes of the earlier run and continues from there; only the leaf
 * build that failed is dropped (it is invalid), the rest is kept.
 */
import type pg from 'pg';
import { ApplyError } from './apply-errors.ts';
import { isIndexValid, partitionsOf, relationNamed, type IndexFacts } from './apply-catalog.ts';
import { attachIndexSql, childIndexName, createIndexSql, qualified, type IndexSpec } from './index-statements.ts';
import { buildOrCleanUp, dropInvalidLeftover } from './invalid-leftover.ts';
import type { StatementLog } from './statement-log.ts';

interface Table {
  oid: string;
  schema: string;
  table: string;
}

interface Run {
  target: pg.ClientBase;
  log: StatementLog;
  spec: IndexSpec;
  /** The recommended index, qualified: the seed of every child index name. */
  root: string;
}

/**
 * Builds `spec` on the partitioned table `tableOid` and all its partitions; returns true when its
 * index was already there and valid (then runs nothing). An invalid index of its name on this
 * table is an earlier run's, unfinished: it is kept and completed, not dropped.
 */
export async function applyPartitionedIndex(target: pg.ClientBase, log: StatementLog, spec: IndexSpec, tableOid: string): Promise<boolean> {
  const found = await relationNamed(target, spec.schema, spec.index);
  if (found?.valid) return true;
  const run: Run = { target, log, spec, root: qualified(spec.schema, spec.index) };
  const oid = await ensurePartitionedIndex(run, { oid: tableOid, schema: spec.schema, table: spec.table }, spec.index, found);
  // Nothing here sets indisvalid: ATTACH PARTITION marks a partitioned index valid by itself once
  // every partition has a valid index attached, and that propagates up the levels (PostgreSQL's
  // validatePartitionedIndex). This checks that it did, e.g. that no partition was added meanwhile.
  if (!(await isIndexValid(target, oid))) {
    throw new ApplyError('failed', `the index ${run.root} is still invalid after every partition's index was attached: a partition was probably added during the apply; retry`, { retryable: true });
  }
  return false;
}

/** The index `name` on the partitioned table `table`, ON ONLY first, then one per partition. Returns its oid. */
async function ensurePartitionedIndex(run: Run, table: Table, name: string, found: IndexFacts | null): Promise<string> {
  if (found?.valid) return found.oid;
  if (!found) {
    await run.log.run(createIndexSql(run.spec, { schema: table.schema, table: table.table, index: name }, 'only'));
    found = await relationNamed(run.target, table.schema, name);
    if (!found) throw new Error(`${qualified(table.schema, name)} was created but cannot be found`);
  }
  const parent = { schema: table.schema, index: name, oid: found.oid };
  for (const partition of await partitionsOf(run.target, table.oid)) {
    await ensurePartitionIndex(run, parent, partition);
  }
  return found.oid;
}

/** One partition's index, built or found, then attached to `parent`'s index. */
async function ensurePartitionIndex(run: Run, parent: { schema: string; index: string; oid: string }, partition: Table & { relkind: string }): Promise<void> {
  const name = childIndexName(run.root, partition.schema, partition.table);
  const where = `${qualified(partition.schema, name)} (the index of ${run.root} on the partition ${qualified(partition.schema, partition.table)})`;
  const found = await relationNamed(run.target, partition.schema, name);
  if (found && found.tableOid !== partition.oid) throw new ApplyError('changed', `${where} cannot be made: another relation has that name`);
  if (found?.parentIndexOid && found.parentIndexOid !== parent.oid) throw new ApplyError('changed', `${where} is attached to another index`);
  if (partition.relkind === 'p') {
    await ensurePartitionedIndex(run, partition, name, found);
  } else if (partition.relkind === 'r') {
    if (!found?.valid) {
      const at = { schema: partition.schema, index: name, tableOid: partition.oid };
      if (found) await dropInvalidLeftover(run.target, run.log, at);
      await buildOrCleanUp(run.target, run.log, createIndexSql(run.spec, { schema: partition.schema, table: partition.table, index: name }, 'concurrently'), at);
    }
  } else {
    throw new ApplyError('failed', `${where} cannot be built: the partition is not a table (relkind '${partition.relkind}', e.g. a foreign table)`);
  }
  if (found?.parentIndexOid !== parent.oid) await run.log.run(attachIndexSql(parent, { schema: partition.schema, index: name }));
}
