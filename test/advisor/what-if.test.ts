import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { closeGuard, openGuard } from '../../plv8/engine/guard/guarded-plan.ts';
import { ANALYSIS_ROLE, type Planner } from '../../plv8/engine/guard/planners.ts';
import { evaluateSetWithin, type PlannableQuery } from '../../plv8/plan/what-if.ts';
import { ensureAnalysisRole } from '../../sidecar/advisor/ensure-analysis-role.ts';
import { ensureHypopg } from '../../sidecar/advisor/ensure-hypopg.ts';
import { runStep } from '../../sidecar/advisor/run-step.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * One what-if evaluation in one request (the guard's optischema_hypo_plans): indexes created,
 * sized, the query planned under each parameter set, the indexes dropped whatever happened.
 */
describe('evaluateSetWithin', () => {
  let db: TestDatabase;
  let client: pg.PoolClient;
  const planner: Planner = { role: ANALYSIS_ROLE, as: 'analysis', author: 'the test', searchPath: 'public' };
  const query = (text: string, extra: Partial<PlannableQuery> = {}): PlannableQuery => ({ text, hasParameters: false, planner, ...extra });
  const hypothetical = async () => (await client.query('select count(*)::int as n from hypopg()')).rows[0].n as number;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`
      create table public.orders (id bigint primary key, customer_id int, total numeric);
      insert into public.orders select g, case when g <= 25000 then 0 else g % 1000 end, g % 70 from generate_series(1, 50000) g;
      analyze public.orders;
      grant select on public.orders to public;`);
    client = await db.pool.connect();
    await ensureHypopg(client);
    await ensureAnalysisRole(client);
    await runStep(openGuard([planner]), client);
  });
  afterAll(async () => {
    await runStep(closeGuard(), client).catch(() => {});
    client?.release(true);
    await db?.close();
  });

  it('costs the query with the index, sizes it, and leaves no hypothetical index', async () => {
    const [cost] = (await runStep(evaluateSetWithin(query('select * from orders where customer_id = 7'), ['CREATE INDEX ON public.orders (customer_id)'], Infinity), client))!;
    expect(cost!.used).toBe(true);
    expect(cost!.sizeBytes).toBeGreaterThan(100_000);
    const [before] = (await runStep(evaluateSetWithin(query('select * from orders where customer_id = 7'), [], Infinity), client)) ?? [];
    expect(before).toBeUndefined();
    expect(await hypothetical()).toBe(0);
  });

  it('weighs the plans of each parameter set, in one request', async () => {
    const text = 'select * from orders where customer_id = $1';
    const ddl = 'CREATE INDEX ON public.orders (customer_id)';
    // 7 has a few dozen orders; 0 has half of them (a sequential scan, dearer).
    const one = async (sets: PlannableQuery['parameterSets']) => (await runStep(evaluateSetWithin(query(text, { hasParameters: true, parameterSets: sets }), [ddl], Infinity), client))![0]!;
    const seven = await one([{ values: ['7'], weight: 1 }]);
    const common = await one([{ values: ['0'], weight: 1 }]);
    expect(common.totalCost).toBeGreaterThan(seven.totalCost);
    const both = await one([{ values: ['7'], weight: 0.75 }, { values: ['0'], weight: 0.25 }]);
    expect(both.used).toBe(true);
    expect(both.totalCost).toBeCloseTo(0.75 * seven.totalCost + 0.25 * common.totalCost, 6);
  });

  it('plans nothing when an index is bigger than the limit', async () => {
    expect(await runStep(evaluateSetWithin(query('select * from orders where customer_id = 7'), ['CREATE INDEX ON public.orders (customer_id)'], 1000), client)).toBeNull();
    expect(await hypothetical()).toBe(0);
  });

  it("raises the statement's error as it came, and still drops the indexes", async () => {
    const failing = runStep(evaluateSetWithin(query('select nope from orders'), ['CREATE INDEX ON public.orders (customer_id)'], Infinity), client);
    await expect(failing).rejects.toMatchObject({ code: '42703', message: expect.stringContaining('nope') });
    expect(await hypothetical()).toBe(0);
  });
});
