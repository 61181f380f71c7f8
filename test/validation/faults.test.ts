import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient as withSandbox } from '../../sidecar/sandbox/sandbox-database.ts';
import { ensureSandbox } from '../../sidecar/sandbox/target-sandbox.ts';
import { unlockStaleJobs } from '../../sidecar/worker/stale-jobs.ts';
import { BIN } from '../support/cli.ts';
import { tempHome } from '../support/cluster.ts';
import { databaseUrl, type TestDatabase } from '../support/database.ts';
import { indexesOn, loopDatabase, quietLogger, recommend, stateOf, type LoopDatabase } from './support.ts';

/**
 * Waits until `check` holds, reading state (the test's own timeout is the only bound, never a
 * guess at how long the machine takes); `what` names it in a failure. With `child`, the command
 * that should bring it about: its exit first fails the wait, with what it printed.
 */
async function until(what: string, check: () => Promise<boolean>, child?: RunningChild): Promise<void> {
  for (;;) {
    if (await check()) return;
    if (child && child.process.exitCode !== null) throw new Error(`never happened: ${what}; the command exited ${child.process.exitCode}: ${child.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface RunningChild {
  process: ChildProcess;
  stderr(): string;
}

const GOOD_DDL = 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)';
const GOOD_QUERY = 'select id, total from public.orders where customer_id = $1';

/**
 * issue 11 §7, each on a real cluster: a sidecar killed mid-validation and mid-apply, a held lock,
 * an unreachable or full sandbox, two applies at once, a table dropped under a recommendation, a
 * target whose role may not build the index.
 */
describe('faults in the validate and apply loop', () => {
  let loop: LoopDatabase;
  let db: TestDatabase;
  let targetId: string;
  let runJobs: () => Promise<void>;
  let context: Awaited<ReturnType<typeof loopDatabase>>['context'];
  let remoteTargets: Map<string, string>;
  let home: { dir: string; remove(): Promise<void> };
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    loop = await loopDatabase();
    ({ db, targetId, runJobs, context, remoteTargets } = loop);
    home = await tempHome();
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await loop?.close();
    await home?.remove();
  });

  /** `optischema <args> --db <OptiSchema's database>` in a child process (no sidecar: it runs the job itself). */
  const cli = (args: string[]): RunningChild => {
    const child = spawn(process.execPath, [BIN, ...args, '--db', db.url], { env: { ...process.env, OPTISCHEMA_HOME: home.dir, DATABASE_URL: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return { process: child, stderr: () => stderr };
  };
  const killed = (child: RunningChild) => new Promise<void>((resolve) => {
    if (child.process.exitCode !== null) return resolve();
    child.process.once('exit', () => resolve());
    child.process.kill('SIGKILL');
  });

  it('a sidecar killed mid-validation: the job runs again and finishes, the index the killed run left in the sandbox dropped first', async () => {
    const id = await recommend(db.pool, targetId, GOOD_DDL, GOOD_QUERY, ['42']);
    const sandbox = await ensureSandbox(context, targetId, db.url);
    // A writer's open transaction in the sandbox holds the validation's index build, so the process
    // can be killed at that point for sure; the build then finishes in the server after all.
    const writer = new pg.Client({ connectionString: sandbox.url });
    await writer.connect();
    cleanups.push(() => writer.end());
    await writer.query('begin');
    await writer.query(`insert into public.orders values (900002, 1, 'open', 1)`);
    await db.pool.query('select optischema.validate($1)', [id]);
    const child = cli(['validate', id, '--wait']);
    const sandboxDb = sandbox.database!;
    await until('the validation waiting to build its index in the sandbox', async () =>
      (await db.pool.query(`select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database where d.datname = $1 and not l.granted`, [sandboxDb])).rows[0].n > 0, child);
    await killed(child);
    await writer.query('rollback');
    const inSandbox = async () => withSandbox(sandbox.url, async (c) => (await c.query(`select count(*)::int as n from pg_indexes where indexname = 'orders_customer_id_idx'`)).rows[0].n as number);
    await until('the killed run\'s build has finished in the server', async () =>
      (await db.pool.query(`select count(*)::int as n from pg_stat_activity where datname = $1 and query ilike 'create index%' and state = 'active'`, [sandboxDb])).rows[0].n === 0);
    expect(await inSandbox()).toBe(1);
    expect((await stateOf(db.pool, id)).state).toBe('validating');
    expect((await db.pool.query(`select locked_at is not null as locked from graphile_worker.jobs where key = $1`, [`validate_recommendation:${id}`])).rows[0].locked).toBe(true);
    // What the next sidecar's start (and its minute-by-minute check) does; no grace in a test.
    expect(await unlockStaleJobs(db.pool, quietLogger, 0)).toHaveLength(1);
    await runJobs();
    expect((await stateOf(db.pool, id)).state).toBe('validated');
    expect(await inSandbox()).toBe(0);
  }, 180_000);

  it('a sidecar killed mid-apply: the INVALID index it left is dropped and the retry builds one valid index', async () => {
    const id = (await db.pool.query<{ id: string }>(`select id from optischema.recommendations where state = 'validated' and statement = $1`, [GOOD_DDL])).rows[0]!.id;
    // A writer's open transaction holds the build in its first wait, after the index is in the catalog.
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    cleanups.push(() => writer.end());
    await writer.query('begin');
    await writer.query(`insert into public.orders values (900001, 1, 'open', 1)`);
    await db.pool.query('select optischema.apply($1)', [id]);
    const child = cli(['apply', id, '--wait']);
    await until('an invalid index on the target', async () => (await indexesOn(db.pool, 'public.orders')).some((i) => !i.valid), child);
    await killed(child);
    // The killed client's backend gives up at its lock timeout (the writer still holds it), so
    // the leftover stays INVALID; only then does the writer end.
    await until('the killed build has ended', async () => (await db.pool.query(`select count(*)::int as n from pg_stat_activity where query ilike 'CREATE INDEX CONCURRENTLY%' and state = 'active'`)).rows[0].n === 0);
    await writer.query('rollback');
    expect(await indexesOn(db.pool, 'public.orders')).toEqual([{ indexname: 'orders_customer_id_idx', valid: false }]);
    await unlockStaleJobs(db.pool, quietLogger, 0);
    await runJobs();
    expect((await stateOf(db.pool, id)).state).toBe('applied');
    expect(await indexesOn(db.pool, 'public.orders')).toEqual([{ indexname: 'orders_customer_id_idx', valid: true }]);
    const { rows: [change] } = await db.pool.query('select statements from optischema.changes where recommendation_id = $1', [id]);
    expect(change.statements).toEqual(['DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx', GOOD_DDL]);
  }, 180_000);

  it('a held lock: the apply gives up at its lock timeout, stays applying, and its retry (when due) builds the index', async () => {
    const id = await recommend(db.pool, targetId, 'CREATE INDEX CONCURRENTLY orders_total_idx ON public.orders (total)', 'select id from public.orders where total = $1', ['7']);
    await db.pool.query(`update optischema.recommendations set state = 'validating' where id = $1`, [id]);
    await db.pool.query(`update optischema.recommendations set state = 'validated' where id = $1`, [id]);
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('begin');
    await holder.query('lock table public.orders in share update exclusive mode');
    await db.pool.query('select optischema.apply($1)', [id]);
    await runJobs();
    expect((await stateOf(db.pool, id)).state).toBe('applying');
    // The retry is due a backoff after the failure (run_at past updated_at), whatever time it is now: a
    // busy machine may take longer than the first backoff (e¹ s) to get here.
    const job = (await db.pool.query(`select attempts, run_at > updated_at as later, last_error from graphile_worker._private_jobs where key = $1`, [`apply_recommendation:${id}`])).rows[0];
    expect(job).toMatchObject({ attempts: 1, later: true });
    expect(job.last_error).toMatch(/lock/i);
    expect((await db.pool.query(`select count(*)::int as n from optischema.audit_log where object_id = $1 and action = 'recommendation.apply_attempt'`, [id])).rows[0].n).toBe(1);
    expect((await indexesOn(db.pool, 'public.orders')).map((i) => i.indexname)).not.toContain('orders_total_idx');
    await holder.query('rollback');
    // The backoff's time has come (made so, rather than waited for).
    await db.pool.query(`update graphile_worker._private_jobs set run_at = now() where key = $1`, [`apply_recommendation:${id}`]);
    await runJobs();
    expect((await stateOf(db.pool, id)).state).toBe('applied');
  });

  it('two apply requests at once make one job and one index', async () => {
    const id = await recommend(db.pool, targetId, 'CREATE INDEX CONCURRENTLY orders_status_total_idx ON public.orders (status, total)', 'select id from public.orders where status = $1 and total = $2', ['open', '7']);
    await db.pool.query(`update optischema.recommendations set state = 'validating' where id = $1`, [id]);
    await db.pool.query(`update optischema.recommendations set state = 'validated' where id = $1`, [id]);
    const results = await Promise.all([db.pool.query('select state from optischema.apply($1)', [id]), db.pool.query('select state from optischema.apply($1)', [id])]);
    expect(results.map((r) => r.rows[0].state)).toEqual(['scheduled', 'scheduled']);
    expect((await db.pool.query(`select count(*)::int as n from graphile_worker.jobs where key = $1`, [`apply_recommendation:${id}`])).rows[0].n).toBe(1);
    await runJobs();
    expect((await indexesOn(db.pool, 'public.orders')).filter((i) => i.indexname === 'orders_status_total_idx')).toHaveLength(1);
  });

  it('a table dropped under a validated recommendation: failed, with the reason', async () => {
    await db.pool.query('create table public.gone (id int primary key, k int); insert into public.gone select g, g from generate_series(1, 1000) g');
    const [rec] = (await db.pool.query<{ recommendation_id: string }>(`select * from optischema.record_index_recommendations($1, 'advise_query', $2::jsonb)`, [targetId, JSON.stringify([{ sql: 'CREATE INDEX CONCURRENTLY gone_k_idx ON public.gone (k)', rollbackSql: 'DROP INDEX CONCURRENTLY IF EXISTS public.gone_k_idx', table: 'public.gone' }])])).rows;
    const id = rec!.recommendation_id;
    await db.pool.query(`update optischema.recommendations set state = 'validating' where id = $1`, [id]);
    await db.pool.query(`update optischema.recommendations set state = 'validated' where id = $1`, [id]);
    await db.pool.query('drop table public.gone');
    await db.pool.query('select optischema.apply($1)', [id]);
    await runJobs();
    expect(await stateOf(db.pool, id)).toEqual({ state: 'failed', state_reason: 'the table public.gone no longer exists' });
  });

  it('a target whose role may not build the index: failed, with the GRANT that mends it', async () => {
    await db.pool.query(`drop role if exists optischema_test_lowly; create role optischema_test_lowly login password 'lowly-pw'; grant select on public.orders to optischema_test_lowly`);
    cleanups.push(() => db.pool.query('drop owned by optischema_test_lowly; drop role if exists optischema_test_lowly'));
    const url = new URL(db.url);
    url.username = 'optischema_test_lowly';
    url.password = 'lowly-pw';
    const { rows: [target] } = await db.pool.query<{ id: string }>(`insert into optischema.targets (tenant_id, name, secret_ref) select tenant_id, 'lowly', 'env:LOWLY_URL' from optischema.targets where id = $1 returning id`, [targetId]);
    remoteTargets.set(target!.id, url.toString());
    const [rec] = (await db.pool.query<{ recommendation_id: string }>(`select * from optischema.record_index_recommendations($1, 'advise_query', $2::jsonb)`, [target!.id, JSON.stringify([{ sql: 'CREATE INDEX CONCURRENTLY orders_id_total_idx ON public.orders (id, total)', rollbackSql: 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_id_total_idx', table: 'public.orders' }])])).rows;
    const id = rec!.recommendation_id;
    await db.pool.query(`select optischema.apply($1, now(), 'forced in a test of the rights check')`, [id]);
    await runJobs();
    const failed = await stateOf(db.pool, id);
    expect(failed.state).toBe('failed');
    expect(failed.state_reason).toContain('GRANT');
    expect(failed.state_reason).toContain('optischema_test_lowly');
  });

  it('an index validated beside another is not applied alone', async () => {
    const companion = 'CREATE INDEX CONCURRENTLY orders_status_idx ON public.orders (status)';
    const [rec] = (await db.pool.query<{ recommendation_id: string }>(`select * from optischema.record_index_recommendations($1, 'advise_query', $2::jsonb)`, [targetId, JSON.stringify([{
      sql: 'CREATE INDEX CONCURRENTLY orders_total_customer_idx ON public.orders (total, customer_id)', rollbackSql: 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_total_customer_idx',
      table: 'public.orders', together: [companion],
    }])])).rows;
    const id = rec!.recommendation_id;
    await db.pool.query(`select optischema.apply($1, now(), 'forced in a test of the companion check')`, [id]);
    await runJobs();
    expect(await stateOf(db.pool, id)).toEqual({ state: 'failed', state_reason: 'its estimate and validation assume public.orders_status_idx in place, which the target does not have: apply that one first' });
    expect((await indexesOn(db.pool, 'public.orders')).map((i) => i.indexname)).not.toContain('orders_total_customer_idx');
    await db.pool.query(companion.replace(' CONCURRENTLY', ''));
    await db.pool.query(`select optischema.apply($1, now(), 'forced again, the companion is there now')`, [id]);
    await runJobs();
    expect((await stateOf(db.pool, id)).state).toBe('applied');
  });

  it('a sandbox that cannot be reached, or runs out of room: inconclusive, with the error', async () => {
    const id = await recommend(db.pool, targetId, 'CREATE INDEX CONCURRENTLY orders_customer_id_total_idx ON public.orders (customer_id, total)', 'select total from public.orders where customer_id = $1', ['9']);
    // The temporary-file limit stands in for a full disk: the index build's sort needs room and gets none.
    const { rows: [sandbox] } = await db.pool.query<{ database: string }>('select database from optischema.sandboxes where target_id = $1', [targetId]);
    await db.pool.query(`alter database "${sandbox!.database}" set temp_file_limit = '64kB'`);
    await db.pool.query(`alter database "${sandbox!.database}" set maintenance_work_mem = '1MB'`);
    await db.pool.query('select optischema.validate($1)', [id]);
    await runJobs();
    const full = await stateOf(db.pool, id);
    expect(full.state).toBe('inconclusive');
    expect(full.state_reason).toMatch(/temp_file_limit|temporary file size/);
    // A sandbox URL that answers nobody.
    await db.pool.query(`update optischema.targets set sandbox_strategy = 'url', sandbox_secret_ciphertext = $2 where id = $1`,
      [targetId, context.secretBox!.seal('postgres://nobody:secret-word@127.0.0.1:9/nowhere')]);
    await db.pool.query('select optischema.validate($1)', [id]);
    await runJobs();
    const unreachable = await stateOf(db.pool, id);
    expect(unreachable.state).toBe('inconclusive');
    expect(unreachable.state_reason).toMatch(/the url sandbox could not be made: .*(ECONNREFUSED|connect)/);
    expect(unreachable.state_reason).not.toContain('secret-word');
    await db.pool.query(`update optischema.targets set sandbox_strategy = 'embedded' where id = $1`, [targetId]);
  });
});
