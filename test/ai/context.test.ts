import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQueryContext, countTokens, tableFactsForModel } from '../../sidecar/ai/context/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const SCHEMA = readFileSync(fixture('context-schema.sql'), 'utf8');
/** The statement the recorded plan (fixtures/context-query.plan.json) is of, with a comment that carries a value. */
const QUERY = `select oi."SKU", sum(oi.qty), c.region from "Sales 2024"."Order Items" oi join "Sales 2024".customers c on c.id = oi."Col 2" where oi."SKU" = 'zebra-secret-42' and oi.qty > 4817 and c.name <> 'O''Brien' /* client='otter-comment-9' */ group by 1, 3 order by 2 desc limit 5`;
const RECORDED_PLAN: unknown = JSON.parse(readFileSync(fixture('context-query.plan.json'), 'utf8'));
const FINDINGS = [`a sequential scan of "Order Items" filters on "SKU" = 'zebra-secret-42' and qty > 4817`];
const WHAT_IF = [{ sql: `CREATE INDEX ON "Sales 2024"."Order Items" ("SKU") WHERE "SKU" = 'zebra-secret-42'`, costBefore: 120.456, costAfter: 8.25, used: true }];
/** Every value the statement, its plan, its comment and the tables' data hold that must not leave without permission. */
const SECRETS = ['zebra-secret-42', '4817', "O'Brien", "O''Brien", 'otter-comment-9', 'walrus-region-77', 'customer 1', 'sku-1'];

/** Sizes depend on pages (a free-space map appears after a vacuum): the snapshot keeps everything else. */
const withoutSizes = (text: string) => text.replace(/, \d+ (?:bytes|kB|MB), heap \d+ (?:bytes|kB|MB)\)/g, ', <size>, heap <size>)');

