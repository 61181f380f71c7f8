import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/database.ts';
import { databaseUrl } from '../support/database.ts';
import { indexesOn, loopDatabase, recommend, stateOf, type LoopDatabase } from './support.ts';

/**
 * The closed loop on a real cluster, driven through the database's own functions as psql's user
 * would: validate → the sandbox copy made and the index measured there → apply → built on the
 * target with its change and audit trail → rollback. The jobs run in this process
 * (runDueRecommendationJobs), as the CLI's `--wait` runs them when no sidecar is up.
 */
describe('validate, apply and roll back a recommendation', () => {
  let loop: LoopDatabase;
  let db: TestDatabase;
  let targetId: string;
  let runJobs: () => Promise<void>;
  let good: string;
  let useless: string;
  beforeAll(async () => {
    loop = await loopDatabase();
    ({ db, targetId, runJobs } = loop);
    good = await recommend(db.pool, targetId, 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)', 'select id, total from public.orders where customer_id = $1', ['42']);
    // An index the planner has no use for: the statement reads a tenth of the table.
    useless = await recommend(db.pool, targetId, 'CREATE INDEX CONCURRENTLY orders_status_idx ON public.orders (status)', 'select count(*) from public.orders where status = $1', ['done']);
  });
  afterAll(async () => {
    await loop?.close();
  });

  const sandboxIndexes = async (): Promise<string[]> => {
    const { rows: [row] } = await db.pool.query<{ database: string }>('select database from optischema.sandboxes where target_id = $1', [targetId]);
    const sandbox = new pg.Client({ connectionString: databaseUrl(db.url, row!.database) });
    await sandbox.connect();
    try {
      return (await sandbox.query(`select indexname from pg_indexes where tablename = 'orders' order by 1`)).rows.map((r) => r.indexname);
    } finally {
      await sandbox.end();
    }
  };

  it('validates the useful index in a sandbox copy and rejects the useless one, with the measurement kept', async () => {
    expect((await db.pool.query('select state from optischema.validate($1)', [good])).rows[0].state).toBe('validating');
    await db.pool.query('select optischema.validate($1)', [useless]);
    await runJobs();
    const validated = (await db.pool.query('select state, state_reason, validation, measured_improvement_pct from optischema.recommendations where id = $1', [good])).rows[0];
    expect(validated.state, validated.state_reason).toBe('validated');
    const served = validated.validation.statements.find((s: { role: string }) => s.role === 'served');
    expect(served.usesIndex).toBe(true);
    expect(served.values).toEqual(['42']);
    expect(served.before.ms).toHaveLength(3);
    expect(validated.validation.sizeBytes).toBeGreaterThan(0);
    expect(validated.validation.writeOverhead.rows).toBeGreaterThan(0);
    expect(Number(validated.measured_improvement_pct)).toBeGreaterThan(0);
    const rejected = await stateOf(db.pool, useless);
    expect(rejected.state).toBe('rejected');
    expect(rejected.state_reason).toMatch(/used the index for none|no statement got faster/);
    // One sandbox, reused by both, a copy without OptiSchema's own schemas; the target untouched.
    const { rows: sandboxes } = await db.pool.query('select database, state, strategy from optischema.sandboxes where target_id = $1', [targetId]);
    expect(sandboxes).toHaveLength(1);
    expect(sandboxes[0]).toMatchObject({ state: 'ready', strategy: 'embedded' });
    const sandbox = new pg.Client({ connectionString: databaseUrl(db.url, sandboxes[0].database) });
    await sandbox.connect();
    try {
      expect((await sandbox.query('select count(*)::int as n from public.orders')).rows[0].n).toBe(200_000);
      expect((await sandbox.query(`select count(*)::int as n from pg_namespace where nspname in ('optischema', 'graphile_worker')`)).rows[0].n).toBe(0);
      expect((await sandbox.query(`select count(*)::int as n from pg_indexes where tablename = 'orders'`)).rows[0].n).toBe(1);
    } finally {
      await sandbox.end();
    }
    expect(await indexesOn(db.pool, 'public.orders')).toEqual([]);
    const { rows: audit } = await db.pool.query(`select action, details ->> 'from' as "from", result from optischema.audit_log where object_id = $1 order by id`, [good]);
    expect(audit.map((a) => a.action)).toEqual(['recommendation.validating', 'recommendation.validated']);
  });

  it('applies a validated recommendation with CREATE INDEX CONCURRENTLY and records the change', async () => {
    expect((await db.pool.query('select state from optischema.apply($1)', [good])).rows[0].state).toBe('scheduled');
    await runJobs();
    expect(await stateOf(db.pool, good)).toMatchObject({ state: 'applied' });
    expect(await indexesOn(db.pool, 'public.orders')).toEqual([{ indexname: 'orders_customer_id_idx', valid: true }]);
    const { rows: [change] } = await db.pool.query('select statements, rollback_sql, forced from optischema.changes where recommendation_id = $1', [good]);
    expect(change.statements).toEqual(['CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)']);
    expect(change.rollback_sql).toBe('DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx');
    expect(change.forced).toBe(false);
    // The sandbox follows production: the next validations measure beside the applied index.
    expect(await sandboxIndexes()).toEqual(['orders_customer_id_idx', 'orders_pkey']);
    // The realized-gain measurement is queued for after the apply.
    expect((await db.pool.query(`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'measure_realized_gain'`)).rows[0].n).toBe(1);
  });

  it('refuses to apply a rejected recommendation without a written reason, and audits the forced one', async () => {
    await expect(db.pool.query('select optischema.apply($1)', [useless])).rejects.toThrow(/only after validation, or forced with a written reason/);
    await expect(db.pool.query(`select optischema.apply($1, now(), 'because')`, [useless])).rejects.toThrow(/at least 10 characters/);
    await db.pool.query(`select optischema.apply($1, now() + interval '1 day', 'the on-call DBA wants it before the batch')`, [useless]);
    const row = (await db.pool.query('select state, apply_at > now() + interval \'23 hours\' as later, force_reason from optischema.recommendations where id = $1', [useless])).rows[0];
    expect(row).toMatchObject({ state: 'scheduled', later: true, force_reason: 'the on-call DBA wants it before the batch' });
    // Scheduled for tomorrow: the job waits for its run_at, so running the due jobs builds nothing.
    await runJobs();
    expect((await stateOf(db.pool, useless)).state).toBe('scheduled');
    const audit = (await db.pool.query(`select details from optischema.audit_log where object_id = $1 and action = 'recommendation.scheduled'`, [useless])).rows[0];
    expect(audit.details).toMatchObject({ forced: true, forceReason: 'the on-call DBA wants it before the batch' });
    await db.pool.query(`select optischema.dismiss($1, 'not wanted after all')`, [useless]);
    expect((await db.pool.query(`select count(*)::int as n from graphile_worker.jobs where key = $1`, [`apply_recommendation:${useless}`])).rows[0].n).toBe(0);
  });

  it('rolls an applied recommendation back with its stored rollback SQL', async () => {
    expect((await db.pool.query('select state from optischema.rollback($1)', [good])).rows[0].state).toBe('rolling_back');
    await runJobs();
    expect(await stateOf(db.pool, good)).toMatchObject({ state: 'rolled_back' });
    expect(await indexesOn(db.pool, 'public.orders')).toEqual([]);
    expect(await sandboxIndexes()).toEqual(['orders_pkey']);
    const { rows: [change] } = await db.pool.query('select rolled_back_at is not null as done, rollback_statements from optischema.changes where recommendation_id = $1', [good]);
    expect(change).toEqual({ done: true, rollback_statements: ['DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx'] });
    const actions = (await db.pool.query(`select action from optischema.audit_log where object_id = $1 order by id`, [good])).rows.map((r) => r.action);
    expect(actions).toEqual(['recommendation.validating', 'recommendation.validated', 'recommendation.scheduled', 'recommendation.applying',
      'recommendation.applied', 'recommendation.rolling_back', 'recommendation.rolled_back']);
  });

  it('keeps the audit log append-only and the state machine closed', async () => {
    await expect(db.pool.query(`update optischema.recommendations set state = 'applied' where id = $1`, [useless])).rejects.toThrow(/a dismissed recommendation cannot become applied/);
    await expect(db.pool.query(`delete from optischema.audit_log where object_id = $1`, [good])).rejects.toThrow(/append-only/);
    await expect(db.pool.query('select optischema.rollback($1)', [useless])).rejects.toThrow(/only an applied one/);
    await expect(db.pool.query(`select optischema.dismiss($1, '  ')`, [good])).rejects.toThrow(/needs a reason/);
  });
});
