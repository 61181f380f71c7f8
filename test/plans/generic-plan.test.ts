import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EXPLAIN } from '../../plv8/plan/explain-keys.ts';
import { genericPlan } from '../../sidecar/plans/generic-plan.ts';
import { testAppRole } from '../support/app-role.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { itemsFingerprint, seedItems, spyClient } from './support.ts';

let db: TestDatabase;
let client: pg.PoolClient;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  client = await db.pool.connect();
  await seedItems(client);
});

afterAll(async () => {
  client?.release();
  await db?.close();
});

describe('genericPlan', () => {
  test.each([
    ['select', 'select * from items where n = $1 and name <> $2', 'Seq Scan'],
    ['insert', 'insert into items (id, name, n) values ($1, $2, $3)', 'ModifyTable'],
    ['update', 'update items set name = $1 where id = $2', 'ModifyTable'],
    ['delete', 'delete from items where id = $1', 'ModifyTable'],
  ])('plans a $n %s without running it', async (_kind, query, nodeType) => {
    const before = await itemsFingerprint(client);
    // As the application's role: a superuser's writes are planned by a role that may only read.
    const plan = await genericPlan(client, query, { authors: [await testAppRole(db.pool)] });
    expect(plan.method).toBe('prepare_execute');
    expect(plan.explain[EXPLAIN.plan][EXPLAIN.nodeType]).toBe(nodeType);
    expect(plan.parameterTypes?.length).toBe(plan.statement.parameterCount);
    expect(await itemsFingerprint(client)).toBe(before);
    const { rows } = await client.query('select name from pg_prepared_statements');
    expect(rows).toEqual([]);
    const { rows: state } = await client.query<{ t: string }>('select now()::text as t');
    expect(state).toHaveLength(1); // the client is usable and outside any transaction
  });

  test('uses the plan for any value, not a custom one', async () => {
    await client.query('create index items_n_idx on items (n)');
    try {
      const plan = await genericPlan(client, 'select * from items where n = $1');
      expect(JSON.stringify(plan.explain)).toContain('items_n_idx');
      expect(JSON.stringify(plan.explain)).toContain('$1');
    } finally {
      await client.query('drop index items_n_idx');
    }
  });

  test('an unknown column fails with the server message and leaves no prepared statement behind', async () => {
    await expect(genericPlan(client, 'select nope from items where id = $1')).rejects.toThrow(/column "nope" does not exist/);
    expect((await client.query('select name from pg_prepared_statements')).rows).toEqual([]);
    expect((await client.query<{ s: string }>(`select current_setting('plan_cache_mode') as s`)).rows[0]?.s).toBe('auto');
  });

  test('two statements are refused before anything is sent', async () => {
    const spy = spyClient(client);
    await expect(genericPlan(spy.client, 'select * from items where id = $1; delete from items')).rejects.toThrow(/exactly one statement/);
    expect(spy.sent).toEqual([]);
  });
});
