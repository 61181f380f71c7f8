import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAnalysisRole } from '../../sidecar/advisor/ensure-analysis-role.ts';
import { measuredStatements } from '../../sidecar/validation/measured-statements.ts';
import { validateIndex } from '../../sidecar/validation/validate-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/** What a validation runs, and what it may conclude from it (a database standing in for the sandbox). */
describe('validateIndex', () => {
  let db: TestDatabase;
  let sandbox: pg.PoolClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`
      create table public.customers (id int primary key, email text not null, code text not null);
      insert into public.customers select g, 'user' || g || '@example.com', 'c' || (g * 7919 % 100000) from generate_series(1, 100000) g;
      analyze public.customers;`);
    sandbox = await db.pool.connect();
    await ensureAnalysisRole(sandbox);
  });
  afterAll(async () => {
    sandbox?.release();
    await db?.close();
  });

  it('runs a served statement with the advisor\'s values, and its other statements only as a guard', async () => {
    const { statements, skipped } = measuredStatements([
      { queryid: '1', query: 'select id from customers where email = $1', parameters: { source: 'statistics', typing: 'as written', sets: [{ label: 'typical', weight: 1, values: ['user42@example.com'] }] } },
    ]);
    expect(skipped).toEqual([]);
    const v = await validateIndex({ sandbox, ddl: 'CREATE INDEX CONCURRENTLY customers_email_idx ON public.customers (email)', served: statements, others: [{ query: 'select count(*) from customers' }], skipped, runs: 3 });
    expect(v.verdict.state).toBe('validated');
    expect(v.report.statements.map((s) => [s.role, s.usesIndex])).toEqual([['served', true], ['other', false]]);
    expect(v.measuredImprovementPct).toBeGreaterThan(0);
  });

  it('is inconclusive, not rejected, when none of the statements the index serves can be run', async () => {
    // The advisor had no values for $1 (it planned the generic plan): the statement cannot run.
    const { statements, skipped } = measuredStatements([
      { query: 'select id from customers where lower(email) = lower($1)', parameters: { source: 'generic', typing: 'as written', sets: [], why: '$1 compared with an expression no statistics describe' } },
    ]);
    expect(statements).toEqual([]);
    const v = await validateIndex({ sandbox, ddl: 'CREATE INDEX customers_lower_email_idx ON public.customers (lower(email))', served: statements, others: [{ query: 'select count(*) from customers' }], skipped, runs: 2 });
    expect(v.verdict).toEqual({ state: 'inconclusive', reason: expect.stringMatching(/^none of the statements the index serves could be run: no parameter values known for it \(\$1 compared with an expression/) });
    expect((await sandbox.query(`select to_regclass('public.customers_lower_email_idx') as found`)).rows[0].found).toBeNull();
  });

  it('builds the indexes the estimate assumed in place first: one arm of an OR is measured beside the other', async () => {
    const served = [{ query: 'select id from customers where email = $1 or code = $2', values: ['user7@example.com', 'c12'] }];
    const ddl = 'CREATE INDEX CONCURRENTLY customers_email_idx ON public.customers (email)';
    // Alone, one arm's index cannot serve the OR: the table is scanned either way.
    const alone = await validateIndex({ sandbox, ddl, served, others: [], skipped: [], runs: 2 });
    expect(alone.verdict.state).toBe('rejected');
    const paired = await validateIndex({ sandbox, ddl, served, others: [], skipped: [], together: ['CREATE INDEX CONCURRENTLY customers_code_idx ON public.customers (code)'], runs: 3 });
    expect(paired.verdict.state, paired.verdict.reason).toBe('validated');
    expect(paired.report.together).toEqual(['CREATE INDEX CONCURRENTLY customers_code_idx ON public.customers (code)']);
    expect((await sandbox.query(`select count(*)::int as n from pg_indexes where tablename = 'customers' and indexname <> 'customers_pkey'`)).rows[0].n).toBe(0);
  });
});
