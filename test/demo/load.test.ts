import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_SCHEMA_COMMENT_PREFIX, demoRowCounts } from '../../sidecar/demo/dataset.ts';
import { loadDemo, type DemoSummary } from '../../sidecar/demo/load.ts';
import { UserError } from '../../sidecar/errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const SCALE = 0.002;

let db: TestDatabase;
let client: pg.PoolClient;
let summary: DemoSummary;

beforeAll(async () => {
  db = await createTestDatabase();
  client = await db.pool.connect();
  summary = await loadDemo(client, { scale: SCALE });
});

afterAll(async () => {
  client?.release();
  await db?.close();
});

function rowsOf(loaded: DemoSummary, table: string): number {
  const entry = loaded.tables.find((candidate) => candidate.name === table);
  if (!entry) throw new Error(`no table ${table} in the summary`);
  return entry.rows;
}

async function one<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.pool.query<T>(sql, params);
  if (!rows[0]) throw new Error(`no row from: ${sql}`);
  return rows[0];
}

/** An md5 over every row of every demo table, in id order. */
async function checksum(): Promise<string> {
  const row = await one<{ sum: string }>(`
    select md5(string_agg(part, '|')) as sum from (
      select (select md5(string_agg(t::text, ',' order by t.code)) from demo.countries t) as part
      union all select (select md5(string_agg(t::text, ',' order by t.id)) from demo.customers t)
      union all select (select md5(string_agg(t::text, ',' order by t.id)) from demo.products t)
      union all select (select md5(string_agg(t::text, ',' order by t.id)) from demo.orders t)
      union all select (select md5(string_agg(t::text, ',' order by t.id)) from demo.order_items t)
      union all select (select md5(string_agg(t::text, ',' order by t.id)) from demo.events t)
    ) parts`);
  return row.sum;
}

