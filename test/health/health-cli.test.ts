import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../sidecar/net/ports.ts';
import type { HealthReport } from '../../sidecar/health/run-health.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, databaseUrl, type TestDatabase } from '../support/database.ts';

/**
 * `optischema health` as a user runs it: every advisor on one database, printed as
 * recommendations, exit 0 whatever it finds, 1 only when the database cannot be reached, 2 for bad
 * usage; nothing on the database changes.
 */
describe('optischema health', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`
      create table public.customers (id int primary key, name text not null);
      create table public.orders (id int primary key, customer_id int not null references public.customers, total int not null);
      insert into public.customers select g, 'c' || g from generate_series(1, 2000) g;
      insert into public.orders select g, 1 + g % 2000, g % 97 from generate_series(1, 20000) g;
      create index orders_total_idx on public.orders (total);
      create index orders_total_again_idx on public.orders (total);
      analyze public.customers, public.orders;`);
    // The parent sees deletes: its foreign key's missing index now costs a scan of orders per deleted row.
    await db.pool.query('delete from public.orders where customer_id = 7; delete from public.customers where id = 7');
    await db.pool.query('select pg_stat_force_next_flush()');
  });
  afterAll(async () => {
    await db?.close();
  });

  const indexes = async () => (await db.pool.query(`select indexname from pg_indexes where schemaname = 'public' order by 1`)).rows.map((r) => r.indexname);

  it('prints every advisor\'s findings as recommendations with their kind, and changes nothing', async () => {
    const before = await indexes();
    const result = await runCli(['health', '--db', db.url, '--json', '--memory', '16GB']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as HealthReport;
    expect(report.ran).toEqual(['plan_insight', 'index_hygiene', 'schema', 'pooling', 'setting']);
    const rules = report.findings.map((f) => `${f.kind}/${f.rule}/${f.subject}`);
    expect(rules).toContain('index_hygiene/duplicate_index/public.orders_total_idx');
    expect(rules).toContain('index_hygiene/missing_fk_index/public.orders(customer_id)');
    // 16 GB of RAM against the test cluster's small shared_buffers.
    expect(rules).toContain('setting/memory_setting/shared_buffers');
    for (const f of report.findings) {
      expect(f.sql.trim().length, f.title).toBeGreaterThan(0);
      expect(['low', 'medium', 'high']).toContain(f.risk);
    }
    // No captured plans here: plan insights say why they found nothing.
    expect(report.notes.some((n) => n.startsWith('plan_insight:'))).toBe(true);
    expect(await indexes()).toEqual(before);
  });

  it('prints a readable report by default', async () => {
    const result = await runCli(['health', '--db', db.url, '--kind', 'index_hygiene']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^index_hygiene: \d+ findings?$/m);
    expect(result.stdout).toContain('DROP INDEX CONCURRENTLY IF EXISTS public.orders_total_idx;');
    expect(result.stdout).not.toMatch(/^schema:/m);
  });

  it('exits 1 with one line when the database cannot be reached, 2 for bad usage', async () => {
    const port = await freePort();
    const gone = await runCli(['health', '--db', databaseUrl(`postgres://nobody:secret@127.0.0.1:${port}/x`, 'x')]);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim().split('\n')).toHaveLength(1);
    expect(gone.stderr).not.toContain('secret');
    const usage = await runCli(['health', '--db', db.url, '--memory', 'lots']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--memory lots: give a size/);
    const kind = await runCli(['health', '--db', db.url, '--kind', 'vacuum']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/the advisors are plan_insight, index_hygiene/);
  });
});
