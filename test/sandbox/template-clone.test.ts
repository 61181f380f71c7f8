import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAnalysisRole } from '../../sidecar/advisor/ensure-analysis-role.ts';
import { checkSandbox, SandboxError } from '../../sidecar/sandbox/isolation.ts';
import { measureIndex } from '../../sidecar/sandbox/measure-index.ts';
import { cloneByTemplate, dropSandboxDatabase } from '../../sidecar/sandbox/template-clone.ts';
import { createTestDatabase, databaseUrl, type TestDatabase } from '../support/database.ts';

/**
 * The loop's first half on a real cluster: the target copied by CREATE DATABASE … TEMPLATE, the
 * copy checked to be another database, a recommendation measured on the copy only, the copy dropped.
 */
describe('a sandbox cloned from the target by template', () => {
  let target: TestDatabase;
  let server: pg.Client;
  const targetName = () => new URL(target.url).pathname.slice(1);
  beforeAll(async () => {
    target = await createTestDatabase();
    await target.pool.query(`
      create table public.orders (id bigint primary key, customer_id int not null, total numeric not null);
      insert into public.orders select g, g % 5000, g % 70 from generate_series(1, 100000) g;
      analyze public.orders;`);
    server = new pg.Client({ connectionString: databaseUrl(target.url, 'postgres') });
    await server.connect();
  });
  afterAll(async () => {
    await server?.end();
    await target?.close();
  });

  it('copies the data, validates the index on the copy only, and drops the copy', async () => {
    // A template may have no other sessions: end the pool's idle ones, and wait until they are gone.
    await server.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [targetName()]);
    for (let tries = 0; tries < 1000; tries++) {
      if ((await server.query('select count(*)::int as n from pg_stat_activity where datname = $1', [targetName()])).rows[0].n === 0) break;
    }
    const name = await cloneByTemplate(server, targetName());
    const sandbox = new pg.Pool({ connectionString: databaseUrl(target.url, name), max: 2 });
    // DROP DATABASE … WITH (FORCE) ends whatever is still connected: an expected error.
    sandbox.on('error', () => undefined);
    try {
      await checkSandbox(target.pool, sandbox);
      expect((await sandbox.query('select count(*)::int as n from orders')).rows[0].n).toBe(100_000);
      const client = await sandbox.connect();
      try {
        await ensureAnalysisRole(client);
        const m = await measureIndex(client, 'CREATE INDEX orders_customer_id_idx ON public.orders (customer_id)', [{ query: 'select id from orders where customer_id = $1', values: ['42'] }], { runs: 3 });
        // Facts that do not depend on the machine's speed: the plan uses the index, and reads a
        // small part of what the full scan read (the timings are measure-index.test.ts's business).
        const [s] = m.statements;
        expect(m.error).toBeUndefined();
        expect(s!.usesIndex).toBe(true);
        expect(s!.after!.sharedHit + s!.after!.sharedRead).toBeLessThan((s!.before!.sharedHit + s!.before!.sharedRead) / 10);
      } finally {
        client.release();
      }
      // The target never saw the index.
      expect((await target.pool.query(`select count(*)::int as n from pg_indexes where tablename = 'orders'`)).rows[0].n).toBe(1);
    } finally {
      await sandbox.end();
      await dropSandboxDatabase(server, name);
    }
    expect((await server.query('select count(*)::int as n from pg_database where datname = $1', [name])).rows[0].n).toBe(0);
  });

  it('refuses a target that has other sessions, and never drops a database it did not make', async () => {
    const other = await target.pool.connect();
    try {
      await expect(cloneByTemplate(server, targetName())).rejects.toThrow(/other session\(s\)/);
    } finally {
      other.release();
    }
    await expect(dropSandboxDatabase(server, targetName())).rejects.toThrow(SandboxError);
    expect((await server.query('select count(*)::int as n from pg_database where datname = $1', [targetName()])).rows[0].n).toBe(1);
  });
});
