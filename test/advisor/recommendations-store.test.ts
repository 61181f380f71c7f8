import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeIndexRecommendations, type RecommendationToStore } from '../../sidecar/advisor/store-recommendations.ts';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database.ts';

/** optischema.record_index_recommendations (0009) through storeIndexRecommendations, on a real database. */
describe('the recommendations store', () => {
  let db: TestDatabase;
  let targetId: string;
  let otherTargetId: string;
  let tenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    const { rows: [tenant] } = await db.pool.query(`insert into optischema.tenants (name, slug) values ('Store', 'store') returning id`);
    tenantId = tenant.id;
    const addTarget = async (name: string) =>
      (await db.pool.query(`insert into optischema.targets (tenant_id, name, secret_ref) values ($1, $2, 'env:STORE_URL') returning id`, [tenantId, name]))
        .rows[0].id as string;
    targetId = await addTarget('store target');
    otherTargetId = await addTarget('other target');
  });
  afterAll(async () => {
    await db?.close();
  });

  const rec = (overrides: Partial<RecommendationToStore> & Record<string, unknown> = {}): RecommendationToStore => ({
    sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)',
    rollbackSql: 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx',
    table: 'public.orders',
    costBefore: 1943,
    costAfter: 391.3,
    improvementPct: 79.9,
    sizeBytes: 2_260_992,
    rationale: 'customer_id = $1 filters 99% of public.orders',
    ...overrides,
  });
  const rows = async (target = targetId) =>
    (await db.pool.query(
      `select id, state, title, statement, rollback_statement, table_name, cost_before, cost_after, improvement_pct::float8 as improvement_pct,
              size_bytes::float8 as size_bytes, rationale, evidence, seen_count, last_seen_at, created_at
         from optischema.recommendations where target_id = $1 order by created_at`,
      [target],
    )).rows;

  it('stores a new recommendation as proposed, with its figures in columns and everything the engine said in evidence', async () => {
    const stored = await storeIndexRecommendations(db.pool, targetId, 'advise_query', [
      { ...rec({ risk: { level: 'low', reason: 'read-mostly table' } } as never), queries: [{ queryid: '42', query: 'select * from orders where customer_id = $1', costBefore: 1943, costAfter: 391.3, improvementPct: 79.9 }] },
    ]);
    expect(stored).toEqual([{ id: expect.any(String), created: true, state: 'proposed' }]);
    const [row] = await rows();
    expect(row).toMatchObject({
      state: 'proposed',
      title: 'Index on public.orders (customer_id)',
      statement: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)',
      rollback_statement: 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx',
      table_name: 'public.orders',
      cost_before: 1943,
      cost_after: 391.3,
      improvement_pct: 79.9,
      size_bytes: 2_260_992,
      seen_count: 1,
    });
    // A field the store does not know (risk) is kept, not lost.
    expect(row.evidence.advice.risk).toEqual({ level: 'low', reason: 'read-mostly table' });
    expect(row.evidence.sources).toEqual(['advise_query']);
    expect(row.evidence.queries).toEqual([expect.objectContaining({ queryid: '42', source: 'advise_query', seenAt: expect.any(String) })]);
  });

  it('a repeat (whitespace aside) refreshes the same row: no duplicate, seen twice, both queries as evidence', async () => {
    const [before] = await rows();
    const stored = await storeIndexRecommendations(db.pool, targetId, 'advise_workload', [
      rec({
        sql: ' CREATE INDEX CONCURRENTLY  orders_customer_id_idx\n   ON public.orders (customer_id)',
        costBefore: 2000,
        costAfter: 400,
        improvementPct: 80,
        queries: [{ queryid: '43', query: 'select id from orders where customer_id = $1', costBefore: 50, costAfter: 8, improvementPct: 84 }],
      }),
    ]);
    expect(stored).toEqual([{ id: before.id, created: false, state: 'proposed' }]);
    const all = await rows();
    expect(all).toHaveLength(1);
    const [after] = all;
    expect(after.seen_count).toBe(2);
    expect(after.last_seen_at.getTime()).toBeGreaterThan(before.last_seen_at.getTime());
    // Still proposed: the estimates are the latest; the statement stays as first stored.
    expect(after).toMatchObject({ cost_before: 2000, cost_after: 400, improvement_pct: 80, statement: before.statement });
    expect(after.evidence.queries.map((q: { queryid: string }) => q.queryid)).toEqual(['43', '42']);
    expect([...after.evidence.sources].sort()).toEqual(['advise_query', 'advise_workload']);
  });

  it('never resurrects a dismissed recommendation nor touches an applied one, and keeps targets apart', async () => {
    const [row] = await rows();
    await db.pool.query(`update optischema.recommendations set state = 'dismissed' where id = $1`, [row.id]);
    const again = await storeIndexRecommendations(db.pool, targetId, 'advise_query', [rec({ costBefore: 5000, costAfter: 100, improvementPct: 98 })]);
    expect(again).toEqual([{ id: row.id, created: false, state: 'dismissed' }]);
    const [dismissed] = await rows();
    expect(dismissed).toMatchObject({ state: 'dismissed', seen_count: 3, cost_before: 2000 });

    // To applied the way a recommendation gets there (the table's trigger refuses a jump).
    for (const state of ['proposed', 'validating', 'validated', 'scheduled', 'applying', 'applied']) {
      await db.pool.query(`update optischema.recommendations set state = $2 where id = $1`, [row.id, state]);
    }
    await storeIndexRecommendations(db.pool, targetId, 'advise_query', [rec({ rollbackSql: 'DROP INDEX something_else', rationale: 'changed' })]);
    const [applied] = await rows();
    // What was applied, and how to undo it, never changes under it.
    expect(applied).toMatchObject({ state: 'applied', seen_count: 4, statement: row.statement, rollback_statement: row.rollback_statement });
    expect(applied.rationale).not.toBe('changed');

    // The same index on another target is that target's own recommendation.
    const other = await storeIndexRecommendations(db.pool, otherTargetId, 'advise_query', [rec()]);
    expect(other[0]).toMatchObject({ created: true, state: 'proposed' });
    expect(await rows(otherTargetId)).toHaveLength(1);
  });

  it('a different index on the same table is a second recommendation', async () => {
    const stored = await storeIndexRecommendations(db.pool, targetId, 'advise_query', [
      rec({ sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_status_idx ON public.orders (customer_id, status)' }),
    ]);
    expect(stored[0]!.created).toBe(true);
    expect(await rows()).toHaveLength(2);
  });

  it('refuses a recommendation without a statement, and a target that does not exist', async () => {
    await expect(storeIndexRecommendations(db.pool, targetId, 'advise_query', [rec({ sql: '' })])).rejects.toMatchObject({ code: '22023' });
    await expect(storeIndexRecommendations(db.pool, '00000000-0000-0000-0000-000000000000', 'advise_query', [rec()])).rejects.toMatchObject({
      code: 'P0002',
    });
  });

  it('the API view shows the new columns to a viewer of the tenant, and advice requests are RLS-forced', async () => {
    const { rows: [viewer] } = await db.pool.query(
      `with u as (insert into optischema.users (email) values ('store-viewer@example.com') returning id)
       insert into optischema.memberships (tenant_id, user_id, role) select $1, id, 'viewer' from u returning user_id`,
      [tenantId],
    );
    const seen = await withClient(db.apiUrl, async (client) => {
      await client.query('begin');
      await client.query('set local role optischema_viewer');
      await client.query(`select set_config('optischema.tenant_id', $1, true), set_config('optischema.user_id', $2, true)`, [tenantId, viewer.user_id]);
      const { rows: visible } = await client.query(
        `select table_name, cost_before, cost_after, size_bytes, seen_count, last_seen_at, evidence
           from optischema_api.recommendations where target_id = $1 and state = 'applied'`,
        [targetId],
      );
      await client.query('rollback');
      return visible;
    });
    expect(seen).toEqual([expect.objectContaining({ table_name: 'public.orders', seen_count: 4, evidence: expect.objectContaining({ queries: expect.any(Array) }) })]);
    const { rows: [rls] } = await db.pool.query(
      `select relrowsecurity, relforcerowsecurity from pg_class where oid = 'optischema.advice_requests'::regclass`,
    );
    expect(rls).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
  });
});
