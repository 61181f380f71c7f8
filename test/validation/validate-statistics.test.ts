import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateStatistics } from '../../sidecar/validation/validate-statistics.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// A fresh test database stands in for the sandbox.
let db: TestDatabase;
let sandbox: pg.PoolClient;
// An application role (roles are cluster-wide: a name of this file's own): an UPDATE is planned with its author's rights.
const appRole = `stats_app_${process.pid}`;
let appRoleOid: string;

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await db.pool.connect();
  // b follows c exactly (both a % 100): b = 1 and c = 1 is 1 % of the rows, estimated 0.01 % as if independent.
  await sandbox.query('create table corr (a int primary key, b int, c int)');
  await sandbox.query('insert into corr select g, g % 100, g % 100 from generate_series(1, 20000) g');
  // Independent columns: c steps once every 100 rows, so b = 1 and c = 1 is 0.01 %, as estimated.
  await sandbox.query('create table "Indep" (a int primary key, b int, "C" int)');
  await sandbox.query('insert into "Indep" select g, g % 100, (g / 100) % 100 from generate_series(1, 20000) g');
  await sandbox.query(`create role ${appRole} nologin`);
  await sandbox.query(`grant select, update on corr to ${appRole}`);
  appRoleOid = (await sandbox.query<{ oid: string }>(`select oid::text from pg_roles where rolname = $1`, [appRole])).rows[0]!.oid;
  await sandbox.query('analyze corr');
  await sandbox.query('analyze "Indep"');
});

afterAll(async () => {
  await sandbox?.query(`drop owned by ${appRole}`).catch(() => undefined);
  await sandbox?.query(`drop role if exists ${appRole}`).catch(() => undefined);
  sandbox?.release();
  await db?.close();
});

async function statisticsObjects(): Promise<string[]> {
  const { rows } = await sandbox.query<{ stxname: string }>('select stxname from pg_statistic_ext order by 1');
  return rows.map((r) => r.stxname);
}

describe('validateStatistics', () => {
  test('correlated columns: the estimate error shrinks, validated, and the sandbox is left as it was', async () => {
    const result = await validateStatistics({
      sandbox,
      table: 'public.corr',
      createSql: 'CREATE STATISTICS public.corr_b_c_stat (dependencies, mcv) ON b, c FROM public.corr;\nANALYZE public.corr;',
      statements: [{ query: 'select * from corr where b = $1 and c = $2', values: ['1', '1'] }, { query: 'select count(*) from corr where b = 7 and c = 7' }],
    });
    expect(result.verdict).toBe('validated');
    expect(result.reason).toMatch(/from 100× to 1×/);
    expect(result.before.map((m) => m.analyzed)).toEqual([true, true]);
    expect(result.before[0]).toMatchObject({ worstFactor: 100, scans: [{ nodeType: 'Seq Scan', plannedRows: 2, actualRows: 200 }] });
    expect(result.after[0]!.worstFactor).toBeLessThan(2);
    expect(await statisticsObjects()).toEqual([]);
    // The session is idle again, not inside a leftover transaction.
    expect((await sandbox.query<{ open: boolean }>(`select now() <> statement_timestamp() as open`)).rows[0]!.open).toBe(false);
  });

  test('independent columns: nothing to gain, rejected', async () => {
    const result = await validateStatistics({
      sandbox,
      table: 'public.Indep',
      createSql: 'CREATE STATISTICS public.indep_b_c_stat (dependencies, mcv) ON b, "C" FROM public."Indep";',
      statements: [{ query: 'select * from "Indep" where b = 1 and "C" = 1' }],
    });
    expect(result.verdict).toBe('rejected');
    expect(result.before[0]!.worstFactor).toBeLessThan(2);
    expect(await statisticsObjects()).toEqual([]);
  });

  test('a statement that may write is only planned (no actual rows), as its author: inconclusive', async () => {
    const result = await validateStatistics({
      sandbox,
      authors: [appRoleOid],
      table: 'public.corr',
      createSql: 'CREATE STATISTICS public.corr_b_c_stat (dependencies, mcv) ON b, c FROM public.corr;',
      statements: [{ query: 'update corr set a = a where b = 1 and c = 1' }],
    });
    expect(result.verdict).toBe('inconclusive');
    expect(result.before[0]).toMatchObject({ analyzed: false, worstFactor: null });
    expect(result.before[0]!.scans[0]?.actualRows).toBeNull();
    expect((await sandbox.query<{ n: number }>('select count(*)::int as n from corr where a = b')).rows[0]!.n).toBe(99);
  });

  test('SQL that is not CREATE STATISTICS on the table is refused before anything runs', async () => {
    const result = await validateStatistics({
      sandbox,
      table: 'public.corr',
      createSql: 'CREATE STATISTICS s (mcv) ON b, c FROM corr; DROP TABLE corr;',
      statements: [{ query: 'select * from corr where b = 1 and c = 1' }],
    });
    expect(result).toMatchObject({ verdict: 'inconclusive', before: [], after: [] });
    expect(result.reason).toMatch(/only CREATE STATISTICS on public\.corr, schema-qualified/);
    expect((await sandbox.query<{ t: string | null }>(`select to_regclass('public.corr')::text as t`)).rows[0]!.t).toBe('corr');
  });
});
