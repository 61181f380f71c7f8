import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRewrite } from '../../sidecar/validation/verify-rewrite.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * Rewrites verified on a sandbox (here a throwaway database): same results on its data and on the
 * edge cases made for the tables and columns involved, then faster. The data has no NULL at all,
 * so only the generated edge cases can tell NOT IN from NOT EXISTS over the nullable column.
 */
describe('verifying a rewrite on the sandbox', () => {
  let db: TestDatabase;
  let sandbox: pg.PoolClient;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create table public."Accounts" (id int primary key, "Owner" int);
      create table public.events (id int primary key, account_id int, kind text not null);
      insert into public."Accounts" select g, g % 97 from generate_series(1, 4000) g;
      insert into public.events select g, (g % 3000) + 1, 'k' || (g % 4) from generate_series(1, 20000) g;
      create function public.noisy(int) returns int language plpgsql volatile as $$ begin perform pg_sleep(0); return $1; end $$;
      analyze;`);
    sandbox = await db.pool.connect();
  });
  afterAll(async () => {
    sandbox?.release();
    await db?.close();
  });

  const original = 'select a.id from "Accounts" a where a.id not in (select account_id from events)';

  it('rejects NOT IN → NOT EXISTS over a nullable column: the NULL edge case tells them apart', async () => {
    const result = await verifyRewrite(sandbox, {
      original,
      rewritten: 'select a.id from "Accounts" a where not exists (select 1 from events e where e.account_id = a.id)',
      runs: 1,
    });
    expect(result.verdict).toBe('rejected');
    expect(result.reason).toMatch(/different results on nulls in .*events\.account_id/);
    expect(result.cases[0]).toMatchObject({ name: 'data', same: true, rowsBefore: 1000, rowsAfter: 1000 });
    // The edge case was rolled back: no NULL was left in the data.
    const { rows } = await db.pool.query('select count(*)::int as n from events where account_id is null');
    expect(rows[0].n).toBe(0);
  });

  it('rejects a rewrite that differs only when a table is empty', async () => {
    // The same rows while events has rows; on an empty events the original returns every account.
    const result = await verifyRewrite(sandbox, {
      original: 'select a.id from "Accounts" a where a.id > all (select 0 from events)',
      rewritten: 'select a.id from "Accounts" a where exists (select 1 from events) and a.id > 0',
      runs: 1,
    });
    expect(result).toMatchObject({ verdict: 'rejected', reason: expect.stringContaining('different results on empty public.events') });
  });

  it('compares in order when the statement has ORDER BY', async () => {
    const result = await verifyRewrite(sandbox, {
      original: 'select id from "Accounts" order by id limit 50',
      rewritten: 'select id from (select id from "Accounts" order by id limit 50) t order by id desc',
      runs: 1,
    });
    expect(result).toMatchObject({ verdict: 'rejected', ordered: true, reason: expect.stringContaining('different rows or order') });
  });

  it('verifies a rewrite with the same results on every case that is faster beyond noise', async () => {
    // Each of 150 accounts counts its events by scanning all 20,000; EXISTS becomes one hashed semi-join.
    const result = await verifyRewrite(sandbox, {
      original: 'select a.id from "Accounts" a where a.id <= 150 and (select count(*) from events e where e.account_id = a.id) > 0',
      rewritten: 'select a.id from "Accounts" a where a.id <= 150 and exists (select 1 from events e where e.account_id = a.id)',
      runs: 3,
    });
    expect(result.verdict).toBe('verified');
    expect(result.cases.map((c) => c.name)).toEqual(['data', 'empty public.Accounts', 'empty public.events', expect.stringMatching(/^nulls in /)]);
    expect(result.cases.every((c) => c.same)).toBe(true);
    expect(result.measuredImprovementPct).toBeGreaterThan(10);
  });

  it('a rewrite with the same results that is not faster is rejected as such, with its timings', async () => {
    // The same rows, with a sort of all of them on top: slower, never faster.
    const result = await verifyRewrite(sandbox, {
      original: 'select count(*) from events where kind = $1',
      rewritten: 'select count(*) from (select id from events where kind = $1 order by kind desc, id desc, account_id) t',
      values: ['k1'],
      runs: 3,
    });
    expect(result.verdict).toBe('rejected');
    expect(result.reason).toMatch(/same results on data.*; not faster: [\d.]+ → [\d.]+ ms \(median of 3\)/);
    expect(result.beforeMedianMs).not.toBeNull();
  });

  it('refuses a writing statement before anything runs, and a call to a user\'s volatile function', async () => {
    const writing = await verifyRewrite(sandbox, { original, rewritten: 'delete from events', runs: 1 });
    expect(writing).toMatchObject({ verdict: 'rejected', reason: expect.stringContaining('read-only') });
    const { rows } = await db.pool.query('select count(*)::int as n from events');
    expect(rows[0].n).toBe(20000);
    const calling = await verifyRewrite(sandbox, { original: 'select id from "Accounts" where id < 10', rewritten: 'select public.noisy(id) from "Accounts" where id < 10', runs: 1 });
    expect(calling.verdict).not.toBe('verified');
  });
});
