import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runDoctor } from '../../sidecar/doctor/doctor.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { privateCluster } from '../support/cluster.ts';
import { runCli } from '../support/cli.ts';
import { freePort } from '../../sidecar/net/ports.ts';

describe('doctor on a real database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
  });
  afterAll(async () => {
    await db.close();
  });

  it('finds everything in place on a migrated database of the embedded kind', async () => {
    const report = await runDoctor(db.pool);
    expect(report.ready).toBe(true);
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({ version: 'ok', pg_stat_statements: 'ok', hypopg: 'ok', pg_qualstats: 'ok', 'privileges.stats': 'ok' });
    expect(report.serverVersion).toMatch(/^1[4-7]\./);
  });

  it('`optischema doctor --db` exits 0 and prints a line per check', async () => {
    const result = await runCli(['doctor', '--db', db.url]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+ok\s+pg_stat_statements .* preloaded and created$/m);
    expect(result.stdout).toContain('Ready: OptiSchema can run here');
  });
});

describe('doctor --target: a monitored database asks for least privilege', () => {
  let db: TestDatabase;
  let collector: pg.Pool;
  const suffix = Math.random().toString(36).slice(2, 8);
  const collectorRole = `collector_${suffix}`;
  const appRole = `shop_${suffix}`;
  beforeAll(async () => {
    // A plain database, as a monitored one is: pg_stat_statements in public, no OptiSchema schema.
    db = await createTestDatabase();
    await db.pool.query(`create extension pg_stat_statements; create role ${collectorRole} login password 'c'; grant pg_monitor to ${collectorRole};
      create role ${appRole} login password 'a'`);
    // The application runs a statement, so pg_stat_statements has it as its author.
    const url = (role: string, password: string) => Object.assign(new URL(db.url), { username: role, password }).toString();
    const app = new pg.Client({ connectionString: url(appRole, 'a') });
    await app.connect();
    await app.query('select 1 as doctor_marker').finally(() => app.end());
    collector = new pg.Pool({ connectionString: url(collectorRole, 'c'), max: 1 });
  });
  afterAll(async () => {
    await collector?.end();
    await db?.close();
  });

  it('a pg_monitor role is enough to collect; it is told what planning each author needs', async () => {
    const report = await runDoctor(collector, { mode: 'target' });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId['privileges.stats']?.status).toBe('ok');
    expect(byId['privileges.rls']).toBeUndefined();
    expect(byId['privileges.superuser']).toBeUndefined();
    expect(byId['analysis.temp']?.status).toBe('ok');
    expect(byId['analysis.authors']).toMatchObject({ status: 'warn', fix: expect.stringContaining(`GRANT ${appRole} TO ${collectorRole}`) });
    expect(byId['analysis.role']).toMatchObject({ status: 'warn', fix: expect.stringContaining(`GRANT optischema_analysis TO ${collectorRole}`) });
    expect(report.ready).toBe(true);
    // The same role as OptiSchema's own database's connection would fail: it must bypass row-level security.
    const state = await runDoctor(collector);
    expect(state.checks.find((c) => c.id === 'privileges.rls')?.status).toBe('fail');
  });

  it('a superuser connection to a monitored database is warned about', async () => {
    const report = await runDoctor(db.pool, { mode: 'target' });
    expect(report.checks.find((c) => c.id === 'privileges.superuser')).toMatchObject({ status: 'warn', fix: expect.stringContaining('GRANT pg_monitor') });
  });
});

describe('doctor on a cluster without pg_stat_statements preloaded', () => {
  let server: Awaited<ReturnType<typeof privateCluster>>;
  beforeAll(async () => {
    server = await privateCluster();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query(`alter system set shared_preload_libraries = 'auto_explain'`);
    await client.end();
    await server.cluster.stop();
    await server.cluster.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it('fails and prints the exact setting to change', async () => {
    const result = await runCli(['doctor', '--db', server.url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL\s+pg_stat_statements is not in shared_preload_libraries/);
    expect(result.stdout).toContain("fix: ALTER SYSTEM SET shared_preload_libraries = 'auto_explain,pg_stat_statements'; then restart PostgreSQL");
    expect(result.stdout).toMatch(/warn\s+pg_qualstats is installed but not in shared_preload_libraries/);
    expect(result.stdout).toContain('Not ready: 1 problem to fix.');
  });

  it('`optischema start` refuses the database with one clear line', async () => {
    const result = await runCli(['start', '--db', server.url, '--port', String(await freePort()), '--no-demo']);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^optischema: optischema is not ready for OptiSchema: pg_stat_statements is not in shared_preload_libraries/);
  });
});
