import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../../plv8/engine/protocol.ts';
import { serverFacts } from '../../plv8/engine/server-facts.ts';
import { runStep } from '../../sidecar/advisor/run-step.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe('the Node host (runStep over node-postgres)', () => {
  it('runs serverFacts against the real server', async () => {
    const facts = await runStep(serverFacts(), db.pool);
    expect(facts.version).toBeGreaterThanOrEqual(150000);
    expect(facts.version).toBeLessThan(160000);
    expect(facts).toMatchObject({ hypopg: true, plv8: false });
  });

  it('refuses a request with several statements, even without parameters (the server refuses it)', async () => {
    function* twoStatements(): Step<unknown> {
      return yield { sql: 'select 1; select 2' };
    }
    await expect(runStep(twoStatements(), db.pool)).rejects.toMatchObject({
      code: '42601',
      message: expect.stringContaining('cannot insert multiple commands into a prepared statement'),
    });
  });

  it('passes bind parameters and throws a failed request into the step, which may handle it', async () => {
    function* handles(): Step<{ sum: number; caught: string }> {
      const rows = yield { sql: 'select $1::int4 + $2::int4 as sum', params: [2, 3] };
      let caught = '';
      try {
        yield { sql: 'select 1/0' };
      } catch (error) {
        caught = String((error as { code?: unknown }).code);
      }
      return { sum: Number(rows[0]?.sum), caught };
    }
    expect(await runStep(handles(), db.pool)).toEqual({ sum: 5, caught: '22012' });
  });
});
