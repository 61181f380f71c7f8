import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../sidecar/secrets/secret-box.ts';
import { makeTargetResolver } from '../../sidecar/worker/resolve-target.ts';
import { startWorker, type CollectorWorker } from '../../sidecar/worker/start-worker.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { addEnvTarget, callsOf, quietLogger, targetRow, waitFor } from './fixtures.ts';

describe('the collector worker (graphile-worker)', () => {
  let system: TestDatabase;
  let healthy: TestDatabase;
  let noStatistics: TestDatabase;
  let workerPool: pg.Pool;
  let worker: CollectorWorker | undefined;
  const downPassword = 'never-shown-secret';
  const targets: Record<'healthy' | 'noStatistics' | 'down', string> = { healthy: '', noStatistics: '', down: '' };

  beforeAll(async () => {
    system = await createTestDatabase({ migrated: true });
    healthy = await createTestDatabase();
    await healthy.pool.query('create extension pg_stat_statements');
    noStatistics = await createTestDatabase();
    targets.healthy = (await addEnvTarget(system.pool, healthy.url, { snapshotIntervalS: 1, activityIntervalS: 1 })).id;
    targets.noStatistics = (await addEnvTarget(system.pool, noStatistics.url, { snapshotIntervalS: 60 })).id;
    // Nothing listens on port 1 of the loopback: connection refused at once.
    targets.down = (await addEnvTarget(system.pool, `postgres://someone:${downPassword}@127.0.0.1:1/nowhere`, { snapshotIntervalS: 1 })).id;
    workerPool = new pg.Pool({ connectionString: system.url, max: 8 });
    workerPool.on('error', () => undefined);
  });
  afterAll(async () => {
    await worker?.stop();
    await workerPool?.end();
    await Promise.all([system?.close(), healthy?.close(), noStatistics?.close()]);
  });

  const snapshotsOf = (id: string) =>
    system.pool.query<{ n: number }>('select count(*)::int as n from optischema.snapshots where target_id = $1', [id]).then((r) => r.rows[0]!.n);

  it('collects each target on its own schedule, one pending job per target, a failing target not stopping the others', async () => {
    worker = await startWorker({
      pool: workerPool,
      resolveTarget: makeTargetResolver(workerPool, new SecretBox(randomBytes(32))),
      concurrency: 3,
      logger: quietLogger,
    });
    await waitFor('a first snapshot of the healthy target', async () => (await snapshotsOf(targets.healthy)) >= 1);
    // Calls made between two scheduled collections land in the next one.
    for (let i = 0; i < 4; i++) await healthy.pool.query('select $1::int as scheduled_probe', [i]);
    for (let i = 0; i < 3; i++) await healthy.pool.query('select pg_sleep(0.12) as slow_probe');
    const before = await snapshotsOf(targets.healthy);
    await waitFor('two more snapshots of the healthy target', async () => (await snapshotsOf(targets.healthy)) >= before + 2);
    await waitFor('the down target to be retried', async () => {
      const { rows } = await system.pool.query(`select attempts from graphile_worker.jobs where key = $1`, [`collect_target:${targets.down}`]);
      return rows[0]?.attempts >= 2;
    });
    await waitFor('an activity sample', async () =>
      (await system.pool.query('select 1 from optischema.activity_samples where target_id = $1', [targets.healthy])).rows.length > 0,
    );
    await worker.stop();
    worker = undefined;

    expect(await callsOf(system.pool, targets.healthy, '%scheduled_probe%')).toEqual([4]);
    expect((await targetRow(system.pool, targets.healthy)).status).toBe('ok');

    // Exactly one job per target and periodic task remains (the worker is stopped: none is running).
    const { rows: jobs } = await system.pool.query<{ task: string; target: string; n: number }>(
      // The private table: the public jobs view leaves payloads out; unkeyed duplicates would count here.
      `select t.identifier as task, j.payload->>'targetId' as target, count(*)::int as n
         from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier in ('collect_target', 'sample_activity')
        group by 1, 2 order by 1, 2`,
    );
    const expected = Object.values(targets).flatMap((id) => [
      { task: 'collect_target', target: id, n: 1 },
      { task: 'sample_activity', target: id, n: 1 },
    ]);
    expect(jobs).toEqual(expect.arrayContaining(expected));
    expect(jobs).toHaveLength(expected.length);

    // The unreachable target: status error, no password, never seen; its job retries with backoff.
    const down = await targetRow(system.pool, targets.down);
    expect(down.status).toBe('error');
    expect(down.status_message).toMatch(/cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere: connection refused/);
    expect(down.status_message).not.toContain(downPassword);
    expect(down.last_seen_at).toBeNull();
    const { rows: [downJob] } = await system.pool.query(
      `select attempts, last_error, run_at > now() as later from graphile_worker.jobs where key = $1`,
      [`collect_target:${targets.down}`],
    );
    expect(downJob.attempts).toBeGreaterThanOrEqual(2);
    expect(downJob.last_error).toMatch(/connection refused/);
    expect(downJob.later).toBe(true);

    // No statistics: a clear status, and the next run at the regular interval, not a retry loop.
    const quiet = await targetRow(system.pool, targets.noStatistics);
    expect(quiet.status).toBe('no_statistics');
    expect(quiet.status_message).toMatch(/CREATE EXTENSION pg_stat_statements/);
    const { rows: [quietJob] } = await system.pool.query(
      `select attempts, last_error, extract(epoch from run_at - now()) as due_in_s from graphile_worker.jobs where key = $1`,
      [`collect_target:${targets.noStatistics}`],
    );
    expect(quietJob.attempts).toBe(0);
    expect(quietJob.last_error).toBeNull();
    expect(Number(quietJob.due_in_s)).toBeGreaterThan(30);
    // pg_stat_activity needs no extension: that target is still sampled.
    expect((await system.pool.query('select 1 from optischema.activity_samples where target_id = $1', [targets.noStatistics])).rows).toHaveLength(1);
  });

  it('announces a newly slow query and hands it to advise_query, which captures its plan', async () => {
    const { rows: found } = await system.pool.query(
      `select f.reason from optischema.slow_queries_found f join optischema.query_texts q using (target_id, queryid)
        where f.target_id = $1 and q.query like '%slow_probe%'`,
      [targets.healthy],
    );
    expect(found).toEqual([{ reason: 'mean_time' }]);
    // Queued by find_slow_queries and completed (deleted) by the worker, which captured its plan.
    const { rows: left } = await system.pool.query(`select 1 from graphile_worker.jobs where task_identifier = 'advise_query'`);
    expect(left).toEqual([]);
    const { rows: plans } = await system.pool.query(
      `select p.kind from optischema.query_plans p join optischema.query_texts q using (target_id, queryid)
        where p.target_id = $1 and q.query like '%slow_probe%'`,
      [targets.healthy],
    );
    expect(plans.map((p) => p.kind)).toContain('generic');
  });

  it('on a restart, queues no second job for a target that has one', async () => {
    const { rows: before } = await system.pool.query(`select key from graphile_worker.jobs where key like 'collect_target:%' order by key`);
    worker = await startWorker({
      pool: workerPool,
      resolveTarget: makeTargetResolver(workerPool, new SecretBox(randomBytes(32))),
      logger: quietLogger,
    });
    await worker.stop();
    worker = undefined;
    const { rows: after } = await system.pool.query(
      `select key, count(*)::int as n from graphile_worker.jobs where key like 'collect_target:%' group by key order by key`,
    );
    expect(after.map((row) => row.n)).toEqual(before.map(() => 1));
  });
});
