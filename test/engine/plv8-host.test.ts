import { readFile } from 'node:fs/promises';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../../plv8/engine/protocol.ts';
import { serverFacts } from '../../plv8/engine/server-facts.ts';
import { runInPlv8 } from '../../plv8/host/plv8-host.ts';
import { ENGINE_SQL_FILE } from '../../scripts/build-plv8.ts';
import { runStep } from '../../sidecar/advisor/run-step.ts';
import type { WorkloadAdvice } from '../../plv8/advisor/workload/advise-workload.ts';
import { adviseQueries } from '../../sidecar/advisor/advise.ts';
import { adviseWorkload } from '../../sidecar/advisor/workload.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { compileInBareContext as compileWith, readEngineFunctions } from './support/engine-sql.ts';
import { createPlv8Stub, type Plv8Stub } from './support/plv8-stub.ts';

let db: TestDatabase;
let plv8: Plv8Stub;
beforeAll(async () => {
  db = await createTestDatabase();
  plv8 = createPlv8Stub(db.url);
  engineSql = await readFile(ENGINE_SQL_FILE, 'utf8');
});
afterAll(async () => {
  plv8?.end();
  await db?.close();
});

function compileInBareContext(argNames: string[], body: string): (...args: unknown[]) => unknown {
  return compileWith(plv8, argNames, body);
}

let engineSql = '';
function readEngineFunctionsSync(name: string): (...args: unknown[]) => unknown {
  const fn = readEngineFunctions(engineSql).get(name);
  if (fn === undefined) throw new Error(`${name} is not in ${ENGINE_SQL_FILE}`);
  return compileInBareContext(fn.argNames, fn.body);
}

async function engineFunction(name: string) {
  const fn = readEngineFunctions(await readFile(ENGINE_SQL_FILE, 'utf8')).get(name);
  if (fn === undefined) throw new Error(`${name} is not in ${ENGINE_SQL_FILE}`);
  return fn;
}

