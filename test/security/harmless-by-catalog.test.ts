import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from '../../sidecar/plans/analyze-plan.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * EXPLAIN ANALYZE runs a statement only when the catalog proves it harmless (guard-sql.ts,
 * optischema_unsafe_reasons): what a view, a policy or a partition hides counts as much as the text.
 */
describe('EXPLAIN ANALYZE only where the catalog proves the statement harmless', () => {
  let db: TestDatabase;
  let client: pg.PoolClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = await db.pool.connect();
    await client.query(`
      create table public.t (id int primary key, v text);
      insert into public.t select g, 'v' || g from generate_series(1, 100) g;
      create sequence public.s;
      create function public.user_fn(int) returns int language sql immutable as 'select $1';
      create view public.plain_view as select id, upper(v) as v from public.t where id > 10;
      create view public.fn_view as select public.user_fn(id) as id from public.t;
      create view public.nested_view as select * from public.fn_view;
      create view public.seq_view as select nextval('public.s') as n;
      create table public.parted (id int, v int) partition by range (id);
      create table public.parted_1 partition of public.parted for values from (0) to (100);
      create domain public.positive as int check (value > 0);
      create view public.xml_view as select query_to_xml('select 1', true, true, '') as x;
      create table public.guarded (id int);
      alter table public.guarded enable row level security;
      create policy p on public.guarded using (public.user_fn(id) > 0);`);
  });
  afterAll(async () => {
    client?.release();
    await db?.close();
  });

  it.each([
    ['a plain table', 'select count(*) from public.parted'],
    ['a view of built-ins', 'select * from public.plain_view where id = 20'],
    ['built-in stable functions', "select now() - interval '1 day', lower('X')"],
  ])('runs %s', async (_what, query) => {
    const { explain } = await analyzePlan(client, query);
    expect(typeof explain['Execution Time']).toBe('number');
  });

  it.each([
    ['a view over a user function', 'select * from public.fn_view', /calls public\.user_fn\(integer\), which is not built in/],
    ['a view over such a view', 'select * from public.nested_view', /calls public\.user_fn\(integer\)/],
    ['a sequence behind a view', 'select * from public.seq_view', /nextval\(regclass\), which is volatile/],
    ['a volatile built-in', 'select random()', /random\(\), which is volatile/],
    ['a built-in that runs SQL text, behind a view', 'select * from public.xml_view', /calls query_to_xml\(text,boolean,boolean,text\), which is (volatile|a function that runs SQL)/],
    ['a cast to a domain with a check', 'select 5::public.positive', /domain public\.positive/],
    ['a row-level security policy that calls a user function', 'select * from public.guarded', /calls public\.user_fn\(integer\)/],
  ])('refuses %s, saying why', async (_what, query, reason) => {
    await expect(analyzePlan(client, query)).rejects.toThrow(reason);
  });
});
