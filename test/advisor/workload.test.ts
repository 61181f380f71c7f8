import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseWorkload } from '../../sidecar/advisor/workload.ts';
import { testAppRole } from '../support/app-role.ts';
import { settleTableCounters } from '../support/table-counters.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * Workload-wide selection against real PostgreSQL 15 + hypopg + pg_stat_statements. Each
 * database's statements are run for real so pg_stat_statements (cluster-wide, filtered by
 * database) or the collector has them.
 */

// Autovacuum off: a vacuum between two runs of a test changes relpages and relallvisible, and so the
// costs the test compares (it did once, on a busy machine).
const ORDERS = `
  create table public.orders (id bigint primary key, customer_id int, status text, created_at timestamptz, total numeric)
    with (autovacuum_enabled = off);
  insert into public.orders
    select g, g % 1000, case when g % 2 = 0 then 'open' else 'paid' end, timestamptz '2025-01-01' + g * interval '1 minute', g % 500
      from generate_series(1, 100000) g;
  analyze public.orders;`;

/** Three statements that all filter on customer_id: one index on it serves them all. */
async function runReads(db: pg.Pool, times = 20): Promise<void> {
  for (let i = 0; i < times; i++) {
    await db.query('select * from orders where customer_id = $1', [i]);
    await db.query('select * from orders where customer_id = $1 and status = $2', [i, 'open']);
    await db.query('select count(*) from orders where customer_id = $1 and created_at > $2', [i, '2025-02-01']);
  }
}

/**
 * Forgets the set-up: the bulk load would otherwise count as the tables' writes, and the set-up's
 * statements as workload. The set-up's counts reach the shared statistics first (settleTableCounters),
 * and only this database's pg_stat_statements entries are reset.
 */
async function forgetSetUp(db: pg.Pool, inserted: Record<string, number>): Promise<void> {
  await settleTableCounters(db, inserted);
  await db.query(`select pg_stat_reset(), pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)`);
}

