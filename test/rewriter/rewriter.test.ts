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

  /** The rules' proposals for a statement, by rule name. */
  const rulesFor = async (sql: string) => (await proposeRewrites(db.pool, sql)).map((r) => r.rule);
  const only = async (sql: string, rule: string) => {
    const [p] = (await proposeRewrites(db.pool, sql)).filter((r) => r.rule === rule);
    expect(p?.after, `${rule} for ${sql}`).toBeTruthy();
    return p!.after!;
  };
  /** Output column names of a statement, in order. */
  const namesOf = async (sql: string) => (await db.pool.query(`${sql} limit 0`)).fields.map((f) => f.name);

  it('IN over a unique key becomes a join, the subquery\'s unqualified columns qualified as they move out', async () => {
    const sql = 'select o.id, o.coupon from "Shop"."Orders" o where o.customer_id in (select id from "Shop"."Customers" where "Region" = \'r1\')';
    const after = await only(sql, 'in-to-join');
    expect(after).toMatch(/FROM "Shop"\."Orders" (AS )?o,\s+"Shop"\."Customers"/);
    expect(after).toContain('"Customers"."Region" = \'r1\'');
    await provesEquivalent(sql, after);
  });

  it('IN becomes a join only when the catalog proves at most one row can match', async () => {
    await db.pool.query(`
      create table "Shop".plain_u (k int unique);
      create table "Shop".partial_u (k int, v int); create unique index on "Shop".partial_u (k) where v > 0;
      create table "Shop".collated_u (k text); create unique index on "Shop".collated_u (k collate "C");
      create table "Shop".deferred_u (k int unique deferrable initially deferred);
      create table "Shop".parent_u (k int primary key); create table "Shop".child_u () inherits ("Shop".parent_u);
      insert into "Shop".parent_u values (1); insert into "Shop".child_u values (1);`);
    const over = (table: string) => `select o.id from "Shop"."Orders" o where o.customer_id in (select k from "Shop".${table})`;
    expect(await rulesFor(over('plain_u'))).toContain('in-to-join');
    for (const table of ['partial_u', 'collated_u', 'deferred_u', 'parent_u']) {
      const rules = await rulesFor(over(table));
      expect(rules, table).toContain('in-to-exists');
      expect(rules, table).not.toContain('in-to-join');
    }
    // Why the inheritance child counts: the parent's key is unique, yet "FROM parent_u" sees 1 twice.
    expect((await db.pool.query('select k from "Shop".parent_u')).rows).toEqual([{ k: 1 }, { k: 1 }]);
    // Not a key, an unqualified * or an outer column the subquery's table also has: no join.
    expect(await rulesFor('select o.id from "Shop"."Orders" o where o.coupon in (select referrer from "Shop"."Customers")')).not.toContain('in-to-join');
    expect(await rulesFor('select * from "Shop"."Orders" o where o.customer_id in (select id from "Shop"."Customers")')).not.toContain('in-to-join');
    expect(await rulesFor('select id from "Shop"."Orders" where customer_id in (select id from "Shop"."Customers" c)')).not.toContain('in-to-join');
  });

  it('a correlated count becomes a LEFT JOIN to one grouped pass, 0 where nothing matched, the column\'s name kept', async () => {
    const sql = 'select c.id, (select count(*) from "Shop"."Orders" o where o.customer_id = c.id and o.coupon > 5) from "Shop"."Customers" c';
    const after = await only(sql, 'scalar-aggregate-to-join');
    expect(after).toMatch(/LEFT JOIN \(\s*SELECT\s+o\.customer_id AS agg_key/);
    expect(after).toMatch(/COALESCE\(o_agg\.agg_value, 0\) AS count/);
    expect(after).toMatch(/GROUP BY\s+o\.customer_id/);
    expect(await namesOf(after)).toEqual(await namesOf(sql));
    await provesEquivalent(sql, after);
  });

  it('other aggregates keep their NULL over no rows, also when the outer column is NULL', async () => {
    const sql = 'select c.id, (select max(o.id) as last_order from "Shop"."Orders" o where c.referrer = o.coupon) from "Shop"."Customers" c where c.id < 200';
    const after = await only(sql, 'scalar-aggregate-to-join');
    expect(after).not.toContain('COALESCE');
    expect(await namesOf(after)).toEqual(['id', 'last_order']);
    await provesEquivalent(sql, after);
  });

  it('leaves a scalar subquery alone where one grouped pass would not see the same rows', async () => {
    await db.pool.query(`
      create collation if not exists "Shop".ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
      create table "Shop".tags (name text collate "Shop".ci, n int);`);
    for (const sql of [
      // the aggregate reads an outer column
      'select c.id, (select sum(o.coupon + c.referrer) from "Shop"."Orders" o where o.customer_id = c.id) from "Shop"."Customers" c',
      // a function call in a condition (it could be volatile)
      'select c.id, (select count(*) from "Shop"."Orders" o where o.customer_id = c.id and random() < 0.5) from "Shop"."Customers" c',
      // the outer query is grouped
      'select c."Region", (select count(*) from "Shop"."Orders" o where o.customer_id = min(c.id)) from "Shop"."Customers" c group by c."Region"',
      // two correlations
      'select c.id, (select count(*) from "Shop"."Orders" o where o.customer_id = c.id and o.coupon = c.referrer) from "Shop"."Customers" c',
      // a key whose collation is not deterministic: GROUP BY would merge values = tells apart under another collation
      'select c.id, (select count(*) from "Shop".tags t where t.name = c."Region" collate "Shop".ci) from "Shop"."Customers" c',
      // not an aggregate
      'select c.id, (select o.note from "Shop"."Orders" o where o.id = c.id) from "Shop"."Customers" c',
    ]) {
      expect(await rulesFor(sql), sql).not.toContain('scalar-aggregate-to-join');
    }
  });

  it('DISTINCT over a join that selects a key of one side becomes EXISTS, its own conditions kept outside', async () => {
    const sql = 'select distinct c.id, c."Region" from "Shop"."Customers" c join "Shop"."Orders" o on o.customer_id = c.id where o.coupon > 5 and c."Region" <> \'r2\'';
    const after = await only(sql, 'distinct-to-exists');
    expect(after).not.toContain('DISTINCT');
    expect(after).toMatch(/WHERE\s+c\."Region" <> 'r2'\s+AND EXISTS \(SELECT 1\s+FROM "Shop"\."Orders" (AS )?o\s+WHERE\s+\(?o\.customer_id = c\.id\s+AND o\.coupon > 5\)?\)/);
    // The join alone repeats customers; DISTINCT and EXISTS both return each once.
    expect((await rowsOf(sql.replace('distinct ', ''))).length).toBeGreaterThan((await rowsOf(sql)).length);
    await provesEquivalent(sql, after);
  });

  it('leaves DISTINCT alone without a unique NOT NULL key among the columns, for DISTINCT ON, an outer join or the other side\'s columns', async () => {
    for (const sql of [
      'select distinct c."Region" from "Shop"."Customers" c join "Shop"."Orders" o on o.customer_id = c.id',
      'select distinct c.referrer from "Shop"."Customers" c, "Shop"."Orders" o where o.customer_id = c.id',
      'select distinct on (c.id) c.id, o.note from "Shop"."Customers" c join "Shop"."Orders" o on o.customer_id = c.id',
      'select distinct c.id from "Shop"."Customers" c left join "Shop"."Orders" o on o.customer_id = c.id',
      'select distinct c.id, o.coupon from "Shop"."Customers" c join "Shop"."Orders" o on o.customer_id = c.id',
      'select distinct c.id from "Shop"."Customers" c join "Shop"."Orders" o on o.customer_id = c.id limit 5',
    ]) {
      expect(await rulesFor(sql), sql).not.toContain('distinct-to-exists');
    }
    // Why the key matters: without it the join's DISTINCT merges customers that EXISTS would keep apart.
    expect((await rowsOf('select distinct c."Region" from "Shop"."Customers" c join "Shop"."Orders" o on o.customer_id = c.id')).length)
      .toBeLessThan((await rowsOf('select c."Region" from "Shop"."Customers" c where exists (select 1 from "Shop"."Orders" o where o.customer_id = c.id)')).length);
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
