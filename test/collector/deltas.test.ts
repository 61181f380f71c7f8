import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../sidecar/cli/commands/migrate.ts';
import { runCli } from '../support/cli.ts';
import { privateCluster } from '../support/cluster.ts';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database.ts';

const snapshot = (db: pg.Pool | pg.Client) => db.query('select * from optischema.snapshot()').then((r) => r.rows[0]);

async function historyOf(db: pg.Pool, textLike: string) {
  const { rows } = await db.query(
    `select h.calls::int, h.reset, h.rows::int from optischema.statement_history h
       join optischema.query_texts q on q.target_id = h.target_id and q.queryid = h.queryid
      where q.query like $1 order by h.id`,
    [textLike],
  );
  return rows as { calls: number; reset: boolean; rows: number }[];
}

describe('optischema.snapshot(): pg_stat_statements as per-interval deltas', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
  });
  afterAll(async () => {
    await db.close();
  });

  it('sets a baseline first, then records exactly the calls made between two snapshots', async () => {
    const first = await snapshot(db.pool);
    expect(first.changed).toBe(0);
    expect(await db.pool.query('select count(*)::int as n from optischema.statement_history').then((r) => r.rows[0].n)).toBe(0);
    for (let i = 0; i < 7; i++) await db.pool.query('select $1::int + 4242 as known_probe', [i]);
    await snapshot(db.pool);
    expect(await historyOf(db.pool, '%known_probe%')).toEqual([{ calls: 7, reset: false, rows: 7 }]);
    for (let i = 0; i < 3; i++) await db.pool.query('select $1::int + 4242 as known_probe', [i]);
    await snapshot(db.pool);
    expect(await historyOf(db.pool, '%known_probe%')).toEqual([
      { calls: 7, reset: false, rows: 7 },
      { calls: 3, reset: false, rows: 3 },
    ]);
  });

  it('stores nothing for statements whose calls did not grow, and keeps one text per query id', async () => {
    await db.pool.query('select 1 as idle_probe');
    await snapshot(db.pool);
    const before = await historyOf(db.pool, '%idle_probe%');
    await snapshot(db.pool);
    expect(await historyOf(db.pool, '%idle_probe%')).toEqual(before);
    const texts = await db.pool.query(`select count(*)::int as n from optischema.query_texts where query like '%idle_probe%'`);
    expect(texts.rows[0].n).toBe(1);
  });

  it('only this database: statements of other databases on the server are not mixed in', async () => {
    const other = await createTestDatabase();
    try {
      for (let i = 0; i < 5; i++) await other.pool.query('select $1::int as elsewhere_probe', [i]);
      await snapshot(db.pool);
      expect(await historyOf(db.pool, '%elsewhere_probe%')).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('`optischema snapshot` takes one and says what it recorded', async () => {
    // Column aliases do not change a query id: a table of its own makes the statement distinct.
    await db.pool.query('create table cli_probe (id int)');
    await db.pool.query('select count(*) from cli_probe');
    const result = await runCli(['snapshot', '--db', db.url, '--json']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ resets: 0 });
    expect(await historyOf(db.pool, 'select count(*) from cli_probe')).toEqual([{ calls: 1, reset: false, rows: 1 }]);
    const text = await runCli(['snapshot', '--db', db.url]);
    expect(text.stdout).toMatch(/^snapshot \d+: \d+ statements, \d+ changed, 0 reset, \d+ newly slow, [\d.]+ ms\n$/);
  });

  it('answers top_queries and query_history from the history', async () => {
    const top = await db.pool.query(`select queryid, calls::int from optischema.top_queries('1 hour', 'calls') where query like '%known_probe%'`);
    expect(top.rows).toHaveLength(1);
    expect(top.rows[0].calls).toBe(10);
    const history = await db.pool.query('select calls::int from optischema.query_history($1)', [top.rows[0].queryid]);
    expect(history.rows.map((r) => r.calls)).toEqual([7, 3]);
    await expect(db.pool.query(`select * from optischema.top_queries('1 hour', 'bogus')`)).rejects.toThrow(/order_by must be one of/);
  });
});

