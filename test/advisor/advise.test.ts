import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseQueries } from '../../sidecar/advisor/advise.ts';
import { testAppRole } from '../support/app-role.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * The what-if core against real PostgreSQL 15 + hypopg: 100k orders, 1000 customers (100 rows
 * each), status 50/50 between two values.
 */
describe('adviseQueries on a real database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create table public.orders (id bigint primary key, customer_id int, status text, created_at timestamptz, total numeric);
      insert into public.orders
        select g, g % 1000, case when g % 2 = 0 then 'open' else 'paid' end,
               timestamptz '2025-01-01' + g * interval '1 minute', (g % 500) + 0.5
          from generate_series(1, 100000) g;
      create table public.customers (id int primary key, region int, name text);
      insert into public.customers select g, g % 10, 'c' || g from generate_series(0, 999) g;
      analyze public.orders;
      analyze public.customers;`);
  });
  afterAll(async () => {
    await db?.close();
  });

  const advise = async (query: string, authors?: string[]) => (await adviseQueries(db.pool, [query], { authors })).results[0]!;

  it('an equality filter gets a single-column index that cuts the cost by at least 20%', async () => {
    const result = await advise('select * from orders where customer_id = 42');
    expect(result.errors).toEqual([]);
    expect(result.recommendations).toHaveLength(1);
    const [r] = result.recommendations;
    expect(r).toMatchObject({
      sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)',
      rollbackSql: 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx',
      table: 'public.orders',
    });
    expect(r!.improvementPct).toBeGreaterThanOrEqual(20);
    expect(r!.costAfter).toBeLessThan(r!.costBefore);
    expect(r!.sizeBytes).toBeGreaterThan(0);
    expect(r!.rationale).toContain('customer_id');
    expect(r!.rationale).toMatch(/estimated by hypopg: cost [\d.]+ → [\d.]+/);
  });

  it('two equality columns get a multi-column index, and its single-column prefix is left out', async () => {
    const result = await advise("select * from orders where customer_id = 42 and status = 'open'");
    expect(result.errors).toEqual([]);
    expect(result.recommendations[0]!.sql).toBe('CREATE INDEX CONCURRENTLY orders_customer_id_status_idx ON public.orders (customer_id, status)');
    expect(result.recommendations.map((r) => r.sql)).not.toContain('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)');
  });

  it('an existing index that serves the query gives no recommendation (leading-prefix rule)', async () => {
    await db.pool.query('create index orders_customer_status_existing on public.orders (customer_id, status)');
    try {
      const result = await advise('select * from orders where customer_id = 42');
      expect(result).toMatchObject({ recommendations: [], errors: [] });
    } finally {
      await db.pool.query('drop index orders_customer_status_existing');
    }
  });

  it('a low-selectivity predicate (status, 50/50) gives no recommendation', async () => {
    const result = await advise("select * from orders where status = 'open'");
    expect(result).toEqual({ query: "select * from orders where status = 'open'", recommendations: [], errors: [] });
  });

  it('an unknown column becomes an error, not a crash, and the next query still runs', async () => {
    const { results } = await adviseQueries(db.pool, ['select * from orders where no_such_column = 1', 'select * from orders where customer_id = 7']);
    expect(results[0]!.recommendations).toEqual([]);
    expect(results[0]!.errors).toEqual([expect.stringContaining('no_such_column')]);
    expect(results[1]!.errors).toEqual([]);
    expect(results[1]!.recommendations).toHaveLength(1);
  });

  it('a syntax error is refused by the parser check', async () => {
    const result = await advise('select * from where');
    expect(result.errors).toEqual([expect.stringContaining('does not parse')]);
  });

  it('a second statement is refused before it reaches the server', async () => {
    const result = await advise('SELECT 1; DROP TABLE orders');
    expect(result.recommendations).toEqual([]);
    expect(result.errors).toEqual([expect.stringContaining('expected exactly one statement')]);
    const { rows } = await db.pool.query("select to_regclass('public.orders') is not null as exists");
    expect(rows[0].exists).toBe(true);
  });

  it('a query with $n parameters (as pg_stat_statements prints it) is planned with values drawn from statistics, not its generic plan', async () => {
    const result = await advise('select * from orders where customer_id = $1 and created_at >= $2');
    expect(result.errors).toEqual([]);
    expect(result.recommendations[0]?.sql).toBe('CREATE INDEX CONCURRENTLY orders_customer_id_created_at_idx ON public.orders (customer_id, created_at)');
    // Planned with values drawn from the columns' statistics, and the rationale says so.
    expect(result.parameters?.source).toBe('statistics');
    expect(result.recommendations[0]?.rationale).toContain('parameters planned with values drawn from pg_stats');
    // The prepared statements behind the generic plans are gone.
    const { rows } = await db.pool.query('select count(*)::int as n from pg_prepared_statements');
    expect(rows[0].n).toBe(0);
  });

  it('a typed literal that pg_stat_statements turned into `interval $1` is planned as a cast', async () => {
    const result = await advise('select * from orders where customer_id = $1 and created_at > now() - interval $2');
    expect(result.errors).toEqual([]);
    expect(result.recommendations[0]?.sql).toMatch(/^CREATE INDEX CONCURRENTLY orders_customer_id\S* ON public\.orders \(customer_id/);
  });

  it('an UPDATE with $n parameters is planned generically, never run', async () => {
    const sum = async () => (await db.pool.query('select sum(total)::float8 as total from orders')).rows[0].total as number;
    const before = await sum();
    const result = await advise('update orders set total = total + $1 where customer_id = $2', [await testAppRole(db.pool)]);
    expect(result.errors).toEqual([]);
    expect(result.recommendations[0]?.sql).toBe('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)');
    expect(await sum()).toBe(before);
  });

  it('a writing statement is planned, not run', async () => {
    const result = await advise('delete from orders where customer_id = 42', [await testAppRole(db.pool)]);
    expect(result.errors).toEqual([]);
    expect(result.recommendations[0]?.sql).toBe('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)');
    const { rows } = await db.pool.query('select count(*)::int as n from orders where customer_id = 42');
    expect(rows[0].n).toBe(100);
  });

  it('leaves no hypothetical index and no setting behind on its connection', async () => {
    // One connection: the advice and the checks afterwards run in the same backend.
    const single = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const { rows: [{ pid }] } = await single.query('select pg_backend_pid() as pid');
      await adviseQueries(single, ['select * from orders where customer_id = 42', 'select * from orders where no_such_column = 1']);
      const { rows } = await single.query(
        "select pg_backend_pid() as pid, (select count(*)::int from hypopg()) as hypothetical, current_setting('statement_timeout') as timeout",
      );
      expect(rows[0]).toEqual({ pid, hypothetical: 0, timeout: '0' });
    } finally {
      await single.end();
    }
  });
});
