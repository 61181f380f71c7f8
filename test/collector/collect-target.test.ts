import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectionError } from '../../sidecar/collector/collection-errors.ts';
import { collectTarget } from '../../sidecar/collector/collect-target.ts';
import { sampleActivity } from '../../sidecar/collector/sample-activity.ts';
import { SecretBox } from '../../sidecar/secrets/secret-box.ts';
import { makeTargetResolver } from '../../sidecar/worker/resolve-target.ts';
import { privateCluster } from '../support/cluster.ts';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database.ts';
import { addEnvTarget, callsOf, targetRow } from './fixtures.ts';

const remote = (url: string) => ({ kind: 'remote', url }) as const;

describe('collectTarget: a remote target through the same read_* and record_* functions', () => {
  let system: TestDatabase;
  let target: TestDatabase;
  let noStatistics: TestDatabase;
  beforeAll(async () => {
    system = await createTestDatabase({ migrated: true });
    // Databases without OptiSchema's schema; the first has pg_stat_statements created, the second not.
    target = await createTestDatabase();
    await target.pool.query('create extension pg_stat_statements');
    noStatistics = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all([system?.close(), target?.close(), noStatistics?.close()]);
  });

  it('has no OptiSchema schema on the remote target', async () => {
    const { rows } = await target.pool.query(`select to_regnamespace('optischema') as schema`);
    expect(rows[0].schema).toBeNull();
  });

  it('records exactly the calls made on the target between two collections', async () => {
    const { id } = await addEnvTarget(system.pool, target.url);
    // Resolved as the worker resolves it: secret_ref env:NAME, the URL from this process's environment.
    const url = await makeTargetResolver(system.pool, new SecretBox(randomBytes(32)))(id);
    expect(url).toBe(target.url);
    const first = await collectTarget({ system: system.pool }, id, remote(url!));
    expect(first).toMatchObject({ kind: 'collected', changed: 0 });
    const N = 11;
    for (let i = 0; i < N; i++) await target.pool.query('select $1::int * 7 as remote_known_probe', [i]);
    const second = await collectTarget({ system: system.pool }, id, remote(target.url));
    expect(second.kind).toBe('collected');
    expect(await callsOf(system.pool, id, '%remote_known_probe%')).toEqual([N]);
    // One query id, its text stored once, and the history says which snapshot it came from.
    const { rows } = await system.pool.query(
      `select count(distinct h.queryid)::int as ids, count(distinct h.snapshot_id)::int as snapshots
         from optischema.statement_history h join optischema.query_texts q using (target_id, queryid)
        where h.target_id = $1 and q.query like '%remote_known_probe%'`,
      [id],
    );
    expect(rows[0]).toEqual({ ids: 1, snapshots: 1 });
    const status = await targetRow(system.pool, id);
    expect(status.status).toBe('ok');
    expect(status.last_seen_at).not.toBeNull();
    // Table statistics of the target arrive through record_relations too.
    await target.pool.query('create table remote_things (id int primary key)');
    await collectTarget({ system: system.pool }, id, remote(target.url));
    await withClient(target.url, async (client) => {
      await client.query('insert into remote_things select generate_series(1, 5)');
      // Backends flush table statistics lazily (up to seconds later); this one flushes when it goes idle.
      await client.query('select pg_stat_force_next_flush()');
      await client.query('select 1');
    });
    await collectTarget({ system: system.pool }, id, remote(target.url));
    const tables = await system.pool.query(
      `select n_tup_ins::int from optischema.table_history where target_id = $1 and table_name = 'remote_things'`,
      [id],
    );
    expect(tables.rows).toEqual([{ n_tup_ins: 5 }]);
  });

  it('collects only what the target database ran, not the rest of the cluster', async () => {
    const { id } = await addEnvTarget(system.pool, target.url);
    await collectTarget({ system: system.pool }, id, remote(target.url));
    for (let i = 0; i < 3; i++) await system.pool.query('select $1::int as elsewhere_remote_probe', [i]);
    await collectTarget({ system: system.pool }, id, remote(target.url));
    expect(await callsOf(system.pool, id, '%elsewhere_remote_probe%')).toEqual([]);
  });

  it('gives a target without pg_stat_statements the status no_statistics with the fix, and does not throw', async () => {
    const { id } = await addEnvTarget(system.pool, noStatistics.url);
    const outcome = await collectTarget({ system: system.pool }, id, remote(noStatistics.url));
    expect(outcome.kind).toBe('no_statistics');
    const status = await targetRow(system.pool, id);
    expect(status.status).toBe('no_statistics');
    expect(status.status_message).toMatch(/CREATE EXTENSION pg_stat_statements/);
    expect(status.status_message).not.toMatch(/\n/);
    expect(await system.pool.query('select count(*)::int as n from optischema.snapshots where target_id = $1', [id]).then((r) => r.rows[0].n)).toBe(0);
  });

  it('collects the local target with optischema.snapshot()', async () => {
    const { rows: [local] } = await system.pool.query<{ id: string }>('select optischema.local_target() as id');
    const outcome = await collectTarget({ system: system.pool }, local!.id, { kind: 'local' });
    expect(outcome.kind).toBe('collected');
    expect((await targetRow(system.pool, local!.id)).status).toBe('ok');
  });

  it('writes activity samples for remote and local targets, pg_stat_statements or not', async () => {
    const { id } = await addEnvTarget(system.pool, noStatistics.url);
    const held = new pg.Client({ connectionString: noStatistics.url });
    await held.connect();
    try {
      await held.query('begin');
      await held.query('select 1');
      await sampleActivity({ system: system.pool }, id, remote(noStatistics.url));
    } finally {
      await held.end();
    }
    const { rows } = await system.pool.query(
      'select idle_in_transaction, connections, max_connections from optischema.activity_samples where target_id = $1',
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].idle_in_transaction).toBeGreaterThanOrEqual(1);
    expect(rows[0].connections).toBeGreaterThanOrEqual(1);
    expect(rows[0].max_connections).toBeGreaterThan(0);
    expect((await targetRow(system.pool, id)).last_seen_at).not.toBeNull();

    const { rows: [local] } = await system.pool.query<{ id: string }>('select optischema.local_target() as id');
    await sampleActivity({ system: system.pool }, local!.id, { kind: 'local' });
    const localSamples = await system.pool.query('select count(*)::int as n from optischema.activity_samples where target_id = $1', [local!.id]);
    expect(localSamples.rows[0].n).toBe(1);
  });
});

