import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, HealthKind } from '../../sidecar/health/finding.ts';
import { storeHealthReport } from '../../sidecar/health/store-findings.ts';
import type { TestDatabase } from '../support/database.ts';
import { indexesOn, loopDatabase, stateOf, type LoopDatabase } from '../validation/support.ts';

/**
 * Health findings in the recommendation store and its state machine, end to end on a real cluster:
 * stored and refreshed by their identity (kind, rule, subject), dismissed when no longer found, and
 * taken through validate → apply → rollback by the same jobs as index recommendations — an index
 * drop replayed on the sandbox against the workload's statements, an autovacuum change applied with
 * an admin's override and put back, statements outside the allowed shapes refused. The findings
 * are written here by hand: each advisor's rules are tested on planted problems in its own file.
 */
describe('health findings as recommendations', () => {
  let loop: LoopDatabase;
  let db: TestDatabase;
  let targetId: string;

  const finding = (over: Partial<Finding> & Pick<Finding, 'kind' | 'rule' | 'subject' | 'sql'>): Finding => ({
    title: `${over.rule} ${over.subject}`,
    rationale: 'planted for the test',
    rollbackSql: null,
    risk: 'low',
    evidence: {},
    ...over,
  });
  const store = (ran: HealthKind[], findings: Finding[]) => storeHealthReport(db.pool, targetId, { ran, findings, notes: [] });
  const idOf = async (rule: string, subject: string): Promise<string> =>
    (await db.pool.query<{ id: string }>('select id::text from optischema.recommendations where rule = $1 and subject = $2', [rule, subject])).rows[0]!.id;

  beforeAll(async () => {
    loop = await loopDatabase();
    ({ db, targetId } = loop);
    await db.pool.query(`
      create index orders_total_idx on public.orders (total);
      create index orders_customer_status_idx on public.orders (customer_id, status);`);
    // The collected workload on orders: max(total) reads orders_total_idx; the status count reads no index.
    const { rows: [snapshot] } = await db.pool.query(
      `insert into optischema.snapshots (tenant_id, target_id, captured_at, statements, changed, resets)
       select tenant_id, id, now(), 2, 2, 0 from optischema.targets where id = $1 returning id`, [targetId]);
    for (const [queryid, query] of [[101, 'select max(total) from public.orders'], [102, `select count(*) from public.orders where status = 'done'`]] as const) {
      await db.pool.query(
        `insert into optischema.query_texts (tenant_id, target_id, queryid, query, first_seen_at, last_seen_at)
         select tenant_id, id, $2, $3, now(), now() from optischema.targets where id = $1`, [targetId, queryid, query]);
      await db.pool.query(
        `insert into optischema.statement_history (tenant_id, target_id, snapshot_id, captured_at, dbid, userid, queryid, toplevel, calls, total_exec_time, rows,
           shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written)
         select tenant_id, id, $2, now() - interval '5 minutes', 1, 10, $3, true, 50, 500, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 from optischema.targets where id = $1`,
        [targetId, snapshot.id, queryid],
      );
    }
  });
  afterAll(async () => {
    await loop?.close();
  });

  it('stores a finding once per kind, rule and subject, refreshes it, and dismisses it when no longer found', async () => {
    const pooler = finding({ kind: 'pooling', rule: 'connection_pooler', subject: 'server', sql: '-- [pgbouncer]\n-- default_pool_size = 9', risk: 'medium' });
    const [first] = await store(['pooling'], [pooler]);
    expect(first).toMatchObject({ created: true, state: 'proposed', kind: 'pooling', rule: 'connection_pooler', subject: 'server' });
    const [again] = await store(['pooling'], [{ ...pooler, sql: '-- [pgbouncer]\n-- default_pool_size = 11' }]);
    expect(again).toMatchObject({ id: first!.id, created: false });
    const row = (await db.pool.query('select seen_count, statement, manual, risk from optischema.recommendations where id = $1', [first!.id])).rows[0];
    expect(row).toEqual({ seen_count: 2, statement: '-- [pgbouncer]\n-- default_pool_size = 11', manual: true, risk: 'medium' });
    // Another advisor's check leaves it alone; its own check without it dismisses it as no longer found.
    await store(['setting'], []);
    expect((await stateOf(db.pool, first!.id)).state).toBe('proposed');
    await store(['pooling'], []);
    expect(await stateOf(db.pool, first!.id)).toEqual({ state: 'dismissed', state_reason: 'no longer found by the health check' });
    await store(['pooling'], [pooler]);
    expect((await stateOf(db.pool, first!.id)).state).toBe('proposed');
    // A person's dismissal stays.
    await db.pool.query(`select optischema.dismiss($1, 'we run pgbouncer already')`, [first!.id]);
    await store(['pooling'], [pooler]);
    expect((await stateOf(db.pool, first!.id)).state).toBe('dismissed');
  });

  it('refuses findings of an advisor that did not run, and never schedules steps to follow by hand', async () => {
    await expect(store(['setting'], [finding({ kind: 'schema', rule: 'missing_primary_key', subject: 'public.t', sql: '-- add one' })])).rejects.toThrow(/a finding of kind schema/);
    const [steps] = await store(['schema'], [finding({ kind: 'schema', rule: 'column_padding', subject: 'public.orders', sql: '-- 1. CREATE TABLE …\n-- 2. swap', risk: 'high' })]);
    await expect(db.pool.query(`select optischema.apply($1, now(), 'the DBA wants the new layout now')`, [steps!.id])).rejects.toThrow(/steps to follow by hand/);
    expect((await stateOf(db.pool, steps!.id)).state).toBe('proposed');
  });

  it('validates an index drop by replaying the workload on the sandbox: rejected when a statement needs it', async () => {
    const drop = (index: string) => finding({
      kind: 'index_hygiene', rule: 'unused_index', subject: `public.${index}`, table: 'public.orders', risk: 'medium',
      sql: `DROP INDEX CONCURRENTLY IF EXISTS public.${index};`,
      rollbackSql: `CREATE INDEX CONCURRENTLY ${index} ON public.orders USING btree (${index === 'orders_total_idx' ? 'total' : 'customer_id, status'});`,
    });
    await store(['index_hygiene'], [drop('orders_total_idx'), drop('orders_customer_status_idx')]);
    const needed = await idOf('unused_index', 'public.orders_total_idx');
    const unneeded = await idOf('unused_index', 'public.orders_customer_status_idx');
    await db.pool.query('select optischema.validate($1), optischema.validate($2)', [needed, unneeded]);
    await loop.runJobs();
    const rejected = await stateOf(db.pool, needed);
    expect(rejected.state, rejected.state_reason ?? '').toBe('rejected');
    const validated = (await db.pool.query('select state, state_reason, validation from optischema.recommendations where id = $1', [unneeded])).rows[0];
    expect(validated.state, validated.state_reason).toBe('validated');
    expect(validated.validation.statements.length).toBeGreaterThan(0);
    // The sandbox keeps both indexes: the drop was measured in a rolled-back transaction.
    expect(await indexesOn(db.pool, 'public.orders')).toEqual([
      { indexname: 'orders_customer_status_idx', valid: true },
      { indexname: 'orders_total_idx', valid: true },
    ]);
  });

  it('applies a validated drop and rolls it back by building the same index again', async () => {
    const id = await idOf('unused_index', 'public.orders_customer_status_idx');
    const before = (await db.pool.query(`select pg_get_indexdef('public.orders_customer_status_idx'::regclass) as def`)).rows[0].def;
    await db.pool.query('select optischema.apply($1)', [id]);
    await loop.runJobs();
    expect(await stateOf(db.pool, id)).toMatchObject({ state: 'applied' });
    expect((await indexesOn(db.pool, 'public.orders')).map((i) => i.indexname)).toEqual(['orders_total_idx']);
    const change = (await db.pool.query('select statements, rollback_sql from optischema.changes where recommendation_id = $1', [id])).rows[0];
    expect(change.statements).toEqual(['DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_status_idx']);
    await db.pool.query('select optischema.rollback($1)', [id]);
    await loop.runJobs();
    expect(await stateOf(db.pool, id)).toMatchObject({ state: 'rolled_back' });
    expect((await db.pool.query(`select pg_get_indexdef('public.orders_customer_status_idx'::regclass) as def`)).rows[0].def).toBe(before);
  });

  it('applies an autovacuum change only with an override (a sandbox cannot test it), and puts the old parameters back', async () => {
    await db.pool.query('alter table public.orders set (autovacuum_vacuum_threshold = 500)');
    await store(['setting'], [finding({
      kind: 'setting', rule: 'autovacuum_table', subject: 'public.orders', table: 'public.orders',
      sql: 'ALTER TABLE public.orders SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);',
      rollbackSql: 'ALTER TABLE public.orders RESET (autovacuum_vacuum_scale_factor);\nALTER TABLE public.orders SET (autovacuum_vacuum_threshold = 500);',
    })]);
    const id = await idOf('autovacuum_table', 'public.orders');
    await db.pool.query('select optischema.validate($1)', [id]);
    await loop.runJobs();
    expect(await stateOf(db.pool, id)).toEqual({ state: 'inconclusive', state_reason: expect.stringMatching(/cannot test/) });
    await expect(db.pool.query('select optischema.apply($1)', [id])).rejects.toThrow(/only after validation, or forced with a written reason/);
    await db.pool.query(`select optischema.apply($1, now(), 'hot table, the DBA accepts it untested')`, [id]);
    await loop.runJobs();
    const options = async () => (await db.pool.query(`select reloptions from pg_class where oid = 'public.orders'::regclass`)).rows[0].reloptions;
    expect(await stateOf(db.pool, id)).toMatchObject({ state: 'applied' });
    expect(await options()).toEqual(['autovacuum_vacuum_scale_factor=0.01', 'autovacuum_vacuum_threshold=1000']);
    await db.pool.query('select optischema.rollback($1)', [id]);
    await loop.runJobs();
    expect(await stateOf(db.pool, id)).toMatchObject({ state: 'rolled_back' });
    expect(await options()).toEqual(['autovacuum_vacuum_threshold=500']);
  });

  it.each([
    ['a storage parameter that is not autovacuum\'s', 'ALTER TABLE public.orders SET (fillfactor = 50);', /fillfactor is not an autovacuum setting/],
    ['VACUUM FULL', 'VACUUM FULL public.orders;', /VACUUM FULL rewrites or locks the table/],
    ['a statement of another kind', 'ANALYZE public.orders; DELETE FROM public.orders;', /Delete is not a statement OptiSchema runs/],
  ])('refuses to run %s, running nothing', async (_label, sql, message) => {
    const subject = `public.orders#${sql.length}`;
    await store(['setting'], [finding({ kind: 'setting', rule: 'autovacuum_table', subject, table: 'public.orders', sql })]);
    const id = await idOf('autovacuum_table', subject);
    const rows = (await db.pool.query('select count(*)::int as n from public.orders')).rows[0].n;
    await db.pool.query(`select optischema.apply($1, now(), 'checking what the apply refuses')`, [id]);
    await loop.runJobs();
    const after = await stateOf(db.pool, id);
    expect(after.state).toBe('failed');
    expect(after.state_reason).toMatch(message);
    expect((await db.pool.query('select count(*)::int as n from public.orders')).rows[0].n).toBe(rows);
    expect((await db.pool.query(`select reloptions from pg_class where oid = 'public.orders'::regclass`)).rows[0].reloptions).toEqual(['autovacuum_vacuum_threshold=500']);
  });
});
