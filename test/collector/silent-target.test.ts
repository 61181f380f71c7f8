import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../sidecar/secrets/secret-box.ts';
import { makeTargetResolver } from '../../sidecar/worker/resolve-target.ts';
import { startWorker, type CollectorWorker } from '../../sidecar/worker/start-worker.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { neverAnswering, setTargetSettingsEnv, silentAfterStartup, type SilentTarget } from '../support/silent-target.ts';
import { addEnvTarget, quietLogger, targetRow, waitFor } from './fixtures.ts';

/**
 * A target that stops answering used to hold its worker slot for ever (no client-side timeout, no
 * keepalive): with one slot, one such target stopped all collection. Here the worker has one slot,
 * and the bounds are made small through target-settings.ts's environment variables.
 */
describe('a target that stops answering', () => {
  let system: TestDatabase;
  let healthy: TestDatabase;
  let deaf: SilentTarget;
  let silent: SilentTarget;
  let workerPool: pg.Pool;
  let worker: CollectorWorker | undefined;
  const ids = { healthy: '', deaf: '', silent: '' };
  let restoreEnv = () => {};

  beforeAll(async () => {
    restoreEnv = setTargetSettingsEnv({ connectTimeoutMs: 1000, queryTimeoutMs: 2000 });
    system = await createTestDatabase({ migrated: true });
    healthy = await createTestDatabase();
    await healthy.pool.query('create extension pg_stat_statements');
    deaf = await neverAnswering();
    silent = await silentAfterStartup(healthy.url);
    ids.healthy = (await addEnvTarget(system.pool, healthy.url, { snapshotIntervalS: 1, activityIntervalS: 60 })).id;
    ids.deaf = (await addEnvTarget(system.pool, deaf.url, { snapshotIntervalS: 1, activityIntervalS: 60 })).id;
    ids.silent = (await addEnvTarget(system.pool, silent.url, { snapshotIntervalS: 1, activityIntervalS: 60 })).id;
    workerPool = new pg.Pool({ connectionString: system.url, max: 4 });
    workerPool.on('error', () => undefined);
  });
  afterAll(async () => {
    await worker?.stop();
    await workerPool?.end();
    await Promise.all([deaf?.close(), silent?.close()]);
    await Promise.all([system?.close(), healthy?.close()]);
    restoreEnv();
  });

  const jobOf = async (id: string) =>
    (await system.pool.query<{ attempts: number; last_error: string | null; locked_at: Date | null }>(
      `select attempts, last_error, locked_at from graphile_worker.jobs where key = $1`,
      [`collect_target:${id}`],
    )).rows[0];
  const snapshotsOf = async (id: string) =>
    (await system.pool.query<{ n: number }>('select count(*)::int as n from optischema.snapshots where target_id = $1', [id])).rows[0]!.n;

  it('fails its job with a timeout on every attempt while the one worker slot goes on collecting the others', async () => {
    worker = await startWorker({
      pool: workerPool,
      resolveTarget: makeTargetResolver(workerPool, new SecretBox(randomBytes(32))),
      concurrency: 1,
      logger: quietLogger,
    });
    // Each failed attempt ends (attempts grows), so the slot comes back; the retries reconnect.
    await waitFor('two failed attempts on the silent target', async () => ((await jobOf(ids.silent))?.attempts ?? 0) >= 2);
    await waitFor('two failed attempts on the deaf target', async () => ((await jobOf(ids.deaf))?.attempts ?? 0) >= 2);
    const before = await snapshotsOf(ids.healthy);
    await waitFor('two more snapshots of the healthy target', async () => (await snapshotsOf(ids.healthy)) >= before + 2);
    await worker.stop();
    worker = undefined;

    // Mid-session silence: the client query timeout, one clear line.
    const silentJob = (await jobOf(ids.silent))!;
    expect(silentJob.last_error).toMatch(/the target stopped answering: no reply within 2 s \(client query timeout, OPTISCHEMA_TARGET_QUERY_TIMEOUT_MS\)/);
    expect(silentJob.locked_at).toBeNull();
    const silentRow = await targetRow(system.pool, ids.silent);
    expect(silentRow.status).toBe('error');
    expect(silentRow.status_message).toMatch(/stopped answering/);
    expect(silent.connections).toBeGreaterThanOrEqual(2);
    // The sessions that timed out were closed, not left open on the silent server.
    await waitFor('the silent sessions to be closed', async () => silent.open === 0, 5_000);

    // TCP accepted, startup never answered: the connect timeout, password hidden.
    const deafJob = (await jobOf(ids.deaf))!;
    expect(deafJob.last_error).toMatch(/cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:\d+\/nowhere: timed out: no answer within the connect timeout/);
    expect(deafJob.last_error).not.toContain('never-shown');
    expect(deafJob.locked_at).toBeNull();
    expect((await targetRow(system.pool, ids.deaf)).status).toBe('error');

    expect((await targetRow(system.pool, ids.healthy)).status).toBe('ok');
  });
});