describe('collectTarget: a target that is down', () => {
  let system: TestDatabase;
  let healthy: TestDatabase;
  let server: Awaited<ReturnType<typeof privateCluster>>;
  beforeAll(async () => {
    system = await createTestDatabase({ migrated: true });
    healthy = await createTestDatabase();
    await healthy.pool.query('create extension pg_stat_statements');
    server = await privateCluster();
    await withClient(server.url, (client) => client.query('create extension if not exists pg_stat_statements'));
  });
  afterAll(async () => {
    await Promise.all([system?.close(), healthy?.close(), server?.close()]);
  });

  it('records status error with a one-line message and keeps last_seen_at, while another target still collects', async () => {
    const down = await addEnvTarget(system.pool, server.url);
    const up = await addEnvTarget(system.pool, healthy.url);
    await collectTarget({ system: system.pool }, down.id, remote(server.url));
    await collectTarget({ system: system.pool }, up.id, remote(healthy.url));
    const seen = (await targetRow(system.pool, down.id)).last_seen_at;
    expect(seen).not.toBeNull();

    await server.cluster.stop();
    const [downResult, upResult] = await Promise.allSettled([
      collectTarget({ system: system.pool }, down.id, remote(server.url)),
      collectTarget({ system: system.pool }, up.id, remote(healthy.url)),
    ]);
    expect(downResult.status).toBe('rejected');
    expect((downResult as PromiseRejectedResult).reason).toBeInstanceOf(CollectionError);
    expect(upResult).toMatchObject({ status: 'fulfilled', value: { kind: 'collected' } });

    const status = await targetRow(system.pool, down.id);
    expect(status.status).toBe('error');
    expect(status.status_message).toMatch(/cannot connect to .*connection refused/);
    expect(status.status_message).not.toMatch(/\n/);
    const password = new URL(server.url).password;
    expect(password).not.toBe('');
    expect(status.status_message).not.toContain(password);
    expect(status.last_seen_at).toEqual(seen);
    expect((await targetRow(system.pool, up.id)).status).toBe('ok');

    // The activity sampler says the same of an unreachable target.
    await expect(sampleActivity({ system: system.pool }, down.id, remote(server.url))).rejects.toBeInstanceOf(CollectionError);
    expect((await targetRow(system.pool, down.id)).last_seen_at).toEqual(seen);
  });
});
