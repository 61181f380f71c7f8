import { readFile } from 'node:fs/promises';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../../plv8/engine/protocol.ts';
import { serverFacts } from '../../plv8/engine/server-facts.ts';
import { runInPlv8 } from '../../plv8/host/plv8-host.ts';
import { ENGINE_SQL_FILE } from '../../scripts/build-plv8.ts';
import { runStep } from '../../sidecar/advisor/run-step.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { readEngineFunctions } from './support/engine-sql.ts';
import { createPlv8Stub, type Plv8Stub } from './support/plv8-stub.ts';

let db: TestDatabase;
let plv8: Plv8Stub;
beforeAll(async () => {
  db = await createTestDatabase();
  plv8 = createPlv8Stub(db.url);
});
afterAll(async () => {
  plv8?.end();
  await db?.close();
});

/**
 * Compiles a generated function body as plv8 does (a function of the SQL arguments) in a bare V8
 * context whose only non-standard global is `plv8`: no require, process, Buffer or console.
 */
function compileInBareContext(argNames: string[], body: string): (...args: unknown[]) => unknown {
  const context = vm.createContext({ plv8 });
  return vm.runInContext(`(function (${argNames.join(', ')}) {\n${body}\n})`, context, { filename: 'engine.sql' }) as (
    ...args: unknown[]
  ) => unknown;
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
    const { body } = await engineFunction('engine_server_facts');
    expect(body).not.toMatch(/\b(require|process|Buffer|console|setTimeout|setImmediate|globalThis|__dirname)\b/);
  });

  it('returns the same server facts as the Node host', async () => {
    const { argNames, body } = await engineFunction('engine_server_facts');
    plv8.calls.length = 0;
    // plv8 turns the returned object into jsonb: a JSON round trip, as the function's result would take.
    const inPlv8 = JSON.parse(JSON.stringify(compileInBareContext(argNames, body)())) as unknown;
    expect(inPlv8).toEqual(await runStep(serverFacts(), db.pool));
    expect(inPlv8).toMatchObject({ hypopg: true, plv8: false });
    // One statement, through a cursor (the one SPI path that refuses several statements), cleaned up.
    expect(plv8.calls).toEqual(['prepare', 'plan.cursor', 'cursor.close', 'plan.free']);
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

  it('would have run both statements through plan.execute, which is why the host does not use it', () => {
    const rows = plv8.prepare('select 1 as first; select 2 as second').execute([]);
    expect(rows).toEqual([{ second: 2 }]);
  });
});