describe('adviseWorkload from pg_stat_statements', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(ORDERS);
    await db.pool.query(`
      create table public.events (id bigserial primary key, kind text, payload text) with (autovacuum_enabled = off);
      insert into public.events (kind, payload) select 'k' || (g % 100), 'p' from generate_series(1, 50000) g;
      analyze public.events;`);
    await forgetSetUp(db.pool, { 'public.orders': 100_000, 'public.events': 50_000 });
    await runReads(db.pool);
    // events: written row by row (1500 index entries, at least 75 ms at 0.05 ms each), read five
    // times (a few ms each): the index would cost more than it saves.
    // One session, whose counts reach the shared statistics before the advice reads them (PG 15
    // flushes a session's pending counts at most once a second, unless told to).
    // The writes run as an application role, as they would in production: a superuser's writes
    // cannot be planned (the analysis role that plans them may only read).
    const app = await testAppRole(db.pool);
    const writer = await db.pool.connect();
    try {
      await writer.query(`select set_config('role', (select rolname from pg_roles where oid = $1)::text, false)`, [app]);
      for (let i = 0; i < 1500; i++) await writer.query('insert into events (kind, payload) values ($1, $2)', [`k${i % 100}`, 'p']);
      await writer.query('select pg_stat_force_next_flush()');
      await writer.query('select 1');
      await writer.query('reset role');
    } finally {
      writer.release();
    }
    for (let i = 0; i < 5; i++) await db.pool.query('select * from events where kind = $1', [`k${i}`]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('one index on the shared column serves the three statements, each with its gain', async () => {
    const advice = await adviseWorkload(db.pool);
    expect(advice.workload).toMatchObject({ source: 'pg_stat_statements', budgetBytes: null });
    expect(advice.workload.statements).toBeGreaterThanOrEqual(4);
    expect(advice.errors).toEqual([]);
    const orders = advice.recommendations.filter((r) => r.table === 'public.orders');
    // Not one narrow index per statement: (customer_id) alone, serving all three.
    expect(orders.map((r) => r.sql)).toEqual(['CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)']);
    const [index] = orders;
    expect(index!.queries.map((q) => q.query).sort()).toEqual([
      'select * from orders where customer_id = $1',
      'select * from orders where customer_id = $1 and status = $2',
      'select count(*) from orders where customer_id = $1 and created_at > $2',
    ]);
    for (const q of index!.queries) {
      expect(q.queryid).toMatch(/^-?\d+$/);
      expect(q.calls).toBe(20);
      expect(q.meanMs).toBeGreaterThan(0);
      expect(q.costAfter).toBeLessThan(q.costBefore);
      expect(q.improvementPct).toBeGreaterThanOrEqual(20);
      expect(q.estimatedSavedMs).toBeGreaterThan(0);
    }
    expect(index!.estimatedSavedMs).toBeGreaterThan(0);
    expect(index!.rationale).toContain('serves 3 statements');
    expect(advice.workload.improvementPct).toBeGreaterThan(0);
    expect(advice.workload.costAfter).toBeLessThan(advice.workload.costBefore);
    expect(advice.workload.sizeBytes).toBe(advice.recommendations.reduce((sum, r) => sum + r.sizeBytes, 0));
  });

  it('write overhead vetoes an index on a table written row by row and read once', async () => {
    const advice = await adviseWorkload(db.pool);
    expect(advice.recommendations.filter((r) => r.table === 'public.events')).toEqual([]);
    // The same reads with writes charged at nothing: the events index pays for itself.
    const free = await adviseWorkload(db.pool, { msPerIndexEntry: 0 });
    expect(free.recommendations.map((r) => r.sql)).toContain('CREATE INDEX CONCURRENTLY events_kind_idx ON public.events (kind)');
  });

  it('a budget smaller than the index gives nothing; one that fits gives it', async () => {
    const unbounded = await adviseWorkload(db.pool);
    const size = unbounded.recommendations.find((r) => r.table === 'public.orders')!.sizeBytes;
    const tight = await adviseWorkload(db.pool, { budgetBytes: size - 1 });
    expect(tight.recommendations).toEqual([]);
    // Candidates hypopg sizes above the budget are not planned at all: they could never be chosen.
    expect(tight.workload.whatIf.evaluations).toBeLessThan(unbounded.workload.whatIf.evaluations);
    expect(tight.workload).toMatchObject({ budgetBytes: size - 1, sizeBytes: 0, improvementPct: 0 });
    const fits = await adviseWorkload(db.pool, { budgetBytes: size });
    expect(fits.recommendations.map((r) => r.sql)).toEqual(['CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)']);
  });

  it('reuses what-if results from a cache it is given, and leaves no hypothetical index behind', async () => {
    const cache = new Map();
    const first = await adviseWorkload(db.pool, { cache });
    expect(cache.size).toBeGreaterThan(0);
    const second = await adviseWorkload(db.pool, { cache });
    expect(second.workload.whatIf.crossEvaluations).toBe(0);
    expect(second.workload.whatIf.cached).toBeGreaterThan(0);
    expect(second.recommendations.map((r) => r.sql)).toEqual(first.recommendations.map((r) => r.sql));
    const left = await db.pool.query('select count(*)::int as n from hypopg()');
    expect(left.rows[0].n).toBe(0);
  });

  it('plans on two sessions as on one: the same advice, and both sessions put back as they were', async () => {
    const one = await adviseWorkload(db.pool, { sessions: 1, msPerIndexEntry: 0 });
    const two = await adviseWorkload(db.pool, { sessions: 2, msPerIndexEntry: 0 });
    expect(two.recommendations.map((r) => [r.sql, r.queries.map((q) => q.costAfter)])).toEqual(one.recommendations.map((r) => [r.sql, r.queries.map((q) => q.costAfter)]));
    expect(two.workload.costAfter).toBe(one.workload.costAfter);
    // No session holds the guard's functions any more.
    expect((await db.pool.query(`select count(*)::int as n from pg_proc where proname = 'optischema_guarded_plan'`)).rows[0].n).toBe(0);
    // The pool's sessions (the analysis used two of them) hold no hypothetical index and have their own settings back.
    const clients = await Promise.all([db.pool.connect(), db.pool.connect()]);
    try {
      for (const c of clients) {
        const { rows } = await c.query(`select (select count(*)::int from hypopg()) as hypothetical, current_setting('statement_timeout') as timeout, current_setting('search_path') as path`);
        expect(rows[0]).toEqual({ hypothetical: 0, timeout: '0', path: '"$user", public' });
      }
    } finally {
      for (const c of clients) c.release();
    }
  });

  it("keys a statement's what-if results by the indexes on the tables it scans only", async () => {
    const cache = new Map();
    const advice = await adviseWorkload(db.pool, { cache, msPerIndexEntry: 0 });
    const tables = new Set(advice.recommendations.map((r) => r.table));
    expect(tables).toEqual(new Set(['public.orders', 'public.events']));
    const keys = [...cache.keys()].map((key: string) => key.split('\u0000'));
    const onEvents = keys.filter(([text]) => /from events/.test(text!));
    expect(onEvents.length).toBeGreaterThan(0);
    // The selection planned the events statement while an orders index was in the set: its results
    // are kept under the events indexes alone, so a change on orders never plans it again.
    expect(onEvents.flatMap(([, ...ddls]) => ddls).filter((ddl) => ddl.includes('public.orders'))).toEqual([]);
    expect(onEvents.some(([, ...ddls]) => ddls.some((ddl) => ddl.includes('public.events')))).toBe(true);
  });

  it('a given list of statements: a bad one is an error entry, the others are advised on', async () => {
    const advice = await adviseWorkload(db.pool, { statements: ['select * from orders where customer_id = 7', 'select nope from orders', 'select 1; select 2'] });
    expect(advice.workload).toMatchObject({ source: 'statements', statements: 3, analyzed: 1 });
    expect(advice.errors.map((e) => e.query).sort()).toEqual(['select 1; select 2', 'select nope from orders']);
    expect(advice.errors.find((e) => e.query === 'select nope from orders')!.error).toContain('nope');
    expect(advice.recommendations.map((r) => r.sql)).toEqual(['CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)']);
  });
});

