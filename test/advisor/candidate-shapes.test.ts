import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseQueries } from '../../sidecar/advisor/advise.ts';
import { adviseWorkload } from '../../sidecar/advisor/workload.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * Each candidate shape end to end on real PostgreSQL 15 + hypopg: the statement OptiSchema
 * recommends for it, or that it recommends nothing. The data is shaped so the right answer is
 * clear: a skewed low-cardinality status (pending 4%), a mixed-case varchar email, a range-
 * partitioned event table, a view, a materialized view, a tiny table.
 */
describe('index advice for each candidate shape', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create table public.customers (id int primary key, email varchar(200) not null, region int not null, name text not null);
      insert into public.customers select g, 'User' || g || '@Example.org', g % 20, 'name ' || g from generate_series(1, 20000) g;
      create table public.orders (id bigint primary key, customer_id int not null, status text not null,
                                  created_at timestamptz not null, total numeric not null, note text);
      insert into public.orders
        select g, 1 + g % 20000,
               case when g % 25 = 0 then 'pending' when g % 10 < 5 then 'paid' else 'shipped' end,
               timestamptz '2025-01-01' + g * interval '1 minute', (g % 700) + 0.25, repeat('x', 40)
          from generate_series(1, 200000) g;
      create table public.events (id bigint not null, user_id int not null, kind text not null, at date not null) partition by range (at);
      create table public.events_2025_q1 partition of public.events for values from ('2025-01-01') to ('2025-04-01');
      create table public.events_2025_q2 partition of public.events for values from ('2025-04-01') to ('2025-07-01');
      insert into public.events select g, g % 5000, 'k' || (g % 7), date '2025-01-01' + (g % 180) from generate_series(1, 200000) g;
      create view public.paid_orders as select id, customer_id, created_at, total from public.orders where status = 'paid';
      create materialized view public.customer_totals as
        select customer_id, count(*) as orders, sum(total) as total from public.orders group by customer_id;
      create table public.settings (key text primary key, value text);
      insert into public.settings select 'k' || g, 'v' from generate_series(1, 10) g;
      -- This session's write counts reach the shared statistics before the reset below.
      select pg_stat_force_next_flush();`);
    // Its own statement: VACUUM refuses a multi-statement text (an implicit transaction block).
    await db.pool.query('vacuum analyze public.customers, public.orders, public.events, public.customer_totals, public.settings');
    // Write rates count from here: the bulk load above is not the tables' everyday write load.
    await db.pool.query('select pg_stat_reset()');
  });
  afterAll(async () => {
    await db?.close();
  });

  const advise = async (query: string) => {
    const [result] = (await adviseQueries(db.pool, [query])).results;
    expect(result!.errors).toEqual([]);
    return result!.recommendations;
  };
  const statements = async (query: string) => (await advise(query)).map((r) => r.sql);

  it('equality, then one range column, then nothing more', async () => {
    expect(await statements(`select * from orders where customer_id = 42 and created_at >= '2025-03-01'`)).toEqual([
      'CREATE INDEX CONCURRENTLY orders_customer_id_created_at_idx ON public.orders (customer_id, created_at)',
    ]);
  });

  it('a constant on a skewed low-cardinality column (pending: 4%) gets a partial index', async () => {
    const [first] = await statements(`select id, created_at from orders where status = 'pending' order by created_at limit 20`);
    expect(first).toMatch(/^CREATE INDEX CONCURRENTLY \S+ ON public\.orders \(created_at\)( INCLUDE \(id\))? WHERE status = 'pending'::text$/);
  });

  it('a predicate on an expression gets an expression index', async () => {
    expect(await statements(`select * from customers where lower(email) = 'user77@example.org'`)).toEqual([
      'CREATE INDEX CONCURRENTLY customers_lower_email_idx ON public.customers ((lower(email)))',
    ]);
  });

  it('LIKE with a fixed prefix under a non-C collation gets text_pattern_ops', async () => {
    const { rows } = await db.pool.query(`select datcollate not in ('C', 'POSIX') as not_c from pg_database where datname = current_database()`);
    expect(rows[0].not_c).toBe(true); // the default operator class could not serve LIKE here
    expect(await statements(`select id from customers where email like 'User123%'`)).toEqual([
      expect.stringMatching(/^CREATE INDEX CONCURRENTLY \S+ ON public\.customers \(email text_pattern_ops\)( INCLUDE \(id\))?$/),
    ]);
  });

  it('a query that reads few columns of many rows gets a covering index (INCLUDE) for an index-only scan', async () => {
    const [first] = await advise('select customer_id, sum(total) from orders where customer_id <= 40 group by customer_id');
    expect(first!.sql).toBe('CREATE INDEX CONCURRENTLY orders_customer_id_incl_total_idx ON public.orders (customer_id) INCLUDE (total)');
    expect(first!.rationale).toContain('index-only scan');
  });

  it('a query that returns a few rows gets no INCLUDE: it would save only a few heap visits', async () => {
    expect(await statements('select id, total from orders where customer_id = 42')).toEqual([
      'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)',
    ]);
  });

  it('a range under a GROUP BY gets an index on the range column (with or without INCLUDE, whichever costs less)', async () => {
    const [first] = await statements(
      `select date_trunc('day', created_at) as day, status, count(*), sum(total) from orders
        where created_at >= '2025-03-01' and created_at < '2025-03-05' group by 1, 2 order by 1, 2`,
    );
    expect(first).toMatch(/^CREATE INDEX CONCURRENTLY orders_created_at\S* ON public\.orders \(created_at\)( INCLUDE \(status, total\))?$/);
  });

  it('no covering copy of an index that already finds the rows, and none over a large share of the table', async () => {
    expect(await statements('select id, status, total from orders where id = 2001')).toEqual([]); // the primary key serves it
    expect(await statements(`select id, customer_id from orders where status = 'paid'`)).toEqual([]); // half the table
  });

  it('a view resolves to its table', async () => {
    expect(await statements('select * from paid_orders where customer_id = 7')).toEqual([
      expect.stringMatching(/^CREATE INDEX CONCURRENTLY orders_customer_id\S* ON public\.orders \(customer_id/),
    ]);
  });

  it('a materialized CTE resolves to its table', async () => {
    expect(await statements('with c as materialized (select * from orders where customer_id = 9) select count(*) from c')).toEqual([
      expect.stringMatching(/^CREATE INDEX CONCURRENTLY orders_customer_id\S* ON public\.orders \(customer_id/),
    ]);
  });

  it('a partitioned table gets one index on its parent, built without CONCURRENTLY (which PostgreSQL refuses there)', async () => {
    const [r] = await advise('select * from events where user_id = 42');
    expect(r!.sql).toBe('CREATE INDEX events_user_id_idx ON public.events (user_id)');
    expect(r!.rollbackSql).toBe('DROP INDEX IF EXISTS public.events_user_id_idx');
    expect(r!.table).toBe('public.events');
    expect(r!.risk.level).toBe('medium');
    expect(r!.risk.reason).toContain('partitioned');
  });

  it('a materialized view can be indexed like a table', async () => {
    expect(await statements('select * from customer_totals where customer_id = 5')).toEqual([
      'CREATE INDEX CONCURRENTLY customer_totals_customer_id_idx ON public.customer_totals (customer_id)',
    ]);
  });

  it('a join gets the index on the inner side\'s join key and on the filtered side', async () => {
    const sql = await statements(`select o.* from customers c join orders o on o.customer_id = c.id where c.email = 'User5@Example.org'`);
    expect(sql).toContain('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)');
    expect(sql).toContainEqual(expect.stringMatching(/^CREATE INDEX CONCURRENTLY customers_email\S* ON public\.customers \(email\)/));
  });

  it('workload advice gives a join its index on each side too', async () => {
    const join = `select o.* from customers c join orders o on o.customer_id = c.id where c.email = 'User5@Example.org'`;
    const advice = await adviseWorkload(db.pool, { statements: [join] });
    const sql = advice.recommendations.map((r) => r.sql);
    expect(sql).toContain('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)');
    expect(sql).toContainEqual(expect.stringMatching(/^CREATE INDEX CONCURRENTLY customers_email\S* ON public\.customers \(email\)/));
    expect(advice.recommendations.every((r) => r.queries.map((q) => q.query).includes(join))).toBe(true);
  });

  it('tiny tables and catalog relations get nothing', async () => {
    expect(await statements(`select * from settings where value = 'v'`)).toEqual([]);
    expect(await statements(`select * from pg_class where relname = 'orders'`)).toEqual([]);
  });

  it('an existing partial index with the same predicate serves the partial candidate', async () => {
    await db.pool.query(`create index orders_pending_existing on public.orders (created_at) where status = 'pending'`);
    try {
      expect(await statements(`select * from orders where status = 'pending' order by created_at limit 20`)).toEqual([]);
    } finally {
      await db.pool.query('drop index orders_pending_existing');
    }
  });

  it('every recommendation carries its risk and write overhead from the table\'s statistics', async () => {
    const [r] = await advise('select * from orders where customer_id = 11');
    expect(r!.risk).toEqual({ level: 'low', reason: expect.stringMatching(/^low: concurrent build, [\d.]+ MiB table, 0 index writes\/s$/) });
    expect(r!.writeOverhead).toMatchObject({ indexWritesPerSecond: 0, hotUpdatesAtRiskPerSecond: 0 });
    expect(r!.writeOverhead.summary).toMatch(/^about 0 index writes\/s/);
  });
});
