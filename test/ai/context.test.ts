import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQueryContext, redactPlan, tableFactsForModel } from '../../sidecar/ai/context/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/** What the model is told: the facts, in a fixed order, within the budget, and no value unless allowed. */
describe('the context of a statement', () => {
  let db: TestDatabase;
  let client: pg.PoolClient;
  let plan: unknown;
  const query = `select * from "Billing"."Line Items" where "SKU" = 'zebra-secret-42' and qty > 17`;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create schema "Billing";
      create table "Billing"."Line Items" (id bigint primary key, "SKU" text not null, qty int, note text);
      insert into "Billing"."Line Items" select g, case when g % 3 = 0 then 'zebra-secret-42' else 'sku-' || (g % 50) end, g % 30, null from generate_series(1, 5000) g;
      create index line_items_partial on "Billing"."Line Items" (qty) where qty > 20;
      create index line_items_lower on "Billing"."Line Items" (lower("SKU"));
      analyze "Billing"."Line Items";`);
    client = await db.pool.connect();
    plan = (await client.query(`explain (format json) ${query}`)).rows[0]['QUERY PLAN'];
  });
  afterAll(async () => {
    client?.release();
    await db?.close();
  });

  const build = (allowLiterals: boolean, tokenBudget = 6000) => buildQueryContext(client, { query, plan, allowLiterals, tokenBudget, findings: ['a sequential scan reads every row'] });

  it('lists the table\'s columns, types, indexes and statistics, quoted names and all', async () => {
    const context = await build(false);
    expect(context.sections.map((s) => [s.name, s.included])).toEqual([['statement', true], ['plan', true], ['tables', true], ['findings', true]]);
    expect(context.text).toContain('"Billing"."Line Items"');
    expect(context.text).toContain('{"name":"SKU","type":"text","notNull":true}');
    expect(context.text).toContain('WHERE (qty > 20)');
    expect(context.text).toContain('lower(\\"SKU\\")');
    expect(context.text).toMatch(/"column":"SKU","nullFrac":0,"nDistinct":\d+/);
  });

  it('carries no literal from the statement, the plan or the statistics unless allowed', async () => {
    const closed = await build(false);
    expect(closed.text).not.toContain('zebra-secret-42');
    expect(closed.text).not.toMatch(/\b17\b/);
    expect(closed.literalsAllowed).toBe(false);
    const open = await build(true);
    expect(open.text).toContain('zebra-secret-42');
    expect(JSON.stringify(await tableFactsForModel(client, '"Billing"."Line Items"', { allowLiterals: true }))).toContain('zebra-secret-42');
    expect(JSON.stringify(await tableFactsForModel(client, '"Billing"."Line Items"', { allowLiterals: false }))).not.toContain('zebra-secret-42');
  });

  it('is the same text for the same facts, and keeps to its budget, saying what it left out', async () => {
    expect((await build(false)).text).toBe((await build(false)).text);
    const small = await build(false, 120);
    expect(small.tokens).toBeLessThanOrEqual(140);
    expect(small.sections.find((s) => s.name === 'tables')?.included).toBe(false);
    expect(small.text).toContain('left out or cut to fit the token budget');
  });

  it('refuses an unknown table by name', async () => {
    await expect(tableFactsForModel(client, 'public.nothing_here', { allowLiterals: false })).rejects.toThrow('no table public.nothing_here');
    await expect(tableFactsForModel(client, 'bad name (', { allowLiterals: false })).rejects.toThrow('no table');
  });

  it('takes values out of recorded plan conditions and keeps quoted identifiers', () => {
    const redacted = redactPlan([{ Plan: { 'Node Type': 'Seq Scan', Filter: `(("Col 2" > 42) AND (note = 'it''s'::text) AND (t2.c3 = 1.5))`, Output: ['id', `'x'::text`] } }]);
    expect(redacted).toEqual([{ Plan: { 'Node Type': 'Seq Scan', Filter: '(("Col 2" > $?) AND (note = $?) AND (t2.c3 = $?))', Output: ['id', '$?'] } }]);
  });
});
