import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitStatements } from '../../sidecar/cli/commands/advise.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../../sidecar/net/ports.ts';

describe('optischema advise', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    dir = await mkdtemp(join(tmpdir(), 'optischema-advise-'));
    await db.pool.query(`
      create table public.orders (id bigint primary key, customer_id int, status text, created_at timestamptz, total numeric);
      insert into public.orders select g, g % 1000, case when g % 2 = 0 then 'open' else 'paid' end, now(), g from generate_series(1, 100000) g;
      analyze public.orders;`);
  });
  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('--json prints one result per --query, in order, with recommendations and errors', async () => {
    const result = await runCli(['advise', '--db', db.url, '--json', '--query', 'select * from orders where customer_id = 42', '--query', 'select nope from orders']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { results: { query: string; recommendations: Record<string, unknown>[]; errors: string[] }[] };
    expect(Object.keys(report)).toEqual(['results']);
    expect(report.results.map((r) => r.query)).toEqual(['select * from orders where customer_id = 42', 'select nope from orders']);
    const [first, second] = report.results;
    expect(Object.keys(first!).sort()).toEqual(['errors', 'query', 'recommendations']);
    expect(first!.errors).toEqual([]);
    expect(first!.recommendations).toHaveLength(1);
    expect(Object.keys(first!.recommendations[0]!).sort()).toEqual(
      ['costAfter', 'costBefore', 'improvementPct', 'rationale', 'rollbackSql', 'sizeBytes', 'sql', 'table'].sort(),
    );
    expect(first!.recommendations[0]).toMatchObject({
      sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)',
      table: 'public.orders',
      costBefore: expect.any(Number),
      costAfter: expect.any(Number),
      improvementPct: expect.any(Number),
      sizeBytes: expect.any(Number),
    });
    expect(second).toEqual({ query: 'select nope from orders', recommendations: [], errors: [expect.stringContaining('nope')] });
  });

  it('prints a readable report and reads --file', async () => {
    const file = join(dir, 'queries.sql');
    await writeFile(file, "-- two queries\nselect * from orders where customer_id = 42;\nselect * from orders\n where status = 'open';\n");
    const result = await runCli(['advise', '--db', db.url, '--file', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Query 1: -- two queries select * from orders where customer_id = 42');
    expect(result.stdout).toContain('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);');
    expect(result.stdout).toContain('undo: DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx;');
    expect(result.stdout).toMatch(/Query 2: select \* from orders where status = 'open'\n  no index to suggest/);
  });

  it('exits 1 with one line when the database cannot be reached, and 2 without queries', async () => {
    const port = await freePort();
    const unreachable = await runCli(['advise', '--db', `postgres://someone:secret@127.0.0.1:${port}/nowhere`, '--query', 'select 1']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).not.toContain('secret');
    const empty = await runCli(['advise', '--db', db.url]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('nothing to advise on');
  });

  it('splits a file on lines ending in ";"', () => {
    expect(splitStatements('select 1;\nselect 2\n  from t;\n\n-- only a comment\n')).toEqual(['select 1', 'select 2\n  from t']);
  });
});
