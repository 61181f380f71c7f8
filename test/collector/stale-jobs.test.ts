import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runMigrations } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../sidecar/secrets/secret-box.ts';
import { makeTargetResolver } from '../../sidecar/worker/resolve-target.ts';
import { WORKER_POOL_LOCK_CLASS } from '../../sidecar/worker/stale-jobs.ts';
import { startWorker, type CollectorWorker } from '../../sidecar/worker/start-worker.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { addEnvTarget, quietLogger, waitFor } from './fixtures.ts';

/**
 * A sidecar killed mid-job leaves its job locked; graphile-worker alone frees it after 4 hours.
 * Here three collect_target jobs are locked by hand, as worker pools would: one by a pool that is
 * gone (nobody holds its lock), one by a pool that is alive (this test's session holds its lock),
 * one by a gone pool a moment ago (within the grace). Only the first may run.
 */
describe('jobs left locked by a dead sidecar', () => {
  let system: TestDatabase;
  let target: TestDatabase;
  let workerPool: pg.Pool;
  let alive: pg.Client;
  let worker: CollectorWorker | undefined;
  const ids = { dead: '', alive: '', recent: '' };

  beforeAll(async () => {
    system = await createTestDatabase({ migrated: true });
    target = await createTestDatabase();
    await target.pool.query('create extension pg_stat_statements');
    for (const which of ['dead', 'alive', 'recent'] as const) {
      ids[which] = (await addEnvTarget(system.pool, target.url, { snapshotIntervalS: 3600, activityIntervalS: 3600 })).id;
    }
    workerPool = new pg.Pool({ connectionString: system.url, max: 6 });
    workerPool.on('error', () => undefined);
    workerPool.on('connect', (client) => client.on('error', () => undefined));
    await runMigrations({ pgPool: workerPool, logger: quietLogger });
    const lock = async (targetId: string, poolId: string, lockedAt: string) => {
      await system.pool.query(`select graphile_worker.add_job('collect_target', json_build_object('targetId', $1::text), job_key := 'collect_target:' || $1)`, [targetId]);
      await system.pool.query(
        `update graphile_worker._private_jobs set locked_by = $2, locked_at = now() - $3::interval, attempts = 1 where key = 'collect_target:' || $1`,
        [targetId, poolId, lockedAt],
      );
    };
    await lock(ids.dead, 'pool-killed0000000000', '1 hour');
    await lock(ids.alive, 'pool-alive00000000000', '1 hour');
    await lock(ids.recent, 'pool-killed1111111111', '5 seconds');
    alive = new pg.Client({ connectionString: system.url });
    await alive.connect();
    await alive.query('select pg_advisory_lock($1, hashtext($2))', [WORKER_POOL_LOCK_CLASS, 'pool-alive00000000000']);
  });
  afterAll(async () => {
    await worker?.stop();
    await alive?.end();
    await workerPool?.end();
    await Promise.all([system?.close(), target?.close()]);
  });

  const snapshotsOf = async (id: string) =>
    (await system.pool.query<{ n: number }>('select count(*)::int as n from optischema.snapshots where target_id = $1', [id])).rows[0]!.n;
  const lockOf = async (id: string) =>
    (await system.pool.query<{ locked_by: string | null }>(`select locked_by from graphile_worker._private_jobs where key = $1`, [`collect_target:${id}`])).rows[0]?.locked_by;

  it('runs the dead pool\'s job after start, and leaves a live pool\'s and a fresh lock alone', async () => {
    worker = await startWorker({
      pool: workerPool,
      resolveTarget: makeTargetResolver(workerPool, new SecretBox(randomBytes(32))),
      concurrency: 2,
      logger: quietLogger,
    });
    await waitFor('the dead pool\'s job to run', async () => (await snapshotsOf(ids.dead)) === 1);
    // Unlocked at start in the same pass that looked at the other two.
    expect(await lockOf(ids.alive)).toBe('pool-alive00000000000');
    expect(await lockOf(ids.recent)).toBe('pool-killed1111111111');
    expect(await snapshotsOf(ids.alive)).toBe(0);
    expect(await snapshotsOf(ids.recent)).toBe(0);

    // The running sidecar holds its own pool's lock, so its jobs are not taken for a dead one's.
    const { rows } = await system.pool.query<{ n: number }>(
      `select count(*)::int as n from pg_locks l
        where l.locktype = 'advisory' and l.classid = $1::int::oid and l.objsubid = 2 and l.granted
          and l.database = (select oid from pg_database where datname = current_database())`,
      [WORKER_POOL_LOCK_CLASS],
    );
    expect(rows[0]!.n).toBe(2); // this test's 'alive' pool and the worker's
  });
});