describe('loadDemo at a tiny scale', () => {
  it('fills every table with the planned number of rows, and reports them', async () => {
    const planned = demoRowCounts(SCALE);
    expect(summary.scale).toBe(SCALE);
    expect(summary.tables.map((table) => table.name)).toEqual(['countries', 'customers', 'products', 'orders', 'order_items', 'events']);
    expect(rowsOf(summary, 'countries')).toBe(20);
    expect(rowsOf(summary, 'customers')).toBe(planned.customers);
    expect(rowsOf(summary, 'products')).toBe(planned.products);
    expect(rowsOf(summary, 'orders')).toBe(planned.orders);
    expect(rowsOf(summary, 'events')).toBe(planned.events);
    // One to five items per order, about 2.3 on average.
    expect(rowsOf(summary, 'order_items')).toBeGreaterThan(1.8 * planned.orders);
    expect(rowsOf(summary, 'order_items')).toBeLessThan(2.8 * planned.orders);
    const actual = await one<{ items: string }>('select count(*) as items from demo.order_items');
    expect(Number(actual.items)).toBe(rowsOf(summary, 'order_items'));
    expect(summary.seconds).toBeGreaterThan(0);
  });

  it('marks schema demo as created by the loader', async () => {
    const row = await one<{ comment: string | null }>(`select obj_description('demo'::regnamespace, 'pg_namespace') as comment`);
    expect(row.comment?.startsWith(DEMO_SCHEMA_COMMENT_PREFIX)).toBe(true);
  });

  it('skews order statuses like a real shop: mostly delivered, few pending', async () => {
    const { rows } = await db.pool.query<{ status: string; share: number }>(
      `select status, count(*)::float8 / sum(count(*)) over () as share from demo.orders group by status`,
    );
    const share = Object.fromEntries(rows.map((row) => [row.status, row.share]));
    expect(share.delivered).toBeGreaterThan(0.75);
    expect(share.delivered).toBeLessThan(0.85);
    expect(share.shipped).toBeGreaterThan(0.07);
    expect(share.pending).toBeGreaterThan(0.02);
    expect(share.pending).toBeLessThan(0.06);
    expect(share.cancelled).toBeLessThan(0.08);
  });

  it('has long-tailed totals and a few customers with many orders', async () => {
    const totals = await one<{ median: number; p99: number; max: number }>(
      `select percentile_cont(0.5) within group (order by total) as median,
              percentile_cont(0.99) within group (order by total) as p99,
              max(total)::float8 as max
       from demo.orders`,
    );
    expect(totals.median).toBeGreaterThan(12);
    expect(totals.median).toBeLessThan(30);
    expect(totals.p99 / totals.median).toBeGreaterThan(8);
    const perCustomer = await one<{ median: number; top: number }>(
      `select percentile_cont(0.5) within group (order by n) as median, max(n)::float8 as top
       from (select count(*) as n from demo.orders group by customer_id) c`,
    );
    expect(perCustomer.top).toBeGreaterThan(8 * perCustomer.median);
  });

  it('has real NULL shares, mixed-case emails, jsonb payloads and two years of history', async () => {
    const customers = await one<{ no_phone: number; mixed_case: number }>(
      `select avg((phone is null)::int)::float8 as no_phone, avg((email <> lower(email))::int)::float8 as mixed_case
       from demo.customers`,
    );
    expect(customers.no_phone).toBeGreaterThan(0.25);
    expect(customers.no_phone).toBeLessThan(0.45);
    expect(customers.mixed_case).toBeGreaterThan(0.02);
    expect(customers.mixed_case).toBeLessThan(0.1);

    const shipping = await one<{ unshipped_with_date: string; shipped_without_date: string }>(
      `select count(*) filter (where status in ('pending', 'processing', 'cancelled') and shipped_at is not null) as unshipped_with_date,
              count(*) filter (where status in ('shipped', 'delivered', 'returned') and shipped_at is null) as shipped_without_date
       from demo.orders`,
    );
    expect(shipping).toEqual({ unshipped_with_date: '0', shipped_without_date: '0' });

    const events = await one<{ type: string; anonymous: number; with_path: string }>(
      `select pg_typeof(payload)::text as type, avg((customer_id is null)::int)::float8 as anonymous,
              count(*) filter (where payload ? 'path') as with_path
       from demo.events group by 1`,
    );
    expect(events.type).toBe('jsonb');
    expect(events.anonymous).toBeGreaterThan(0.1);
    expect(events.anonymous).toBeLessThan(0.3);
    expect(Number(events.with_path)).toBeGreaterThan(0);

    const span = await one<{ days: number }>(`select (extract(epoch from max(created_at) - min(created_at)) / 86400)::float8 as days from demo.orders`);
    expect(span.days).toBeGreaterThan(600);
    expect(span.days).toBeLessThanOrEqual(730);
  });

  it('leaves every foreign key without an index on its referencing column', async () => {
    const { rows } = await db.pool.query<{ constrained: string; indexed: boolean }>(`
      select c.conrelid::regclass::text || '.' || a.attname as constrained,
             exists (
               select 1 from pg_index i
               where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1] and i.indpred is null
             ) as indexed
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'f' and c.connamespace = 'demo'::regnamespace
      order by 1`);
    expect(rows).toEqual([
      { constrained: 'demo.customers.country_code', indexed: false },
      { constrained: 'demo.events.customer_id', indexed: false },
      { constrained: 'demo.order_items.order_id', indexed: false },
      { constrained: 'demo.order_items.product_id', indexed: false },
      { constrained: 'demo.orders.customer_id', indexed: false },
    ]);
  });

  it('has exactly the intended indexes: keys, one redundant pair, one unused, none for the workload filters', async () => {
    const { rows } = await db.pool.query<{ name: string; unique: boolean; columns: string[] }>(`
      select c.relname as name, i.indisunique as unique,
             array(select coalesce(a.attname, 'expr')
                   from unnest(i.indkey) with ordinality k(attnum, n)
                   left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                   order by k.n)::text[] as columns
      from pg_index i
      join pg_class c on c.oid = i.indexrelid
      join pg_class t on t.oid = i.indrelid
      where t.relnamespace = 'demo'::regnamespace
      order by 1`);
    expect(rows).toEqual([
      { name: 'countries_pkey', unique: true, columns: ['code'] },
      { name: 'customers_pkey', unique: true, columns: ['id'] },
      { name: 'events_created_at_idx', unique: false, columns: ['created_at'] },
      { name: 'events_pkey', unique: true, columns: ['id'] },
      { name: 'order_items_pkey', unique: true, columns: ['id'] },
      { name: 'orders_pkey', unique: true, columns: ['id'] },
      // Redundant: (category) is a leading prefix of (category, price), both plain btrees.
      { name: 'products_category_idx', unique: false, columns: ['category'] },
      { name: 'products_category_price_idx', unique: false, columns: ['category', 'price'] },
      { name: 'products_pkey', unique: true, columns: ['id'] },
      { name: 'products_sku_key', unique: true, columns: ['sku'] },
    ]);
  });

  it('reloads deterministically, and row counts follow the scale', async () => {
    const first = await checksum();
    const bigger = await loadDemo(client, { scale: 2 * SCALE });
    expect(rowsOf(bigger, 'customers')).toBe(2 * rowsOf(summary, 'customers'));
    expect(rowsOf(bigger, 'orders')).toBe(2 * rowsOf(summary, 'orders'));
    expect(rowsOf(bigger, 'order_items') / rowsOf(summary, 'order_items')).toBeCloseTo(2, 0);
    expect(await checksum()).not.toBe(first);

    const again = await loadDemo(client, { scale: SCALE });
    expect(again.tables).toEqual(summary.tables);
    expect(await checksum()).toBe(first);
  });

  it("leaves the load's session as it found it: settings were local to the transaction", async () => {
    const { rows } = await client.query<{ customers: string | null; sync: string; hashjoin: string; work_mem: string }>(
      `select current_setting('optischema.demo_customers', true) as customers,
              current_setting('synchronous_commit') as sync,
              current_setting('enable_hashjoin') as hashjoin,
              current_setting('work_mem') as work_mem`,
    );
    const defaults = await one<{ work_mem: string }>(`select reset_val as work_mem from pg_settings where name = 'work_mem'`);
    expect(rows[0]?.customers ?? '').toBe('');
    expect(rows[0]?.sync).toBe('on');
    expect(rows[0]?.hashjoin).toBe('on');
    expect(rows[0]?.work_mem).not.toBe('128MB');
    expect(defaults.work_mem).not.toBe('131072');
  });
});

