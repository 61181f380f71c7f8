import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseQueries } from '../../sidecar/advisor/advise.ts';
import { adviseWorkload } from '../../sidecar/advisor/workload.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * Names that need quoting everywhere: a schema with a space, a mixed-case table, columns with a
 * space, an upper-case letter and a quote. The advice must name them exactly and its DDL must run.
 */
describe('advice on names that need quoting', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create schema "Sales Data";
      create table "Sales Data"."Order Lines" ("Id" bigint primary key, "Customer Id" int not null, "State" text not null, "it's" int);
      insert into "Sales Data"."Order Lines"
        select g, g % 5000, case when g % 25 = 0 then 'Open' else 'Done' end, g % 7 from generate_series(1, 100000) g;
      analyze "Sales Data"."Order Lines";`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('quotes every name in the statement and its rollback, and both run', async () => {
    const [result] = (await adviseQueries(db.pool, [`select * from "Sales Data"."Order Lines" where "Customer Id" = 42 and "it's" = 3`])).results;
    expect(result!.errors).toEqual([]);
    const [r] = result!.recommendations;
    expect(r!.table).toBe('Sales Data.Order Lines');
    expect(r!.sql).toBe('CREATE INDEX CONCURRENTLY order_lines_customer_id_it_s_idx ON "Sales Data"."Order Lines" ("Customer Id", "it\'s")');
    await db.pool.query(r!.sql);
    const { rows } = await db.pool.query(`select count(*)::int as n from pg_indexes where schemaname = 'Sales Data' and indexname = 'order_lines_customer_id_it_s_idx'`);
    expect(rows[0].n).toBe(1);
    // Now an existing index serves the query: nothing more to suggest.
    const [again] = (await adviseQueries(db.pool, [`select * from "Sales Data"."Order Lines" where "Customer Id" = 42 and "it's" = 3`])).results;
    expect(again!.recommendations).toEqual([]);
    await db.pool.query(r!.rollbackSql);
    const after = await db.pool.query(`select count(*)::int as n from pg_indexes where schemaname = 'Sales Data' and indexname = 'order_lines_customer_id_it_s_idx'`);
    expect(after.rows[0].n).toBe(0);
  });

  it('reads statistics for quoted names: a partial index on the skewed mixed-case column', async () => {
    const [result] = (await adviseQueries(db.pool, [`select "Id" from "Sales Data"."Order Lines" where "State" = 'Open' and "Customer Id" = 7`])).results;
    expect(result!.errors).toEqual([]);
    expect(result!.recommendations[0]!.sql).toBe(
      `CREATE INDEX CONCURRENTLY order_lines_customer_id_where_state_open_idx ON "Sales Data"."Order Lines" ("Customer Id") WHERE "State" = 'Open'::text`,
    );
  });

  it('workload advice names them the same way', async () => {
    const advice = await adviseWorkload(db.pool, { statements: [`select * from "Sales Data"."Order Lines" where "Customer Id" = 42`] });
    expect(advice.recommendations.map((r) => r.sql)).toEqual(['CREATE INDEX CONCURRENTLY order_lines_customer_id_idx ON "Sales Data"."Order Lines" ("Customer Id")']);
  });
});
