import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { tempHome } from '../support/cluster.ts';
import type { TestDatabase } from '../support/database.ts';
import { indexesOn, loopDatabase, recommend, type LoopDatabase } from '../validation/support.ts';

/**
 * The recommendation commands of the README, as a user runs them: list, validate --wait, apply
 * --wait, rollback --wait, dismiss, and the sandbox commands. No sidecar runs, so `--wait` runs
 * the job in the command's own process.
 */
describe('optischema recommendations, validate, apply, rollback, dismiss, sandbox', () => {
  let loop: LoopDatabase;
  let db: TestDatabase;
  let id: string;
  let other: string;
  let home: { dir: string; remove(): Promise<void> };
  const cli = (...args: string[]) => runCli([...args, '--db', db.url], { env: { OPTISCHEMA_HOME: home.dir } });
  beforeAll(async () => {
    let targetId: string;
    loop = await loopDatabase();
    ({ db, targetId } = loop);
    home = await tempHome();
    id = await recommend(db.pool, targetId, 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)', 'select id, total from public.orders where customer_id = $1', ['42']);
    other = await recommend(db.pool, targetId, 'CREATE INDEX CONCURRENTLY orders_total_idx ON public.orders (total)', 'select id from public.orders where total = $1', ['7']);
  });
  afterAll(async () => {
    await loop?.close();
    await home?.remove();
  });

  it('lists recommendations, by state and as JSON', async () => {
    const listed = await cli('recommendations');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${id.slice(0, 8)}  proposed`);
    expect(listed.stdout).toContain('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)');
    const json = await cli('recommendations', '--state', 'proposed', '--json');
    expect(JSON.parse(json.stdout).map((r: { id: string }) => r.id).sort()).toEqual([id, other].sort());
    const bad = await cli('recommendations', '--state', 'nonsense');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--state must be one of/);
  });

  it('validates with --wait (by an id prefix), showing progress on stderr', async () => {
    const validated = await cli('validate', id.slice(0, 8), '--wait');
    expect(validated.stderr).toContain('no sidecar is running: this process runs the job');
    expect(validated.stdout).toMatch(new RegExp(`^${id}: validated: 1 statement\\(s\\) faster`, 'm'));
    expect(validated.code).toBe(0);
  });

  it('refuses --force without --reason and an unvalidated apply, then applies and rolls back with --wait', async () => {
    const noReason = await cli('apply', id, '--force');
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toMatch(/--force needs --reason/);
    const unvalidated = await cli('apply', other);
    expect(unvalidated.code).toBe(1);
    expect(unvalidated.stderr).toMatch(/only after validation, or forced with a written reason/);
    const applied = await cli('apply', id, '--wait');
    expect(applied.stdout).toMatch(new RegExp(`^${id}: applied`, 'm'));
    expect(await indexesOn(db.pool, 'public.orders')).toEqual([{ indexname: 'orders_customer_id_idx', valid: true }]);
    const rolledBack = await cli('rollback', id, '--wait');
    expect(rolledBack.stdout).toMatch(new RegExp(`^${id}: rolled_back`, 'm'));
    expect(await indexesOn(db.pool, 'public.orders')).toEqual([]);
  });

  it('dismisses with a reason, and says what is wrong with a bad id', async () => {
    const dismissed = await cli('dismiss', other, '--reason', 'the table is being retired');
    expect(dismissed.code).toBe(0);
    expect(dismissed.stderr).toContain(`${other}: dismissed`);
    const missing = await cli('dismiss', 'ffffffff', '--reason', 'x');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no recommendation ffffffff/);
  });

  it('refreshes and drops the target\'s sandbox', async () => {
    const before = (await db.pool.query('select database from optischema.sandboxes')).rows[0].database;
    const reused = await cli('sandbox', 'create');
    expect(reused.stdout).toMatch(/sandbox ready \(reused\): embedded database optischema_sandbox_/);
    const refreshed = await cli('sandbox', 'refresh');
    expect(refreshed.code).toBe(0);
    expect(refreshed.stdout).toMatch(/sandbox made: embedded database optischema_sandbox_\w+, [\d.]+ MB/);
    const after = (await db.pool.query('select database from optischema.sandboxes')).rows[0].database;
    expect(after).not.toBe(before);
    // The old copy went once the new one was ready.
    expect((await db.pool.query('select count(*)::int as n from pg_database where datname = $1', [before])).rows[0].n).toBe(0);
    const dropped = await cli('sandbox', 'drop');
    expect(dropped.stdout).toBe(`dropped ${after}\n`);
    expect((await db.pool.query('select count(*)::int as n from pg_database where datname = $1', [after])).rows[0].n).toBe(0);
    expect((await db.pool.query('select count(*)::int as n from optischema.sandboxes')).rows[0].n).toBe(0);
  });
});
