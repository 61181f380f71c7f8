import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposeRewrites } from '../../sidecar/rewriter/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * The rewriter on a real catalog: each rewrite returns the same rows as the original on real data,
 * NULLs and empty tables included, and a rule whose condition the catalog does not prove stays out.
 */
describe('the deterministic rewriter', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create schema "Shop";
      create table "Shop"."Customers" (id int primary key, "Region" text not null, referrer int);
      create table "Shop"."Orders" (id int primary key, customer_id int not null, coupon int, note text);
      insert into "Shop"."Customers" select g, 'r' || (g % 5), case when g % 7 = 0 then null else g % 50 end from generate_series(1, 300) g;
      insert into "Shop"."Orders" select g, (g % 400) + 1, case when g % 3 = 0 then null else g % 40 end, 'n' || g from generate_series(1, 2000) g;
      analyze "Shop"."Customers", "Shop"."Orders";`);
  });
  afterAll(async () => {
    await db?.close();
  });

  /** Sorted row texts of a statement: the multiset of its result. */
  const rowsOf = async (sql: string) => (await db.pool.query<{ r: string }>(`select t::text as r from (${sql}) t`)).rows.map((x) => x.r).sort();
  /** Original and rewrite agree now, with NULLs in every nullable column, and with each table empty. */
  const provesEquivalent = async (before: string, after: string) => {
    expect(await rowsOf(after)).toEqual(await rowsOf(before));
    const client = await db.pool.connect();
    try {
      for (const setup of [
        'update "Shop"."Customers" set referrer = null where id % 2 = 0; update "Shop"."Orders" set coupon = null, note = null where id % 2 = 0',
        'truncate "Shop"."Orders"',
        'truncate "Shop"."Customers" cascade',
      ]) {
        await client.query('begin');
        await client.query(setup);
        const rows = async (sql: string) => (await client.query<{ r: string }>(`select t::text as r from (${sql}) t`)).rows.map((x) => x.r).sort();
        expect(await rows(after)).toEqual(await rows(before));
        await client.query('rollback');
      }
    } finally {
      client.release();
    }
  };

  it('NOT IN over NOT NULL columns becomes NOT EXISTS, and returns the same rows', async () => {
    const sql = 'select c.id from "Shop"."Customers" c where c.id not in (select customer_id from "Shop"."Orders")';
    const [p] = (await proposeRewrites(db.pool, sql)).filter((r) => r.rule === 'not-in-to-not-exists');
    expect(p?.after).toMatch(/NOT \(EXISTS \(SELECT 1\s+FROM "Shop"\."Orders"\s+WHERE\s+"Orders"\.customer_id = c\.id\)\)/);
    expect(p!.reason).toContain('NOT NULL');
    expect(p!.diff).toContain('+');
    await provesEquivalent(sql, p!.after!);
  });

  it('NOT IN over a nullable column is left alone: a NULL would make it return nothing', async () => {
    const sql = 'select c.id from "Shop"."Customers" c where c.id not in (select coupon from "Shop"."Orders")';
    expect((await proposeRewrites(db.pool, sql)).map((r) => r.rule)).not.toContain('not-in-to-not-exists');
    // Why it must be: with a NULL coupon the original returns no row at all.
    expect(await rowsOf(sql)).toEqual([]);
  });

  it('IN (subquery) becomes EXISTS with both sides qualified, even for an unqualified outer column', async () => {
    const sql = 'select id, "Region" from "Shop"."Customers" where referrer in (select coupon from "Shop"."Orders" o where o.note like \'n1%\')';
    const [p] = (await proposeRewrites(db.pool, sql)).filter((r) => r.rule === 'in-to-exists');
    expect(p?.after).toContain('o.coupon = "Customers".referrer');
    await provesEquivalent(sql, p!.after!);
  });

  it('count(*) > 0 becomes EXISTS', async () => {
    const sql = 'select c.id from "Shop"."Customers" c where (select count(*) from "Shop"."Orders" o where o.customer_id = c.id and o.coupon > 5) > 0';
    const [p] = (await proposeRewrites(db.pool, sql)).filter((r) => r.rule === 'count-to-exists');
    expect(p?.after).toMatch(/EXISTS \(SELECT 1/);
    await provesEquivalent(sql, p!.after!);
  });

  it('OR across columns becomes disjoint UNION ALL branches, duplicates and NULLs included', async () => {
    // No key in the select list: the original returns duplicate rows, which UNION (not ALL) would lose.
    const sql = 'select "Region", referrer from "Shop"."Customers" c where c.id > 10 and (c."Region" = \'r1\' or c.referrer < 5)';
    const [p] = (await proposeRewrites(db.pool, sql)).filter((r) => r.rule === 'or-to-union');
    expect(p?.after).toMatch(/UNION\s+ALL/);
    expect(p?.after).toMatch(/IS NOT TRUE/);
    expect((await rowsOf(sql)).length).toBeGreaterThan(new Set(await rowsOf(sql)).size);
    await provesEquivalent(sql, p!.after!);
  });

  it('leaves an OR alone where the branches would not add up: an aggregate, a LIMIT, one column, a function', async () => {
    for (const sql of [
      'select count(*) from "Shop"."Customers" c where c."Region" = \'r1\' or c.referrer < 5',
      'select id from "Shop"."Customers" c where c."Region" = \'r1\' or c.referrer < 5 limit 3',
      'select id from "Shop"."Customers" c where c.referrer = 1 or c.referrer = 2',
      'select id from "Shop"."Customers" c where c."Region" = \'r1\' or random() < 0.5',
    ]) {
      expect((await proposeRewrites(db.pool, sql)).map((r) => r.rule), sql).not.toContain('or-to-union');
    }
  });

  it('gives advice, not a rewrite, for OFFSET pagination and a leading wildcard', async () => {
    const offset = await proposeRewrites(db.pool, 'select * from "Shop"."Orders" order by id offset 5000 limit 20');
    expect(offset).toMatchObject([{ rule: 'offset-to-keyset', after: null, advice: expect.stringContaining('WHERE (id) > ($last)') }]);
    const like = await proposeRewrites(db.pool, `select * from "Shop"."Orders" where note like '%42'`);
    expect(like).toMatchObject([{ rule: 'leading-wildcard-trigram', after: null, advice: expect.stringContaining('ON "Shop"."Orders" USING gin (note gin_trgm_ops)') }]);
  });

  it('proposes nothing for a statement no rule fits, and nothing for one that is not a SELECT', async () => {
    expect(await proposeRewrites(db.pool, 'select * from "Shop"."Orders" where id = 1')).toEqual([]);
    expect(await proposeRewrites(db.pool, 'delete from "Shop"."Orders" where id not in (select customer_id from "Shop"."Orders")')).toEqual([]);
    await expect(proposeRewrites(db.pool, 'select from where')).rejects.toThrow();
  });
});
