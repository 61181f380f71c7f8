import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyzePlan } from '../../sidecar/plans/analyze-plan.ts';
import { EXPLAIN } from '../../plv8/plan/explain-keys.ts';
import { StatementError } from '../../sidecar/plans/statement-check.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { itemsFingerprint, seedItems, spyClient } from './support.ts';

let db: TestDatabase;
let client: pg.PoolClient;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  client = await db.pool.connect();
  await client.query('create extension if not exists pg_stat_statements');
  await seedItems(client);
});

afterAll(async () => {
  client?.release();
  await db?.close();
});

/** Statements pg_stat_statements has seen whose text contains `marker`. */
async function seen(marker: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_statements where query like '%' || $1 || '%' and query not like '%pg_stat_statements%'
       and dbid = (select oid from pg_database where datname = current_database())`,
    [marker],
  );
  return rows[0]!.n;
}

describe('analyzePlan refuses what could write, before it reaches the server', () => {
  test.each([
    ['a literal DELETE', 'delete from items where id < 100', /DELETE writes/],
    ['a data-modifying CTE', 'with gone as (delete from items returning id) select count(*) from gone', /data-modifying DELETE/],
    ['SELECT … FOR UPDATE', 'select * from items where id = 1 for update', /FOR UPDATE/],
    ['a volatile function', `select setval('items_seq', 1)`, /setval\(\)/],
    ['two statements', 'select 1 as marker_two_statements; delete from items', /exactly one statement/],
  ])('%s', async (_name, query, reason) => {
    const before = await itemsFingerprint(client);
    const spy = spyClient(client);
    const error = await analyzePlan(spy.client, query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatementError);
    expect((error as Error).message).toMatch(reason);
    expect(spy.sent).toEqual([]);
    expect(await itemsFingerprint(client)).toBe(before);
  });

  test('pg_stat_statements confirms the two-statement text never ran, and would have seen it', async () => {
    await analyzePlan(client, 'select 1 as marker_two_statements; delete from items').catch(() => undefined);
    expect(await seen('marker_two_statements')).toBe(0);
    // The control: a statement that is sent does show up under its marker.
    await analyzePlan(client, 'select 1 as marker_one_statement');
    expect(await seen('marker_one_statement')).toBeGreaterThan(0);
  });

  test('the catalog check stops a writing function that passes the name check', async () => {
    // A user function shadowing a listed built-in name: the text looks read-only, the catalog knows better.
    await client.query(`create function public.lower(v int) returns int language sql as
      $$ insert into items values (100000 + v, 'written', 0) returning 1 $$`);
    const before = await itemsFingerprint(client);
    await expect(analyzePlan(client, 'select lower(5)')).rejects.toThrow(/catalog does not prove the statement harmless \(calls (public\.)?lower\(integer\), which is not built in\)/);
    expect(await itemsFingerprint(client)).toBe(before);
  });

  test('a $n statement without values is refused: only a generic plan can be made', async () => {
    await expect(analyzePlan(client, 'select * from items where id = $1')).rejects.toThrow(/needs real values/);
    await expect(analyzePlan(client, 'select * from items where id = $1', { values: ['1', '2'] })).rejects.toThrow(/1 parameter\(s\) but 2/);
  });
});

describe('analyzePlan runs read-only statements', () => {
  test('a literal SELECT gets an executed plan with buffers', async () => {
    const { explain } = await analyzePlan(client, 'select count(*) from items where n = 7');
    expect(typeof explain[EXPLAIN.executionTime]).toBe('number');
    expect(explain[EXPLAIN.plan]).toHaveProperty(EXPLAIN.sharedHitBlocks);
    expect(explain[EXPLAIN.plan]).toHaveProperty('Actual Rows', 1);
  });

  test('a $n SELECT runs with the given values as bind parameters', async () => {
    const { explain } = await analyzePlan(client, 'select * from items where n = $1 and name = $2', { values: ['13', 'name13'] });
    expect(explain[EXPLAIN.plan]).toHaveProperty('Actual Rows', 1);
  });

  test('statement_timeout stops a long query quickly', async () => {
    const started = Date.now();
    // pg_sleep is volatile, so the guard would refuse it: a long count over a built-in series instead.
    const error = await analyzePlan(client, 'select count(*) from generate_series(1, 10000000000) g', { statementTimeoutMs: 300 }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('57014');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await client.query<{ s: string }>(`select current_setting('statement_timeout') as s`)).rows[0]?.s).toBe('0');
  });
});