describe('adviseWorkload from the collector', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(ORDERS);
    // The first snapshot is the baseline: the load before it is not part of any window, once its
    // counts have reached the shared statistics.
    await settleTableCounters(db.pool, { 'public.orders': 100_000 });
    await db.pool.query('select * from optischema.snapshot()');
    await runReads(db.pool, 10);
    await db.pool.query('select * from optischema.snapshot()');
  });
  afterAll(async () => {
    await db?.close();
  });

  it("reads the database's own collected history when it has one for the window", async () => {
    const advice = await adviseWorkload(db.pool, { since: '1 hour' });
    expect(advice.workload.source).toBe('collector');
    expect(advice.workload.windowSeconds).toBeGreaterThan(0);
    expect(advice.workload.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const [index] = advice.recommendations;
    expect(index?.sql).toBe('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)');
    expect(index!.queries).toHaveLength(3);
    expect(index!.queries.every((q) => q.calls === 10)).toBe(true);
  });

  it('reads the history of a given target in a given database', async () => {
    const { rows } = await db.pool.query(`select id::text from optischema.targets where secret_ref = 'local'`);
    const advice = await adviseWorkload(db.pool, { history: { db: db.pool, targetId: rows[0].id }, since: '1 hour' });
    expect(advice.workload.source).toBe('collector');
    expect(advice.recommendations.map((r) => r.queries.length)).toEqual([3]);
    // A window with no snapshot in it: nothing to advise on.
    const empty = await adviseWorkload(db.pool, { history: { db: db.pool, targetId: rows[0].id }, since: '0 seconds' });
    expect(empty.workload).toMatchObject({ source: 'collector', statements: 0, windowSeconds: 0 });
    expect(empty.recommendations).toEqual([]);
  });
});

describe('adviseWorkload on a database without OptiSchema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(ORDERS);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('says how to get pg_stat_statements when it is missing, and reads it once it is there', async () => {
    await expect(adviseWorkload(db.pool)).rejects.toThrow('pg_stat_statements is not available in this database: preload it (shared_preload_libraries) and run CREATE EXTENSION pg_stat_statements;');
    await db.pool.query('create extension pg_stat_statements');
    await forgetSetUp(db.pool, { 'public.orders': 100_000 });
    await runReads(db.pool, 5);
    const advice = await adviseWorkload(db.pool);
    expect(advice.workload.source).toBe('pg_stat_statements');
    expect(advice.recommendations.map((r) => [r.sql, r.queries.length])).toEqual([
      ['CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)', 3],
    ]);
  });
});
