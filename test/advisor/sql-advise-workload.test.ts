import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../sidecar/secrets/secret-box.ts';
import { makeTargetResolver } from '../../sidecar/worker/resolve-target.ts';
import { startWorker, type CollectorWorker } from '../../sidecar/worker/start-worker.ts';
import { quietLogger, waitFor } from '../collector/fixtures.ts';
import { settleTableCounters } from '../support/table-counters.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * optischema.advise_workload() answered by the real workload advisor (sidecar/advisor/workload.ts)
 * from this database's collected history: two snapshots around a workload that needs an index.
 */
describe('optischema.advise_workload() with the real workload advisor', () => {
  let db: TestDatabase;
  let workerPool: pg.Pool;
  let worker: CollectorWorker | undefined;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create extension if not exists pg_stat_statements;
      create table public.orders (id bigint primary key, customer_id int, status text, total numeric);
      insert into public.orders select g, g % 1000, case when g % 2 = 0 then 'open' else 'paid' end, g % 500 from generate_series(1, 50000) g;
      analyze public.orders;`);
    await settleTableCounters(db.pool, { 'public.orders': 50_000 });
    workerPool = new pg.Pool({ connectionString: db.url, max: 8 });
    workerPool.on('error', () => undefined);
  });
  afterAll(async () => {
    await worker?.stop();
    await workerPool?.end();
    await db?.close();
  });

  it('queues, then answers with the index the collected workload needs and the queries it serves, stored as a recommendation', async () => {
    // The worker first: its collector's first snapshot of the local target is the baseline, so
    // graphile-worker's own start-up statements stay out of the window's workload.
    const { rows: [local] } = await db.pool.query('select optischema.local_target() as id');
    worker = await startWorker({
      pool: workerPool,
      resolveTarget: makeTargetResolver(workerPool, new SecretBox(randomBytes(32))),
      concurrency: 2,
      logger: quietLogger,
    });
    await waitFor('the baseline snapshot', async () =>
      (await db.pool.query('select 1 from optischema.snapshots where target_id = $1', [local.id])).rows.length > 0,
    );
    for (let i = 0; i < 20; i++) await db.pool.query('select * from public.orders where customer_id = $1', [i]);
    await db.pool.query('select optischema.snapshot()');
    const ask = () => db.pool.query(`select * from optischema.advise_workload('1 hour')`).then((r) => r.rows);
    expect((await ask())[0].rationale).toMatch(/^queued: /);
    const rows = await waitFor('the workload answer', async () => {
      const r = await ask();
      return r[0].rationale.startsWith('queued: ') ? null : r;
    }, 60_000);
    const index = rows.find((r) => r.statement !== null);
    expect(index, JSON.stringify(rows)).toBeDefined();
    expect(index.statement).toMatch(/ON public\.orders .*customer_id/);
    expect(index.table_name).toBe('public.orders');
    expect(index.queries).toEqual(expect.arrayContaining([expect.objectContaining({ query: expect.stringContaining('customer_id = $1') })]));
    const { rows: stored } = await db.pool.query(
      `select r.state, r.evidence -> 'sources' as sources, jsonb_array_length(r.evidence -> 'queries') as queries
         from optischema.recommendations r where r.statement = $1`,
      [index.statement],
    );
    // On a slow machine the same queries may also cross the slow-query threshold, and the
    // advise_query job then finds the same index: one recommendation either way, from the workload too.
    expect(stored).toEqual([{ state: 'proposed', sources: expect.arrayContaining(['advise_workload']), queries: expect.any(Number) }]);
    expect(stored[0].queries).toBeGreaterThanOrEqual(index.queries.length);
  });
});
