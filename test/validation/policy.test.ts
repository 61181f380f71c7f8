import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeIndexRecommendations } from '../../sidecar/advisor/store-recommendations.ts';
import { validateNewByPolicy } from '../../sidecar/worker/recommendations/auto-validate.ts';
import type { TestDatabase } from '../support/database.ts';
import { indexesOn, loopDatabase, stateOf, type LoopDatabase } from './support.ts';

/** The unattended loop (issue 11 §6) and the realized gain (§3), on a real cluster. */
describe('the apply policy and the realized gain', () => {
  let loop: LoopDatabase;
  let db: TestDatabase;
  let targetId: string;
  let runJobs: () => Promise<void>;
  beforeAll(async () => {
    loop = await loopDatabase();
    ({ db, targetId, runJobs } = loop);
  });
  afterAll(async () => {
    await loop?.close();
  });

  const advise = async (ddl: string, risk: string, query = 'select id, total from public.orders where customer_id = $1') => {
    const index = /concurrently\s+(\S+)/i.exec(ddl)![1]!;
    const stored = await storeIndexRecommendations(db.pool, targetId, 'advise_query', [{
      sql: ddl, rollbackSql: `DROP INDEX CONCURRENTLY IF EXISTS public.${index}`, table: 'public.orders', costBefore: 4000, costAfter: 40,
      improvementPct: 99, sizeBytes: 1, rationale: 'test', risk: { level: risk, reason: 'test' },
      queries: [{ queryid: '4242', query, costBefore: 4000, costAfter: 40, improvementPct: 99, parameters: { source: 'statistics', typing: 'as written', sets: [{ label: 'typical', weight: 1, values: ['42'] }] } }],
    } as never]);
    return { id: stored[0]!.id, sent: await validateNewByPolicy(db.pool, targetId, stored) };
  };

  it('with the policy off, a new recommendation stays proposed', async () => {
    const { id, sent } = await advise('CREATE INDEX CONCURRENTLY orders_total_idx ON public.orders (total)', 'low', 'select id from public.orders where total = $1');
    expect(sent).toBe(0);
    expect((await stateOf(db.pool, id)).state).toBe('proposed');
  });

  it('validated_low_risk leaves a high-risk index validated, never applied', async () => {
    await db.pool.query(`update optischema.targets set auto_validate = true, auto_apply = 'validated_low_risk' where id = $1`, [targetId]);
    const { id, sent } = await advise('CREATE INDEX CONCURRENTLY orders_customer_id_status_idx ON public.orders (customer_id, status)', 'high');
    expect(sent).toBe(1);
    await runJobs();
    expect((await stateOf(db.pool, id)).state).toBe('validated');
    expect(await indexesOn(db.pool, 'public.orders')).toEqual([]);
  });

  it('a maintenance window: the validated index is scheduled for the window, not applied before it', async () => {
    // A one-hour window starting 2 hours from now (UTC), so the apply waits for it.
    await db.pool.query(`update optischema.targets set auto_apply = 'validated', apply_window_start = (now() at time zone 'utc' + interval '2 hours')::time, apply_window_minutes = 60 where id = $1`, [targetId]);
    const { id } = await advise('CREATE INDEX CONCURRENTLY orders_customer_id_total_idx ON public.orders (customer_id, total)', 'low');
    await runJobs();
    const row = (await db.pool.query(`select state, apply_at between now() + interval '1 hour 59 minutes' and now() + interval '2 hours 1 minute' as in_window from optischema.recommendations where id = $1`, [id])).rows[0];
    expect(row).toEqual({ state: 'scheduled', in_window: true });
    expect(await indexesOn(db.pool, 'public.orders')).toEqual([]);
    await db.pool.query(`select optischema.dismiss($1, 'the window test is over')`, [id]);
  });

  it('validated: the index goes to production by itself, and its realized gain is measured from the history', async () => {
    await db.pool.query(`update optischema.targets set apply_window_start = null, apply_window_minutes = null where id = $1`, [targetId]);
    const { id } = await advise('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)', 'low');
    await runJobs();
    expect((await stateOf(db.pool, id)).state).toBe('applied');
    expect((await indexesOn(db.pool, 'public.orders')).map((i) => i.indexname)).toEqual(['orders_customer_id_idx']);
    const actions = (await db.pool.query(`select action, details ->> 'policy' as policy from optischema.audit_log where object_id = $1 order by id`, [id])).rows;
    expect(actions).toEqual([
      { action: 'recommendation.validating', policy: 'auto_validate' },
      { action: 'recommendation.validated', policy: null },
      { action: 'recommendation.scheduled', policy: 'validated' },
      { action: 'recommendation.applying', policy: null },
      { action: 'recommendation.applied', policy: null },
    ]);
    const change = (await db.pool.query<{ id: string; applied_at: Date }>('select id::text, applied_at from optischema.changes where recommendation_id = $1', [id])).rows[0]!;
    // No traffic yet: waiting, with the reason.
    const waiting = (await db.pool.query('select optischema.realized_gain($1) as r', [change.id])).rows[0].r;
    expect(waiting).toMatchObject({ state: 'waiting' });
    expect(waiting.reason).toMatch(/not enough traffic yet/);
    // The collector's history: 50 calls at 4 ms before the apply, 50 at 0.1 ms after, in equal windows.
    await db.pool.query('update optischema.changes set applied_at = now() - interval \'10 minutes\' where id = $1', [change.id]);
    const { rows: [snapshot] } = await db.pool.query(`insert into optischema.snapshots (tenant_id, target_id, captured_at, statements, changed, resets) select tenant_id, id, now(), 1, 1, 0 from optischema.targets where id = $1 returning id`, [targetId]);
    for (const [minutesAgo, ms] of [[15, 4], [5, 0.1]] as const) {
      await db.pool.query(
        `insert into optischema.statement_history (tenant_id, target_id, snapshot_id, captured_at, dbid, userid, queryid, toplevel, calls, total_exec_time, rows,
           shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written)
         select tenant_id, id, $2, now() - make_interval(mins => $3::int), 1, 10, 4242, true, 50, 50 * $4::float8, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 from optischema.targets where id = $1`,
        [targetId, snapshot.id, minutesAgo, ms],
      );
    }
    const measured = (await db.pool.query('select optischema.realized_gain($1) as r', [change.id])).rows[0].r;
    expect(measured).toMatchObject({ state: 'measured', callsBefore: 50, callsAfter: 50, beforeMs: 4, afterMs: 0.1, improvementPct: 97.5 });
    const { rows: [shown] } = await db.pool.query('select estimated_pct, measured_pct from optischema.applied_changes where recommendation_id = $1', [id]);
    expect(Number(shown.estimated_pct)).toBe(99);
    expect(Number(shown.measured_pct)).toBeGreaterThan(0);
  });
});
