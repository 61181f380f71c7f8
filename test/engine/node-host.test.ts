import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { fork, type Step } from '../../plv8/engine/protocol.ts';
import { runStepSync } from '../../plv8/host/plv8-host.ts';
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

  describe('forks (independent steps side by side)', () => {
    /** A step that reports the session it ran in and whether that session was prepared. */
    /** Sessions seen by the steps of a fork: a step that waits for `waitFor` of them holds its own meanwhile. */
    let seen = new Set<number>();
    let waitFor = 1;
    function* whereAmI(n: number): Step<{ n: number; pid: number; prepared: string }> {
      const rows = yield { sql: "select pg_backend_pid() as pid, current_setting('optischema_test.prepared', true) as prepared", params: [] };
      seen.add(Number(rows[0]?.pid));
      // Hold this session until the other one has taken a step too (on state, not on time; bounded).
      for (let tries = 0; seen.size < waitFor && tries < 2000; tries++) yield { sql: 'select pg_sleep(0.005)', params: [] };
      return { n, pid: Number(rows[0]?.pid), prepared: String(rows[0]?.prepared ?? '') };
    }
    let prepares = 0;
    const prepare = function* (): Step<void> {
      prepares++;
      yield { sql: "select set_config('optischema_test.prepared', 'yes', false)", params: [] };
    };

    it('runs the steps on the helper sessions too, each prepared once, and returns the results in order', async () => {
      const main = await db.pool.connect();
      const helper = await db.pool.connect();
      prepares = 0;
      seen = new Set();
      waitFor = 2;
      try {
        function* twice(): Step<{ n: number; pid: number; prepared: string }[][]> {
          const first = yield* fork([1, 2, 3, 4].map(whereAmI), { prepare });
          const second = yield* fork([5, 6].map(whereAmI), { prepare });
          return [first, second];
        }
        const [first, second] = await runStep(twice(), main, [helper]);
        const mainPid = Number((await main.query('select pg_backend_pid() as pid')).rows[0].pid);
        const helperPid = Number((await helper.query('select pg_backend_pid() as pid')).rows[0].pid);
        expect([...first!, ...second!].map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(new Set(first!.map((r) => r.pid))).toEqual(new Set([mainPid, helperPid]));
        // The caller's session is used as it is; only the helper is prepared, and only once.
        for (const r of [...first!, ...second!]) expect(r.prepared).toBe(r.pid === helperPid ? 'yes' : '');
        expect(prepares).toBe(1);
      } finally {
        waitFor = 1;
        main.release();
        helper.release(true);
      }
    });

    it('runs every step when some fail, then throws the first failure in the order given', async () => {
      const ran: number[] = [];
      function* step(n: number): Step<number> {
        // Step 2 fails slowly (after a pause), step 3 at once: the first in order is thrown, not the first to fail.
        yield { sql: n === 2 ? 'select pg_sleep(0.1), 1 / (random() * 0)::int' : n === 3 ? "select 'x'::int" : 'select 1', params: [] };
        ran.push(n);
        return n;
      }
      function* caught(): Step<string> {
        try {
          yield* fork([1, 2, 3, 4].map(step), { prepare });
          return 'no error';
        } catch (error) {
          return String((error as { code?: unknown }).code);
        }
      }
      const helper = new pg.Client({ connectionString: db.url });
      await helper.connect();
      try {
        expect(await runStep(caught(), db.pool, [helper])).toBe('22012');
        expect(ran.sort()).toEqual([1, 4]);
      } finally {
        await helper.end();
      }
    });

    it('leaves a helper whose preparation fails out, and runs everything in its own session', async () => {
      const main = await db.pool.connect();
      const helper = await db.pool.connect();
      try {
        const failing = function* (): Step<void> {
          yield { sql: 'select * from no_such_table_for_a_fork', params: [] };
        };
        const results = await runStep(fork([1, 2, 3].map(whereAmI), { prepare: failing }), main, [helper]);
        const mainPid = Number((await main.query('select pg_backend_pid() as pid')).rows[0].pid);
        expect(results.map((r) => [r.n, r.pid])).toEqual([[1, mainPid], [2, mainPid], [3, mainPid]]);
      } finally {
        main.release();
        helper.release(true);
      }
    });

    it('runs a fork one step after another in plv8 (one session), with the same results and failure', () => {
      const executed: string[] = [];
      const execute = (request: { sql: string }) => {
        executed.push(request.sql);
        if (request.sql.includes('fail')) throw Object.assign(new Error('failed'), { code: 'XX000' });
        return [{ n: Number(request.sql.replace(/\D/g, '')) }];
      };
      function* one(n: number): Step<number> {
        const rows = yield { sql: `select ${n}` };
        return Number(rows[0]?.n) * 10;
      }
      expect(runStepSync(fork([1, 2, 3].map(one), { prepare }), execute)).toEqual([10, 20, 30]);
      function* failing(): Step<number> {
        yield { sql: 'fail' };
        return 0;
      }
      executed.length = 0;
      expect(() => runStepSync(fork([one(4), failing(), one(5)], { prepare }), execute)).toThrow('failed');
      // Nothing prepared (there is no other session), every step ran.
      expect(executed).toEqual(['select 4', 'fail', 'select 5']);
    });
  });
});
