import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseWorkload } from '../../sidecar/advisor/workload.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * Covering variants in workload selection, on real PostgreSQL 15 + hypopg: an index the
 * statement's join lookups use, with INCLUDE of the only other column the statement reads from
 * that table, lets those lookups be index-only. No per-scan candidate has that INCLUDE (the
 * lookup's scan has no filter to read columns off); it comes from what the statement reads.
 */
describe('covering variants in workload selection', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create table public.orders (id int primary key, customer_id int not null, total numeric not null);
      insert into public.orders select g, 1 + g % 2000, g % 700 from generate_series(1, 200000) g;
      create table public.order_items (id bigint primary key, order_id int not null, product_id int not null, quantity int not null, note text not null);
      insert into public.order_items select g, 1 + (g::bigint * 7919) % 200000, g % 500, 1 + g % 5, repeat('x', 60) from generate_series(1, 600000) g;`);
    await db.pool.query('vacuum analyze public.orders, public.order_items');
  });
  afterAll(async () => {
    await db?.close();
  });

  it("the lookups' index carries the column the statement sums, and the rationale says why", async () => {
    const statement = {
      queryid: null,
      query: 'select o.id, sum(i.quantity) from orders o join order_items i on i.order_id = o.id where o.customer_id = $1 group by o.id',
      calls: 1000,
      meanMs: 20,
    };
    const advice = await adviseWorkload(db.pool, { statements: [statement], budgetBytes: 1024 ** 3 });
    expect(advice.errors).toEqual([]);
    const items = advice.recommendations.filter((r) => r.table === 'public.order_items').map((r) => r.sql);
    expect(items).toEqual(['CREATE INDEX CONCURRENTLY order_items_order_id_incl_quantity_idx ON public.order_items (order_id) INCLUDE (quantity)']);
    expect(advice.recommendations.find((r) => r.table === 'public.order_items')!.rationale).toMatch(/INCLUDE quantity, the columns the statement reads/);
  });
});