describe('loadDemo refuses', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 101])('scale %s, before sending anything', async (scale) => {
    const query = vi.fn();
    const fake = { query } as unknown as pg.ClientBase;
    await expect(loadDemo(fake, { scale })).rejects.toThrow(/^demo scale must be a number greater than 0/);
    expect(query).not.toHaveBeenCalled();
  });

  it('to replace a demo schema it did not create, and leaves it intact', async () => {
    const other = await createTestDatabase();
    try {
      await other.pool.query(`create schema demo; create table demo.orders (id int); insert into demo.orders values (42)`);
      const session = await other.pool.connect();
      try {
        const attempt = loadDemo(session, { scale: SCALE });
        await expect(attempt).rejects.toBeInstanceOf(UserError);
        await expect(attempt).rejects.toThrow(/schema "demo" already exists and was not created by `optischema demo load`/);
      } finally {
        session.release();
      }
      const { rows } = await other.pool.query<{ id: number }>('select id from demo.orders');
      expect(rows).toEqual([{ id: 42 }]);
    } finally {
      await other.close();
    }
  });

  it('to drop tables that objects outside the dataset depend on, and rolls back', async () => {
    await db.pool.query(`create view public.big_orders as select id, total from demo.orders where total > 1000`);
    try {
      const before = await checksum();
      const attempt = loadDemo(client, { scale: SCALE });
      await expect(attempt).rejects.toBeInstanceOf(UserError);
      await expect(attempt).rejects.toThrow(/objects the demo loader did not create depend on it .*big_orders/);
      expect(await checksum()).toBe(before);
      const view = await one<{ n: string }>('select count(*) as n from public.big_orders');
      expect(Number(view.n)).toBeGreaterThan(0);
    } finally {
      await db.pool.query('drop view public.big_orders');
    }
  });
});
