import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatIfIndexes } from '../../sidecar/advisor/what-if-indexes.ts';
import { checkIndexProposal } from '../../sidecar/ai/verify/index-proposal.ts';
import { verifyIndexProposals } from '../../sidecar/ai/verify/verify-indexes.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * A model's index proposals checked by PostgreSQL: the parser says what the text is, the catalog
 * says whether its table exists, hypopg says whether the planner would use it and what it saves
 * beside the engine's own set.
 */
describe('verifying proposed indexes', () => {
  let db: TestDatabase;
  let client: pg.PoolClient;
  const query = `select * from "Sales"."Orders" where customer_id = 42 and "Placed At" > now() - interval '1 day'`;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create schema "Sales";
      create table "Sales"."Orders" (id bigint primary key, customer_id int not null, "Placed At" timestamptz not null, note text);
      insert into "Sales"."Orders" select g, g % 2000, timestamptz '2026-01-01' + g * interval '1 minute', 'n' || g from generate_series(1, 60000) g;
      analyze "Sales"."Orders";`);
    client = await db.pool.connect();
  });
  afterAll(async () => {
    client?.release();
    await db?.close();
  });

  it('writes a plain CREATE INDEX the way OptiSchema builds it: named, schema-qualified, concurrent', async () => {
    const check = await checkIndexProposal(client, 'create index on "Sales"."Orders" (customer_id)');
    expect(check).toMatchObject({ ok: true, schema: 'Sales', table: 'Orders' });
    if (!check.ok) return;
    expect(check.ddl).toMatch(/^CREATE INDEX CONCURRENTLY \S+ ON "Sales"\."Orders"/);
    expect(check.ddl).toContain('customer_id');
  });

  it('refuses a second statement smuggled behind the index, a UNIQUE index, other statements and unknown tables', async () => {
    const refused = await Promise.all([
      'create index i on "Sales"."Orders" (customer_id); drop table "Sales"."Orders"',
      'create unique index i on "Sales"."Orders" (customer_id)',
      'drop index "Sales".i',
      'create index i on "Sales"."Invoices" (customer_id)',
      'create index i on (',
    ].map((text) => checkIndexProposal(client, text)));
    expect(refused.map((r) => r.ok)).toEqual([false, false, false, false, false]);
    expect(refused.map((r) => (r.ok ? '' : r.reason))).toEqual([
      expect.stringContaining('exactly one'),
      expect.stringContaining('UNIQUE'),
      expect.stringContaining('not a CREATE INDEX'),
      expect.stringContaining('no table "Sales".Invoices'.replace('"Sales"', 'Sales')),
      expect.stringContaining('not valid SQL'),
    ]);
    const { rows } = await db.pool.query('select count(*)::int as n from "Sales"."Orders"');
    expect(rows[0].n).toBe(60000);
  });

  it('keeps an index the planner uses that cuts the cost, and rejects a hallucinated column with the server\'s reason', async () => {
    const [good, ghost, useless] = await verifyIndexProposals(client, query, [
      'CREATE INDEX ON "Sales"."Orders" (customer_id)',
      'CREATE INDEX ON "Sales"."Orders" (customer_uuid)',
      'CREATE INDEX ON "Sales"."Orders" (note)',
    ], []);
    expect(good).toMatchObject({ state: 'verified', table: 'Orders' });
    expect(good!.costAfter!).toBeLessThan(good!.costBefore!);
    expect(ghost).toMatchObject({ state: 'rejected', reason: expect.stringContaining('customer_uuid') });
    expect(useless).toMatchObject({ state: 'rejected', reason: expect.stringContaining('does not use it') });
  });

  it('measures a proposal against the engine\'s set: the same index agrees, one that adds nothing is rejected', async () => {
    const engine = ['CREATE INDEX CONCURRENTLY orders_customer_id_idx ON "Sales"."Orders" (customer_id)'];
    const [same, nothingMore] = await verifyIndexProposals(client, query, [
      'CREATE INDEX orders_customer_id_idx ON "Sales"."Orders" (customer_id)',
      'CREATE INDEX ON "Sales"."Orders" (customer_id, id)',
    ], engine);
    expect(same).toMatchObject({ state: 'verified', reason: expect.stringContaining('the engine recommends the same index') });
    expect(nothingMore!.state).toBe('rejected');
    expect(nothingMore!.engineCost!).toBeLessThan(nothingMore!.costBefore!);
  });

  it('leaves no hypothetical index and no open transaction behind', async () => {
    await whatIfIndexes(client, query, [['CREATE INDEX ON "Sales"."Orders" (customer_id)']]);
    const { rows } = await client.query('select count(*)::int as n from hypopg_list_indexes');
    expect(rows[0].n).toBe(0);
    const status = await client.query(`select pg_current_xact_id_if_assigned() is null as idle`);
    expect(status.rows[0].idle).toBe(true);
  });
});