/** What the model is told: the facts, in a fixed order, within the budget, and no value unless allowed. */
describe('the context of a statement', () => {
  let db: TestDatabase;
  let client: pg.PoolClient;
  let livePlan: unknown;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(SCHEMA);
    client = await db.pool.connect();
    livePlan = (await client.query(`explain (analyze, buffers, verbose, format json) ${QUERY}`)).rows[0]['QUERY PLAN'];
  });
  afterAll(async () => {
    client?.release();
    await db?.close();
  });

  const build = (options: { allowLiterals: boolean; tokenBudget?: number; plan?: unknown }) =>
    buildQueryContext(client, { query: QUERY, plan: options.plan ?? livePlan, findings: FINDINGS, whatIf: WHAT_IF, allowLiterals: options.allowLiterals, tokenBudget: options.tokenBudget ?? 6000 });

  it('lists the tables the statement reads: columns, types, NOT NULL, indexes (partial, expression) and statistics', async () => {
    const context = await build({ allowLiterals: false });
    expect(context.sections.map((s) => [s.name, s.included])).toEqual([['statement', true], ['plan', true], ['tables', true], ['findings', true], ['what-if', true]]);
    const text = context.text;
    expect(text).toMatch(/^### "Sales 2024"\."Order Items" \(table, about 5000 rows, \d+ kB, heap \d+ kB\)$/m);
    expect(text).toMatch(/^### "Sales 2024"\.customers \(table, about 200 rows, /m);
    expect(text).toContain('Columns: id bigint NOT NULL, "SKU" text NOT NULL, qty integer NOT NULL, price numeric(10,2), code character varying(20), note text, "Col 2" integer, created_at timestamp with time zone NOT NULL');
    expect(text).toContain('- CREATE INDEX order_items_big_qty ON "Sales 2024"."Order Items" USING btree (qty) WHERE (qty > $?)');
    expect(text).toContain('- CREATE INDEX order_items_lower_sku ON "Sales 2024"."Order Items" USING btree (lower("SKU"))');
    expect(text).toContain('- CREATE INDEX "Order Items 2nd" ON "Sales 2024"."Order Items" USING btree ("Col 2", created_at)');
    // Statistics for the columns the statement mentions only: "SKU" yes, price no.
    expect(text).toMatch(/^- "SKU", null_frac 0, n_distinct 51, correlation -?[\d.]+, most_common_freqs \[0\.3332,/m);
    expect(text).toMatch(/^- region, null_frac 0\.25, n_distinct 4, correlation [\d.]+, most_common_freqs \[0\.25,/m);
    expect(text).not.toMatch(/^- price,/m);
    // The plan: estimated against actual rows, the conditions, the sort.
    expect(text).toMatch(/Index Scan on "Sales 2024"\."Order Items" oi using order_items_big_qty: est rows \d+, actual rows 0/);
    expect(text).toContain('Filter: (oi."SKU" = $?)');
    expect(text).toMatch(/Sort Method: \w+, \d+ kB Memory/);
    expect(context.tokens).toBe(countTokens(context.text));
    expect(context.literalsAllowed).toBe(false);
  });

  it('carries no value from the statement, its comment, the plan, the statistics or the engine\'s texts unless allowed', async () => {
    const closed = await build({ allowLiterals: false });
    for (const secret of SECRETS) expect(closed.text, secret).not.toContain(secret);
    expect(closed.text).not.toMatch(/'[^'\n]*'::/);
    expect(closed.text).not.toContain('most_common_vals');
    expect(closed.text).not.toContain('histogram_bounds');
    expect(closed.text).toContain('"SKU" = $1');
    expect(closed.text).toContain(`- a sequential scan of "Order Items" filters on "SKU" = $? and qty > $?`);
    expect(closed.text).toContain(`- CREATE INDEX ON "Sales 2024"."Order Items" ("SKU") WHERE "SKU" = $?: cost 120.46 → 8.25, used by the plan`);

    const open = await build({ allowLiterals: true });
    expect(open.literalsAllowed).toBe(true);
    for (const value of ['zebra-secret-42', '4817', "O''Brien", 'otter-comment-9', 'walrus-region-77', 'most_common_vals ["zebra-secret-42"', 'histogram_bounds (sampled) ["customer 1"']) {
      expect(open.text, value).toContain(value);
    }
  });

  it('is the same text byte for byte for the same facts, however the catalog was built', async () => {
    const first = await build({ allowLiterals: false, plan: RECORDED_PLAN });
    expect((await build({ allowLiterals: false, plan: RECORDED_PLAN })).text).toBe(first.text);
    // The same schema with its indexes created in the opposite order: other OIDs, the same text.
    const reversed = SCHEMA.split('\n');
    const indexLines = reversed.filter((line) => line.startsWith('create index'));
    const other = await createTestDatabase({ migrated: true });
    try {
      await other.pool.query(reversed.filter((line) => !line.startsWith('create index') && !line.startsWith('analyze')).join('\n'));
      await other.pool.query([...indexLines].reverse().join('\n'));
      await other.pool.query('analyze "Sales 2024"."Order Items", "Sales 2024".customers');
      const otherClient = await other.pool.connect();
      try {
        const again = await buildQueryContext(otherClient, { query: QUERY, plan: RECORDED_PLAN, findings: FINDINGS, whatIf: WHAT_IF, allowLiterals: false, tokenBudget: 6000 });
        expect(withoutSizes(again.text)).toBe(withoutSizes(first.text));
      } finally {
        otherClient.release();
      }
    } finally {
      await other.close();
    }
  });

  it('keeps to its token budget: sections in order while they fit, tables cut table by table, the rest left out and named', async () => {
    const full = await build({ allowLiterals: false, plan: RECORDED_PLAN });
    const seen = { cutTables: false, leftOut: false };
    for (let budget = 10; budget <= full.tokens + 50; budget += 10) {
      const context = await build({ allowLiterals: false, plan: RECORDED_PLAN, tokenBudget: budget });
      expect(context.tokens, `budget ${budget}`).toBeLessThanOrEqual(budget);
      expect(context.tokens).toBe(countTokens(context.text));
      expect(context.sections.map((s) => s.name)).toEqual(['statement', 'plan', 'tables', 'findings', 'what-if']);
      const left = context.sections.filter((s) => !s.included).map((s) => s.name);
      if (left.length > 0 && context.text.length > 0) {
        seen.leftOut = true;
        expect(context.text).toContain(`(To fit the token budget of ${budget}: left out ${left.join(', ')}.`);
      }
      for (const section of context.sections) if (!section.included) expect(section.tokens).toBe(0);
      const tables = context.sections.find((s) => s.name === 'tables')!;
      if (tables.cut) {
        seen.cutTables = true;
        expect(tables.cut).toMatch(/^\d of 2 tables shown/);
        expect(context.text).toContain(`(cut to fit the token budget: ${tables.cut})`);
      }
    }
    expect(seen).toEqual({ cutTables: true, leftOut: true });
    // With room for everything nothing is said about the budget.
    expect(full.text).not.toContain('token budget');
    const tiny = await build({ allowLiterals: false, plan: RECORDED_PLAN, tokenBudget: 40 });
    // Too small for any section: what is sent is only the note saying so.
    expect(tiny.sections.filter((s) => s.included)).toEqual([]);
    expect(tiny.text).toBe('(To fit the token budget of 40: left out statement, plan, tables, findings, what-if.)');
  });

  it('shortens a wide table to the columns the statement mentions before leaving it out', async () => {
    await db.pool.query(`create table "Sales 2024".wide (id int primary key, ${Array.from({ length: 30 }, (_, i) => `"Column ${i}" text`).join(', ')}); analyze "Sales 2024".wide`);
    const query = 'select id from "Sales 2024".wide where "Column 7" = \'x\'';
    const at = (tokenBudget: number) => buildQueryContext(client, { query, allowLiterals: false, tokenBudget });
    const full = await at(6000);
    expect(full.text).toContain('"Column 29" text');
    const shortened: string[] = [];
    for (let budget = full.tokens - 200; budget < full.tokens; budget += 5) {
      const context = await at(budget);
      expect(context.tokens).toBeLessThanOrEqual(budget);
      if (context.sections[1]?.cut === '1 of 1 tables shown (1 with only the columns the statement mentions)') shortened.push(context.text);
    }
    expect(shortened.length).toBeGreaterThan(0);
    expect(shortened[0]).toContain('Columns: id integer NOT NULL, "Column 7" text (and 29 more, not shown)');
    expect(shortened[0]).not.toContain('"Column 29"');
    expect(shortened[0]).toContain('CREATE UNIQUE INDEX wide_pkey');
    expect(shortened[0]).toContain('(To fit the token budget of');
  });

  it('resolves a table by its SQL name, quoted, schema-qualified or on the search path, and refuses what is no table', async () => {
    const facts = await tableFactsForModel(client, '"Sales 2024"."Order Items"', { allowLiterals: false });
    expect(facts).toMatchObject({
      table: '"Sales 2024"."Order Items"',
      kind: 'table',
      rowsEstimate: 5000,
      columns: expect.arrayContaining([{ name: 'SKU', type: 'text', notNull: true }, { name: 'Col 2', type: 'integer', notNull: false }]),
      indexes: expect.arrayContaining([expect.objectContaining({ name: 'order_items_big_qty', definition: expect.stringContaining('WHERE (qty > $?)') })]),
    });
    // Without the statement every column's statistics, still without values.
    expect(facts.statistics.map((s) => s.column)).toEqual(['id', 'SKU', 'qty', 'price', 'code', 'note', 'Col 2', 'created_at']);
    expect(JSON.stringify(facts)).not.toContain('zebra-secret-42');
    const open = await tableFactsForModel(client, '"Sales 2024"."Order Items"', { allowLiterals: true });
    expect(open.statistics.find((s) => s.column === 'SKU')?.mostCommonVals?.[0]).toBe('zebra-secret-42');
    expect(open.indexes.find((i) => i.name === 'order_items_big_qty')?.definition).toContain('WHERE (qty > 20)');

    await client.query('set search_path = "Sales 2024", public');
    try {
      expect((await tableFactsForModel(client, '"Order Items"', { allowLiterals: false })).table).toBe('"Sales 2024"."Order Items"');
      expect((await tableFactsForModel(client, 'CUSTOMERS', { allowLiterals: false })).table).toBe('"Sales 2024".customers');
    } finally {
      await client.query('reset search_path');
    }
    for (const name of ['public.nothing_here', 'Order Items', '"Sales 2024".order_items_big_qty', 'a.b.c.d', 'bad name (']) {
      await expect(tableFactsForModel(client, name, { allowLiterals: false }), name).rejects.toThrow(`no table ${name}`);
    }
    // The reads were rolled back: the session is usable and in no transaction.
    expect((await client.query('select pg_current_xact_id_if_assigned() is null as idle')).rows[0].idle).toBe(true);
  });

  it('matches the recorded text for the fixed schema', async () => {
    const context = await build({ allowLiterals: false, plan: RECORDED_PLAN });
    await expect(withoutSizes(context.text)).toMatchFileSnapshot('./fixtures/context.snapshot.md');
  });
});
