import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseQueries } from '../../sidecar/advisor/advise.ts';
import { adviseWorkload } from '../../sidecar/advisor/workload.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * Normalized statements (`$n`, as pg_stat_statements keeps them) planned with representative
 * values on real PostgreSQL 15 + hypopg: statistics-drawn values, literal samples, typed and
 * untyped parameters, and the generic plan as the stated fallback.
 */
describe('parameter values for normalized statements', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    // 100 orders per customer: enough that a page of one customer's newest orders clearly wants
    // (customer_id, created_at) over sorting that customer's rows, whatever rows ANALYZE samples.
    await db.pool.query(`
      create table public.orders (id int primary key, customer_id int not null, status text not null,
                                  created_at timestamptz not null, total numeric not null, email text not null);
      insert into public.orders
        select g, 1 + g % 2000, case when g % 25 = 0 then 'pending' when g % 10 < 5 then 'paid' else 'shipped' end,
               timestamptz '2025-01-01' + g * interval '1 minute', (g % 700) + 0.25, 'User' || g || '@example.org'
          from generate_series(1, 200000) g;
      create table public.order_items (id bigint primary key, order_id int not null, product_id int not null, quantity int not null);
      insert into public.order_items select g, 1 + (g::bigint * 7919) % 200000, g % 500, 1 + g % 5 from generate_series(1, 600000) g;
      select pg_stat_force_next_flush();`);
    await db.pool.query('vacuum analyze public.orders, public.order_items');
    await db.pool.query('select pg_stat_reset()');
  });
  afterAll(async () => {
    await db?.close();
  });

  const adviseOne = async (query: string) => {
    const [result] = (await adviseQueries(db.pool, [query])).results;
    return result!;
  };

  it('a narrow range on the outer side of a join is planned with drawn values, and the inner join key gets its index', async () => {
    const result = await adviseOne('select i.product_id, i.quantity from orders o join order_items i on i.order_id = o.id where o.id between $1 and $2 + $3');
    expect(result.errors).toEqual([]);
    expect(result.parameters?.source).toBe('statistics');
    expect(result.parameters?.sets.map((s) => s.label)).toContain('narrow');
    // The `+ $3` operand takes the neutral 0, so the upper bound is a value of o.id.
    for (const set of result.parameters!.sets) expect(set.values?.[2]).toBe('0');
    expect(result.recommendations.map((r) => r.sql)).toContain('CREATE INDEX CONCURRENTLY order_items_order_id_idx ON public.order_items (order_id)');
  });

  it('equality with ORDER BY … LIMIT $n gets the composite, LIMIT planned as a page', async () => {
    const result = await adviseOne('select id, total from orders where customer_id = $1 order by created_at desc limit $2');
    expect(result.errors).toEqual([]);
    expect(result.parameters?.sets[0]?.values?.[1]).toBe('10');
    expect(result.recommendations[0]?.sql).toBe('CREATE INDEX CONCURRENTLY orders_customer_id_created_at_idx ON public.orders (customer_id, created_at)');
  });

  it('untyped arithmetic, CASE results and extract($n from …) plan', async () => {
    const result = await adviseOne(
      'select extract($1 from created_at) as y, sum(case when status = $2 then $3 else $4 end) from orders where total between $5 - $6 and $7 + $8 and customer_id = $9 group by 1',
    );
    expect(result.errors).toEqual([]);
    expect(result.parameters?.typing).toBe('numeric');
    expect(result.parameters?.source).toBe('statistics');
    expect(result.recommendations[0]?.sql).toMatch(/ON public\.orders \(customer_id/);
  });

  it('typed literals of any common type plan: numeric $n, interval $n day', async () => {
    const result = await adviseOne('select id from orders where total > numeric $1 and created_at > timestamptz $2 - interval $3 day and customer_id = $4');
    expect(result.errors).toEqual([]);
    expect(result.parameters?.source).toBe('statistics');
  });

  it('a parameter compared with an expression no statistics describe falls back to the generic plan, and says so', async () => {
    const result = await adviseOne('select id from orders where lower(email) = $1');
    expect(result.errors).toEqual([]);
    expect(result.parameters?.source).toBe('generic');
    expect(result.parameters?.why).toMatch(/\$1 compared with an expression/);
    expect(result.recommendations[0]?.sql).toMatch(/\(lower\(email\)\)/);
  });

  it('a parameter in HAVING is no column\'s value: the generic plan stands in, not a NULL that empties the result', async () => {
    const result = await adviseOne('select customer_id from orders where status = $1 group by customer_id having sum(total) > $2');
    expect(result.errors).toEqual([]);
    expect(result.parameters?.source).toBe('generic');
    expect(result.parameters?.why).toMatch(/\$2 compared with an expression/);
  });

  it('the common set of an equality on a column with no most common value takes a real value, not NULL', async () => {
    // email is unique: pg_stats keeps no most common values for it, only the histogram.
    const result = await adviseOne('select id from orders where status = $1 and email = $2');
    expect(result.errors).toEqual([]);
    expect(result.parameters?.source).toBe('statistics');
    const common = result.parameters!.sets.find((s) => s.label === 'common');
    expect(common).toBeDefined();
    expect(common!.values?.[0]).toMatch(/^(paid|shipped|pending)$/);
    expect(common!.values?.[1]).toMatch(/@example\.org$/);
    expect(result.recommendations[0]?.sql).toMatch(/ON public\.orders \(email/);
  });

  it('planning the same statement again adds no pg_stat_statements entry: the analysis does not crowd out the workload', async () => {
    const entries = async () => {
      const { rows } = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_statements s
          where s.dbid = (select oid from pg_database where datname = current_database()) and s.query ~ 'execute optischema_'`,
      );
      return rows[0]!.n;
    };
    const query = 'select id, total from orders where customer_id = $1 and status = $2';
    await adviseOne(query);
    const once = await entries();
    await adviseOne(query);
    await adviseOne(query);
    expect(once).toBeGreaterThan(0);
    expect(await entries()).toBe(once);
  });

  it('a statement that no typing makes plannable is an error with a reason, not dropped', async () => {
    const result = await adviseOne('select id from orders where created_at > $1 - $2 - no_such_column');
    expect(result.errors.join(' ')).toMatch(/could not be typed for planning|no_such_column/);
  });

  it('values pg_qualstats sampled come first, and the evidence says so', async () => {
    const client = await db.pool.connect();
    let queryid: string;
    try {
      await client.query('create extension if not exists pg_stat_statements');
      await client.query('create extension if not exists pg_qualstats');
      await client.query('set pg_qualstats.sample_rate = 1');
      await client.query(`select id, total from orders where customer_id = 1242 and status = 'paid'`);
      await client.query('reset pg_qualstats.sample_rate');
      const { rows } = await client.query<{ queryid: string }>(
        `select queryid::text from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
            and query = 'select id, total from orders where customer_id = $1 and status = $2'`,
      );
      queryid = rows[0]!.queryid;
    } finally {
      client.release();
    }
    const advice = await adviseWorkload(db.pool, {
      statements: [{ queryid, query: 'select id, total from orders where customer_id = $1 and status = $2', calls: 500, meanMs: 15 }],
    });
    expect(advice.errors).toEqual([]);
    const [recommendation] = advice.recommendations;
    expect(recommendation?.sql).toMatch(/ON public\.orders \(customer_id/);
    expect(recommendation?.rationale).toContain('parameters planned with values pg_qualstats sampled');
  });

  it('literal samples of a workload statement are planned as sent', async () => {
    const advice = await adviseWorkload(db.pool, {
      statements: [{ queryid: null, query: 'select id, total from orders where status = $1 order by created_at limit $2', calls: 1000, meanMs: 20, samples: ["select id, total from orders where status = 'pending' order by created_at limit 20"] }],
    });
    expect(advice.errors).toEqual([]);
    const sql = advice.recommendations.map((r) => r.sql);
    expect(sql.some((s) => /ON public\.orders \(created_at\) WHERE \(?status = 'pending'/.test(s) || /ON public\.orders \(status, created_at\)/.test(s))).toBe(true);
  });
});
