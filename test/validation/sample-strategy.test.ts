import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, type TestDatabase } from '../support/database.ts';
import { dropOrphanSandboxesTask } from '../../sidecar/worker/tasks/drop-orphan-sandboxes-task.ts';
import { loopDatabase, quietLogger, recommend, stateOf, type LoopDatabase } from './support.ts';

/**
 * The sample strategy end to end: the sandbox holds a foreign-key-consistent tenth of the target,
 * the index is measured there, and each served statement's plan there is compared with the
 * production target's own (EXPLAIN only: nothing runs on production).
 */
describe('validation on a sample sandbox', () => {
  let loop: LoopDatabase;
  let db: TestDatabase;
  let targetId: string;
  let runJobs: () => Promise<void>;
  beforeAll(async () => {
    loop = await loopDatabase();
    ({ db, targetId, runJobs } = loop);
    await db.pool.query(`update optischema.targets set sandbox_strategy = 'sample', sandbox_sample_fraction = 0.1 where id = $1`, [targetId]);
  });
  afterAll(async () => {
    await loop?.close();
  });

  it('validates on a tenth of the rows and compares each plan with production\'s', async () => {
    const id = await recommend(db.pool, targetId, 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)', 'select id, total from public.orders where customer_id = $1', ['42']);
    await db.pool.query('select optischema.validate($1)', [id]);
    await runJobs();
    const { rows: [rec] } = await db.pool.query('select state, state_reason, validation from optischema.recommendations where id = $1', [id]);
    expect(rec.state, rec.state_reason).toBe('validated');
    expect(rec.validation.sandbox.strategy).toBe('sample');
    const served = rec.validation.statements.filter((s: { role: string }) => s.role === 'served');
    expect(served.length).toBeGreaterThan(0);
    for (const s of served) expect(s.planCompared, s.planDiffers).toBe(true);
    expect(rec.validation.planDiffersFromProduction).toBe(served.some((s: { planDiffers?: string }) => s.planDiffers !== undefined));
    const { rows: [sandbox] } = await db.pool.query(`select database, strategy from optischema.sandboxes where target_id = $1`, [targetId]);
    expect(sandbox.strategy).toBe('sample');
    // A tenth, give or take what chance and the closure add (wide bounds: never by chance).
    const sample = new pg.Client({ connectionString: databaseUrl(db.url, sandbox.database) });
    await sample.connect();
    try {
      const n = (await sample.query('select count(*)::int as n from public.orders')).rows[0].n;
      expect(n).toBeGreaterThan(10_000);
      expect(n).toBeLessThan(35_000);
    } finally {
      await sample.end();
    }
    expect((await stateOf(db.pool, id)).state).toBe('validated');
  });

  it('drops the sandbox with its target', async () => {
    const { rows: [sandbox] } = await db.pool.query<{ id: string; database: string }>('select id, database from optischema.sandboxes where target_id = $1', [targetId]);
    await db.pool.query('delete from optischema.targets where id = $1', [targetId]);
    // The delete leaves the row without a target; the sidecar's job (every 10 minutes) drops the database.
    expect((await db.pool.query('select target_id from optischema.sandboxes where id = $1', [sandbox!.id])).rows).toEqual([{ target_id: null }]);
    await dropOrphanSandboxesTask(loop.context)({}, { logger: quietLogger } as never);
    expect((await db.pool.query('select count(*)::int as n from pg_database where datname = $1', [sandbox!.database])).rows[0].n).toBe(0);
    expect((await db.pool.query('select count(*)::int as n from optischema.sandboxes')).rows[0].n).toBe(0);
  });
});