describe('slow queries', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
  });
  afterAll(async () => {
    await db.close();
  });

  it('a newly slow query becomes a finding, fires NOTIFY optischema_events and queues the analyzer job', async () => {
    const { runMigrations: workerMigrations } = await import('graphile-worker');
    await workerMigrations({ connectionString: db.url });
    await snapshot(db.pool);
    const target = (await db.pool.query('select optischema.local_target() as id')).rows[0].id;
    await db.pool.query('update optischema.targets set slow_threshold_ms = 15, slow_min_calls = 3 where id = $1', [target]);

    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (message) => heard.push(message.payload ?? ''));
    await listener.query('listen optischema_events');
    try {
      for (let i = 0; i < 3; i++) await db.pool.query('select pg_sleep(0.02), $1::int as slow_probe', [i]);
      await db.pool.query('select 1 as fast_probe');
      const result = await snapshot(db.pool);
      expect(result.new_slow_queries).toBe(1);
      const found = await db.pool.query(`select queryid::text, query, reason, calls::int from optischema.slow_queries`);
      expect(found.rows).toHaveLength(1);
      expect(found.rows[0]).toMatchObject({ reason: 'mean_time', calls: 3 });
      expect(found.rows[0].query).toContain('slow_probe');
      await expect.poll(() => heard.length).toBe(1);
      expect(JSON.parse(heard[0]!)).toEqual({ kind: 'slow_query', target, queryid: found.rows[0].queryid });
      // The public jobs view leaves the payload out; read it where graphile-worker keeps it.
      const jobs = await db.pool.query(
        `select t.identifier as task_identifier, j.payload
           from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id`,
      );
      expect(jobs.rows).toEqual([{ task_identifier: 'advise_query', payload: { target, queryid: found.rows[0].queryid } }]);
      // Still slow at the next snapshot: not new, so no second announcement or job.
      await snapshot(db.pool);
      expect((await db.pool.query('select count(*)::int as n from graphile_worker.jobs')).rows[0].n).toBe(1);
      expect(heard).toHaveLength(1);
    } finally {
      await listener.end();
    }
  });
});

describe('resets and evictions (a cluster of its own: resetting statistics would disturb other tests)', () => {
  let server: Awaited<ReturnType<typeof privateCluster>>;
  beforeAll(async () => {
    server = await privateCluster();
    await runMigrations(server.url);
  });
  afterAll(async () => {
    await server.close();
  });

  it('after pg_stat_statements_reset() no delta is negative and the reset is recorded', async () => {
    await withClient(server.url, async (client) => {
      await snapshot(client);
      for (let i = 0; i < 6; i++) await client.query('select $1::int as reset_probe', [i]);
      await snapshot(client);
      // Another tool resets the statistics (OptiSchema never does).
      await client.query('select pg_stat_statements_reset()');
      for (let i = 0; i < 2; i++) await client.query('select $1::int as reset_probe', [i]);
      const after = await snapshot(client);
      expect(after.resets).toBeGreaterThan(0);
      const { rows } = await client.query(
        `select h.calls::int, h.reset from optischema.statement_history h
           join optischema.query_texts q on q.target_id = h.target_id and q.queryid = h.queryid
          where q.query like '%reset_probe%' order by h.id`,
      );
      expect(rows).toEqual([
        { calls: 6, reset: false },
        { calls: 2, reset: true },
      ]);
      const negative = await client.query('select count(*)::int as n from optischema.statement_history where calls < 0 or total_exec_time < 0');
      expect(negative.rows[0].n).toBe(0);
      const snapshots = await client.query('select stats_was_reset from optischema.snapshots order by id');
      expect(snapshots.rows.map((r) => r.stats_was_reset)).toEqual([false, false, true]);
    });
  });
});
