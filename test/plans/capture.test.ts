import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { capturePlans } from '../../sidecar/plans/capture.ts';
import { testAppRole } from '../support/app-role.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { itemsFingerprint, seedItems } from './support.ts';

let db: TestDatabase;
let target: pg.PoolClient;
let tenantId: string;
let targetId: string;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  target = await db.pool.connect();
  await seedItems(target);
  // The test database is both the monitored target and OptiSchema's store; the superuser pool
  // stands in for the sidecar's own connection, which bypasses RLS.
  const tenant = await db.pool.query<{ id: string }>(`insert into optischema.tenants (name, slug) values ('Plans', 'plans') returning id`);
  tenantId = tenant.rows[0]!.id;
  const row = await db.pool.query<{ id: string }>(
    `insert into optischema.targets (tenant_id, name, secret_ref) values ($1, 'plans', 'env:PLANS_URL') returning id`,
    [tenantId],
  );
  targetId = row.rows[0]!.id;
});

afterAll(async () => {
  target?.release();
  await db?.close();
});

async function storedPlans(queryid: string) {
  const { rows } = await db.pool.query<{ id: string; tenant_id: string; kind: string; plan_hash: string; plan: unknown; parameters: unknown }>(
    `select id::text, tenant_id, kind, plan_hash, plan, parameters from optischema.query_plans where queryid = $1 order by id`,
    [queryid],
  );
  return rows;
}

describe('capturePlans', () => {
  test('stores the generic plan of a $n SELECT, tenant looked up from the target', async () => {
    const result = await capturePlans({ target, store: db.pool, targetId, queryid: '101', query: 'select * from items where n = $1', useQualstats: false });
    expect(result.errors).toEqual([]);
    expect(result.generic?.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(result.analyze).toBeUndefined();
    expect(result.analyzeSkipped).toMatch(/no values known/);
    const rows = await storedPlans('101');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: result.generic!.id, tenant_id: tenantId, kind: 'generic', plan_hash: result.generic!.hash, parameters: { types: ['integer'] } });
    expect(rows[0]!.plan).toEqual([expect.objectContaining({ Plan: expect.objectContaining({ 'Node Type': 'Seq Scan' }) })]);
  });

  test('stores generic and analyze plans of a literal SELECT', async () => {
    const result = await capturePlans({ target, store: db.pool, targetId, tenantId, queryid: '102', query: 'select count(*) from items where n = 5' });
    expect(result.errors).toEqual([]);
    const rows = await storedPlans('102');
    expect(rows.map((r) => r.kind)).toEqual(['generic', 'analyze']);
    expect(rows[1]).toMatchObject({ parameters: { source: 'literal', values: [] } });
    expect(JSON.stringify(rows[1]!.plan)).toContain('Shared Hit Blocks');
    // The same shape whether planned or run.
    expect(result.analyze?.hash).toBe(result.generic?.hash);
  });

  test('runs ANALYZE with given values', async () => {
    const result = await capturePlans({ target, store: db.pool, targetId, queryid: '103', query: 'select * from items where id = $1', values: ['42'] });
    expect(result.errors).toEqual([]);
    const rows = await storedPlans('103');
    expect(rows[1]).toMatchObject({ kind: 'analyze', parameters: { source: 'given', values: ['42'] } });
  });

  test('plans a DELETE, never runs it', async () => {
    const before = await itemsFingerprint(target);
    const result = await capturePlans({ target, store: db.pool, targetId, queryid: '104', query: 'delete from items where n < 500', values: [], authors: [await testAppRole(db.pool)] });
    expect(result.errors).toEqual([]);
    expect(result.generic).toBeDefined();
    expect(result.analyze).toBeUndefined();
    expect(result.analyzeSkipped).toMatch(/DELETE writes/);
    expect(await itemsFingerprint(target)).toBe(before);
    expect((await storedPlans('104')).map((r) => r.kind)).toEqual(['generic']);
  });

  test('the plan hash is stable across captures and changes when an index is created', async () => {
    const query = 'select * from items where n = $1';
    const first = await capturePlans({ target, store: db.pool, targetId, queryid: '105', query, useQualstats: false });
    const second = await capturePlans({ target, store: db.pool, targetId, queryid: '105', query, useQualstats: false });
    expect(second.generic?.hash).toBe(first.generic?.hash);
    expect(second.generic?.id).not.toBe(first.generic?.id);
    await target.query('create index items_n_idx on items (n)');
    try {
      const third = await capturePlans({ target, store: db.pool, targetId, queryid: '105', query, useQualstats: false });
      expect(third.generic?.hash).not.toBe(first.generic?.hash);
      expect(JSON.stringify((await storedPlans('105'))[2]!.plan)).toContain('items_n_idx');
    } finally {
      await target.query('drop index items_n_idx');
    }
  });

  test('errors are data: a parse error, an unknown column, an unknown target', async () => {
    const parse = await capturePlans({ target, store: db.pool, targetId, queryid: '106', query: 'select from from' });
    expect(parse.errors).toEqual([expect.stringMatching(/does not parse/)]);
    const column = await capturePlans({ target, store: db.pool, targetId, queryid: '107', query: 'select nope from items where id = $1', values: ['1'] });
    expect(column.errors).toEqual([
      expect.stringMatching(/^generic plan: column "nope" does not exist \(SQLSTATE 42703\)/),
      expect.stringMatching(/^analyze plan: column "nope" does not exist/),
    ]);
    const missing = await capturePlans({ target, store: db.pool, targetId: '00000000-0000-0000-0000-000000000000', queryid: '108', query: 'select 1' });
    expect(missing.errors).toEqual([expect.stringMatching(/does not exist/)]);
    expect([...(await storedPlans('106')), ...(await storedPlans('107')), ...(await storedPlans('108'))]).toEqual([]);
    // The connection is still fine for the next query.
    expect((await target.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
  });

  test('a timeout is an error of the analyze step, the generic plan is kept', async () => {
    const result = await capturePlans({ target, store: db.pool, targetId, queryid: '109', query: 'select count(*) from generate_series(1, 10000000000) g', statementTimeoutMs: 1_000 });
    expect(result.generic).toBeDefined();
    expect(result.errors).toEqual([expect.stringMatching(/^analyze plan: canceling statement due to statement timeout \(SQLSTATE 57014\)/)]);
  });
});
