import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitStatements } from '../../sidecar/cli/commands/advise.ts';
import { runCli } from '../support/cli.ts';
import { settleTableCounters } from '../support/table-counters.ts';
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
      ['costAfter', 'costBefore', 'improvementPct', 'kind', 'rationale', 'risk', 'rollbackSql', 'sizeBytes', 'sql', 'table', 'writeOverhead'].sort(),
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
    expect(result.stdout).toMatch(/    risk (low|medium|high): concurrent build, [\d.]+ [KMG]i?B table, [\d.]+ index writes\/s; writes: about [\d.]+ index writes\/s/);
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

describe('optischema advise --workload', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create table public.orders (id bigint primary key, customer_id int, status text, created_at timestamptz, total numeric);
      insert into public.orders select g, g % 1000, case when g % 2 = 0 then 'open' else 'paid' end, now(), g from generate_series(1, 100000) g;
      analyze public.orders;`);
    // The bulk load is not the workload's writes, nor its statements (see workload.test.ts).
    await settleTableCounters(db.pool, { 'public.orders': 100_000 });
    await db.pool.query(`select pg_stat_reset(), pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)`);
    for (let i = 0; i < 10; i++) {
      await db.pool.query('select * from orders where customer_id = $1', [i]);
      await db.pool.query('select id, total from orders where customer_id = $1 and status = $2', [i, 'open']);
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  it('--json prints the workload, each index with the statements it serves, and the errors', async () => {
    const result = await runCli(['advise', '--db', db.url, '--workload', '--json', '--since', '2h', '--budget', '1GB']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      workload: Record<string, unknown>;
      recommendations: (Record<string, unknown> & { queries: Record<string, unknown>[] })[];
      errors: unknown[];
    };
    expect(Object.keys(report)).toEqual(['workload', 'recommendations', 'errors']);
    expect(report.workload).toMatchObject({ source: 'pg_stat_statements', statements: 2, analyzed: 2, budgetBytes: 1024 ** 3 });
    expect(Object.keys(report.workload).sort()).toEqual(
      ['analyzed', 'budgetBytes', 'costAfter', 'costBefore', 'estimatedTimeMsAfter', 'improvementPct', 'since', 'sizeBytes', 'source', 'statements', 'timeMs', 'whatIf', 'windowSeconds', 'writeCostMs'].sort(),
    );
    expect(report.errors).toEqual([]);
    expect(report.recommendations).toHaveLength(1);
    const [index] = report.recommendations;
    // With a budget, the selection may spend it on the composite that also serves the status
    // filter; either way one index on customer_id first serves both statements.
    expect(index).toMatchObject({ sql: expect.stringMatching(/^CREATE INDEX CONCURRENTLY orders_customer_id\S* ON public\.orders \(customer_id[,)]/), table: 'public.orders', kind: 'index' });
    expect(Object.keys(index!).sort()).toEqual(
      ['costAfter', 'costBefore', 'estimatedSavedMs', 'improvementPct', 'kind', 'queries', 'rationale', 'risk', 'rollbackSql', 'sizeBytes', 'sql', 'table', 'writeCostMs', 'writeOverhead'].sort(),
    );
    expect(index!.queries.map((q) => q.query).sort()).toEqual(['select * from orders where customer_id = $1', 'select id, total from orders where customer_id = $1 and status = $2']);
    // `parameters`: the values it was planned with, which the sandbox validation runs it with.
    expect(Object.keys(index!.queries[0]!).sort()).toEqual(['calls', 'costAfter', 'costBefore', 'estimatedSavedMs', 'improvementPct', 'meanMs', 'parameters', 'query', 'queryid'].sort());
    expect(index!.queries[0]).toMatchObject({ queryid: expect.stringMatching(/^-?\d+$/), calls: 10 });
  });

  it('prints a readable report', async () => {
    const result = await runCli(['advise', '--db', db.url, '--workload']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Workload: 2 statements from pg_stat_statements, cumulative since \S+ \(no collected history for this window\); 2 planned\n/);
    expect(result.stdout).toContain('1. CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);');
    expect(result.stdout).toContain('   serves 2 statement(s), about ');
    expect(result.stdout).toMatch(/   - −[\d.]+% \(cost [\d.]+ → [\d.]+\), 10 calls × [\d.]+ ms: select \* from orders where customer_id = \$1\n/);
    expect(result.stdout).toContain('   undo: DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx;');
  });

  it('a budget too small for any index suggests none', async () => {
    const result = await runCli(['advise', '--db', db.url, '--workload', '--budget', '64kB']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No index to suggest');
    expect(result.stdout).toContain('budget 64 KiB');
  });

  it('bad --budget, bad --since and misplaced options are usage errors (exit 2)', async () => {
    const badBudget = await runCli(['advise', '--db', db.url, '--workload', '--budget', 'lots']);
    expect(badBudget.code).toBe(2);
    expect(badBudget.stderr).toBe('optischema: --budget lots: give a size in bytes or with a unit, such as 500MB or 2GB\n');
    const badSince = await runCli(['advise', '--db', db.url, '--workload', '--since', 'yesterday']);
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toContain('--since yesterday: give a length of time');
    const withoutWorkload = await runCli(['advise', '--db', db.url, '--budget', '1GB', '--query', 'select 1']);
    expect(withoutWorkload.code).toBe(2);
    expect(withoutWorkload.stderr).toContain('--since and --budget go with --workload');
    const both = await runCli(['advise', '--db', db.url, '--workload', '--query', 'select 1']);
    expect(both.code).toBe(2);
  });
});