describe('the plv8 host, run from the generated SQL in a bare node:vm context', () => {
  it('gives the bundle no Node global, and the bundle names none', async () => {
    const context = vm.createContext({ plv8 });
    const globals = vm.runInContext('[typeof require, typeof process, typeof Buffer, typeof module, typeof setTimeout, typeof plv8]', context);
    expect([...globals]).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'object']);
    // V8 itself puts `console` in every context, so a call to it would pass above: check the text too.
    for (const name of ['engine_server_facts', 'engine_advise_query', 'engine_advise_workload']) {
      const { body } = await engineFunction(name);
      expect(body, name).not.toMatch(/\b(require|process|Buffer|console|setTimeout|setImmediate|globalThis|__dirname)\b/);
    }
  });

  it('returns the same server facts as the Node host', async () => {
    const { argNames, body } = await engineFunction('engine_server_facts');
    plv8.calls.length = 0;
    // plv8 turns the returned object into jsonb: a JSON round trip, as the function's result would take.
    const inPlv8 = JSON.parse(JSON.stringify(compileInBareContext(argNames, body)())) as unknown;
    expect(inPlv8).toEqual(await runStep(serverFacts(), db.pool));
    expect(inPlv8).toMatchObject({ hypopg: true, plv8: false });
    // The host's search_path for the step, then the step's one statement: each through a cursor
    // (the one SPI path that refuses several statements), cleaned up.
    const oneStatement = ['prepare', 'plan.cursor', 'cursor.close', 'plan.free'];
    expect(plv8.calls).toEqual([...oneStatement, ...oneStatement]);
  });

  it('refuses a request with several statements', () => {
    function* twoStatements(): Step<unknown> {
      return yield { sql: 'select 1; select 2' };
    }
    expect(() => runInPlv8(plv8, twoStatements())).toThrow(/cannot insert multiple commands/);
    // The plan is freed even when the cursor fails.
    expect(plv8.calls.slice(-3)).toEqual(['prepare', 'plan.cursor', 'plan.free']);
  });

  it('throws a failed request into the step, which may handle it', () => {
    function* handles(): Step<string> {
      try {
        yield { sql: 'select 1/0' };
        return 'no error';
      } catch (error) {
        return String((error as { code?: unknown }).code);
      }
    }
    expect(runInPlv8(plv8, handles())).toBe('22012');
  });

  it('gives the same index advice as the sidecar host, for a literal query and a $n text', async () => {
    await db.pool.query(`
      create table public.orders (id bigint primary key, customer_id int not null, status text not null, created_at timestamptz not null);
      insert into public.orders select g, g % 2000, case when g % 20 = 0 then 'pending' else 'done' end, timestamptz '2025-01-01' + g * interval '1 minute'
        from generate_series(1, 60000) g;
      analyze public.orders;
      -- This session's write counts reach the shared statistics now, so the reset below clears them.
      select pg_stat_force_next_flush();`);
    await db.pool.query('select pg_stat_reset()');
    const { argNames, body } = await engineFunction('engine_advise_query');
    const advise = compileInBareContext(argNames, body);
    // A plv8 function always runs inside the caller's transaction; the stub's session needs one too.
    const inPlv8 = (query: string): unknown => {
      plv8.execute('begin');
      // What the generated function's SET clause does: the step must still find orders and hypopg.
      plv8.execute('set local search_path = pg_catalog, pg_temp');
      try {
        return normalize(JSON.parse(JSON.stringify(advise(query, null))));
      } finally {
        plv8.execute('rollback');
      }
    };
    const normalize = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replace(/over the last \d+ \w+/g, 'over the last …'));
    for (const query of ['select * from orders where customer_id = 42 and created_at > now()', 'select id from orders where customer_id = $1 order by created_at desc limit 10']) {
      const [sidecar] = (await adviseQueries(db.pool, [query])).results;
      const fromPlv8 = inPlv8(query) as { recommendations: { sql: string }[] };
      const { query: _asked, ...advice } = sidecar!;
      expect(fromPlv8, query).toEqual(normalize(advice));
      expect(fromPlv8.recommendations[0]?.sql, query).toMatch(/^CREATE INDEX CONCURRENTLY orders_customer_id_/);
    }
    // Nothing is left in the session: no prepared statement, no hypothetical index.
    expect(plv8.execute('select (select count(*)::int from pg_prepared_statements) as prepared, (select count(*)::int from hypopg()) as hypothetical')).toEqual([
      { prepared: 0, hypothetical: 0 },
    ]);
  });

  it('advises on the database\'s own workload (pg_stat_statements) as the sidecar does', async () => {
    // The orders table of the test above; a workload that needs (customer_id) from three statements.
    // pg_stat_statements is cluster-wide; the workload source reads this database's statements only.
    await db.pool.query('create extension if not exists pg_stat_statements');
    for (let n = 0; n < 5; n++) {
      await db.pool.query('select * from orders where customer_id = $1', [n]);
      await db.pool.query('select count(*) from orders where customer_id = $1 and status = $2', [n, 'done']);
      await db.pool.query('select id from orders where customer_id = $1 order by created_at desc limit 5', [n]);
    }
    const advise = readEngineFunctionsSync('engine_advise_workload');
    plv8.execute('begin');
    plv8.execute('set local search_path = pg_catalog, pg_temp');
    let inPlv8: WorkloadAdvice;
    try {
      inPlv8 = JSON.parse(JSON.stringify(advise({ since: '1 hour' }))) as WorkloadAdvice;
    } finally {
      plv8.execute('rollback');
    }
    const sidecar = await adviseWorkload(db.pool, { since: '1 hour' });
    const shape = (a: WorkloadAdvice) => ({
      source: a.workload.source,
      statements: a.workload.statements,
      recommendations: a.recommendations.map((r) => ({ sql: r.sql, queries: r.queries.map((q) => q.query).sort() })),
      errors: a.errors,
    });
    expect(shape(inPlv8)).toEqual(shape(sidecar));
    expect(inPlv8.workload.source).toBe('pg_stat_statements');
    expect(inPlv8.recommendations[0]?.sql).toMatch(/^CREATE INDEX CONCURRENTLY orders_customer_id/);
    expect(inPlv8.recommendations[0]?.queries.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses two statements in the query it advises on, and drops nothing', () => {
    const advise = readEngineFunctionsSync('engine_advise_query');
    const result = advise('select 1; drop table orders', null) as { recommendations: unknown[]; errors: string[] };
    expect(result).toEqual({ recommendations: [], errors: [expect.stringContaining('2 statements')] });
    expect(plv8.execute("select to_regclass('public.orders') is not null as present")).toEqual([{ present: true }]);
  });

  it('would have run both statements through plan.execute, which is why the host does not use it', () => {
    const rows = plv8.prepare('select 1 as first; select 2 as second').execute([]);
    expect(rows).toEqual([{ second: 2 }]);
  });
});
