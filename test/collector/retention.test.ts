import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { addEnvTarget } from './fixtures.ts';

describe('optischema.apply_retention()', () => {
  let db: TestDatabase;
  let target: string;
  let other: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    // Only history rows are inserted here: the targets are never connected to.
    target = (await addEnvTarget(db.pool, 'postgres://unused@127.0.0.1:1/unused')).id;
    other = (await addEnvTarget(db.pool, 'postgres://unused@127.0.0.1:1/unused')).id;
    await db.pool.query(`update optischema.targets set raw_retention = '30 days' where id = $1`, [other]);
    // Snapshots 8 days ago (two in one hour, one in the next), 91 days ago, and 1 hour ago.
    await db.pool.query(
      `with t as (select id, tenant_id from optischema.targets where id = any($1::uuid[])),
            at as (select unnest(array[
              date_trunc('hour', now() - interval '8 days') + interval '10 minutes',
              date_trunc('hour', now() - interval '8 days') + interval '40 minutes',
              date_trunc('hour', now() - interval '8 days') + interval '70 minutes',
              now() - interval '1 hour']) as captured_at)
       insert into optischema.snapshots (tenant_id, target_id, captured_at, statements, changed, resets)
       select t.tenant_id, t.id, at.captured_at, 0, 0, 0 from t cross join at`,
      [[target, other]],
    );
    // Two query ids per snapshot with known counters: calls = 10 + minute-of-day share, easy sums below.
    await db.pool.query(
      `insert into optischema.statement_history (tenant_id, target_id, snapshot_id, captured_at, dbid, userid, queryid, toplevel,
         calls, total_exec_time, rows, shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
         local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written)
       select s.tenant_id, s.target_id, s.id, s.captured_at, 1, 10, q.queryid, true,
              q.calls, q.calls * 1.5, q.calls * 2, 100, 7, 0, 0, 0, 0, 0, 0, 0, 3
       from optischema.snapshots s cross join (values (111::bigint, 5), (222::bigint, 9)) q(queryid, calls)`,
    );
    await db.pool.query(
      `insert into optischema.table_history (tenant_id, target_id, snapshot_id, captured_at, relid, schema_name, table_name, seq_scan)
       select tenant_id, target_id, id, captured_at, 16384, 'public', 'things', 1 from optischema.snapshots`,
    );
    await db.pool.query(
      `insert into optischema.index_history (tenant_id, target_id, snapshot_id, captured_at, indexrelid, schema_name, table_name, index_name, idx_scan)
       select tenant_id, target_id, id, captured_at, 16390, 'public', 'things', 'things_pkey', 1 from optischema.snapshots`,
    );
    await db.pool.query(
      `insert into optischema.activity_samples (tenant_id, target_id, captured_at, active, idle, idle_in_transaction,
         idle_in_transaction_aborted, waiting, connections, max_connections)
       select tenant_id, target_id, captured_at, 1, 1, 0, 0, '{}', 2, 100 from optischema.snapshots`,
    );
    // An hourly row already there for the first old hour (an earlier run): the rollup adds to it.
    // And one beyond the 90-day hourly retention.
    await db.pool.query(
      `insert into optischema.statement_hourly (tenant_id, target_id, hour, queryid, calls, total_exec_time, rows,
         shared_blks_hit, shared_blks_read, temp_blks_written)
       select tenant_id, id, h.hour, 111, 1000, 1000, 1000, 1000, 1000, 1000 from optischema.targets,
         (values (date_trunc('hour', now() - interval '8 days')), (date_trunc('hour', now() - interval '91 days'))) h(hour)
       where id = $1`,
      [target],
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  const count = (table: string, id: string) =>
    db.pool.query<{ n: number }>(`select count(*)::int as n from optischema.${table} where target_id = $1`, [id]).then((r) => r.rows[0]!.n);

  it('rolls expired raw statement rows into hourly sums, deletes expired rows in batches, keeps recent ones', async () => {
    // A batch of 2 rows makes every delete loop several times.
    const { rows } = await db.pool.query('select target_id, rolled_up, deleted_raw, deleted_hourly from optischema.apply_retention(2)');
    const mine = rows.find((row) => row.target_id === target);
    // Raw: 6 statement rows, 3 table, 3 index, 3 activity rows, 3 snapshots (the newest is 1 hour old).
    // All 6 statement rows rolled up (into 2 query ids × 2 hours); the 91-day-old hourly row deleted.
    expect(mine).toEqual({ target_id: target, rolled_up: 6, deleted_raw: 18, deleted_hourly: 1 });

    const { rows: hourly } = await db.pool.query(
      `select extract(epoch from now() - hour)::int / 3600 as hours_ago, queryid::int, calls::int, total_exec_time, rows::int,
              shared_blks_hit::int, shared_blks_read::int, temp_blks_written::int
         from optischema.statement_hourly where target_id = $1 order by hour, queryid`,
      [target],
    );
    const first = hourly.filter((row) => row.hours_ago === hourly[0].hours_ago);
    const second = hourly.filter((row) => row.hours_ago !== hourly[0].hours_ago);
    // First old hour: two snapshots (+ the 1000s already there for query 111); second hour: one.
    expect(first).toEqual([
      expect.objectContaining({ queryid: 111, calls: 1010, total_exec_time: 1015, rows: 1020, shared_blks_hit: 1200, shared_blks_read: 1014, temp_blks_written: 1006 }),
      expect.objectContaining({ queryid: 222, calls: 18, total_exec_time: 27, rows: 36, shared_blks_hit: 200, shared_blks_read: 14, temp_blks_written: 6 }),
    ]);
    expect(second).toEqual([
      expect.objectContaining({ queryid: 111, calls: 5, total_exec_time: 7.5, rows: 10 }),
      expect.objectContaining({ queryid: 222, calls: 9, total_exec_time: 13.5, rows: 18 }),
    ]);

    // What is left is the recent hour's raw rows.
    expect(await count('statement_history', target)).toBe(2);
    expect(await count('table_history', target)).toBe(1);
    expect(await count('index_history', target)).toBe(1);
    expect(await count('activity_samples', target)).toBe(1);
    expect(await count('snapshots', target)).toBe(1);
  });

  it('follows each target own retention', async () => {
    // 30 days of raw retention: nothing of the other target was old enough.
    expect(await count('statement_history', other)).toBe(8);
    expect(await count('snapshots', other)).toBe(4);
    expect(await count('statement_hourly', other)).toBe(0);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const before = await db.pool.query(`select * from optischema.statement_hourly order by target_id, hour, queryid`);
    const { rows } = await db.pool.query('select * from optischema.apply_retention()');
    expect(rows.every((row) => row.rolled_up === 0 && row.deleted_raw === 0 && row.deleted_hourly === 0)).toBe(true);
    expect((await db.pool.query(`select * from optischema.statement_hourly order by target_id, hour, queryid`)).rows).toEqual(before.rows);
  });

  it('keeps a target newest snapshot however old, for the next delta', async () => {
    await db.pool.query(`delete from optischema.snapshots where target_id = $1 and captured_at > now() - interval '1 day'`, [target]);
    await db.pool.query(
      `insert into optischema.snapshots (tenant_id, target_id, captured_at, statements, changed, resets)
       select tenant_id, id, now() - interval '20 days', 0, 0, 0 from optischema.targets where id = $1`,
      [target],
    );
    await db.pool.query('select * from optischema.apply_retention()');
    expect(await count('snapshots', target)).toBe(1);
  });

  it('refuses a batch size that is not positive', async () => {
    await expect(db.pool.query('select * from optischema.apply_retention(0)')).rejects.toThrow(/p_batch must be a positive/);
  });
});
