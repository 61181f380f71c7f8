import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { Logger } from 'graphile-worker';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_SQL_FILE } from '../../scripts/build-plv8.ts';
import { adviseQueries } from '../../sidecar/advisor/advise.ts';
import { adviseWorkload } from '../../sidecar/advisor/workload.ts';
import { capturePlans } from '../../sidecar/plans/capture.ts';
import { SecretBox } from '../../sidecar/secrets/secret-box.ts';
import { makeTargetResolver } from '../../sidecar/worker/resolve-target.ts';
import { startWorker, type CollectorWorker } from '../../sidecar/worker/start-worker.ts';
import { waitFor } from '../collector/fixtures.ts';
import { compileInBareContext, readEngineFunctions } from '../engine/support/engine-sql.ts';
import { createPlv8Stub, type Plv8Stub } from '../engine/support/plv8-stub.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * A low-privilege user, mallory, plants functions that PostgreSQL runs while planning (an IMMUTABLE
 * one folded into a constant, a STABLE one evaluated for an estimate, both hidden behind views) and
 * that try everything a superuser may: run a program on the server, make mallory a superuser,
 * write a row, kill another role's session, keep an advisory lock, and raise an error carrying a
 * table mallory may not read. Mallory and a superuser both run queries over them, and then every
 * path of OptiSchema that plans other people's statements runs: the collector, slow-query capture,
 * per-query and workload advice in the sidecar and in the plv8 stand-in, psql's advise() as a
 * superuser answered by the sidecar's worker. None of the attacks may succeed.
 */

const SECRET = `TOPSECRET-${randomBytes(6).toString('hex')}`;
const LOCK_KEY = 72731;

const MALLORY_QUERIES = [
  'select * from mallory.trap',
  'select * from mallory.items where id = mallory.estimate(1)',
  'select mallory.fold(2) as folded',
  'select * from mallory.leaky',
  'update mallory.items set n = n + 1 where id = mallory.fold(3)',
];
const SUPERUSER_QUERIES = ['select * from mallory.trap', 'select * from mallory.leaky', 'select * from mallory.items where id = mallory.estimate(5)'];

describe('plan-time code planted by a low-privilege user', () => {
  let db: TestDatabase;
  let mallory: pg.Pool;
  let victim: pg.Client;
  let victimPid: number;
  let workerPool: pg.Pool;
  let worker: CollectorWorker | undefined;
  let plv8: Plv8Stub;
  let drop: string;
  const logLines: string[] = [];
  /** Everything OptiSchema returned or stored, for the search for the secret. */
  const outputs: unknown[] = [];

  const roleUrl = (role: string, password: string) => {
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    return url.toString();
  };

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    drop = await mkdtemp(path.join(os.tmpdir(), 'optischema-attack-'));
    // The server's OS user must be able to create a file here if the attack ever worked.
    await chmod(drop, 0o777);
    const suffix = randomBytes(4).toString('hex');
    const malloryRole = `mallory_${suffix}`;
    const victimRole = `victim_${suffix}`;
    await db.pool.query(`
      create extension if not exists pg_stat_statements;
      create role ${malloryRole} login password 'mallory';
      create role ${victimRole} login password 'victim';
      create schema mallory authorization ${malloryRole};
      create table public.secret (v text);
      insert into public.secret values ('${SECRET}');
      create table public.audit_log (line text);
      create table public.victims (pid int);
      grant select on public.victims to ${malloryRole};`);
    mallory = new pg.Pool({ connectionString: roleUrl(malloryRole, 'mallory'), max: 2 });
    mallory.on('error', () => undefined);
    // First the functions are harmless and both roles run the queries, so pg_stat_statements has
    // them with their authors; then mallory swaps in the payload, which nobody runs but OptiSchema.
    await mallory.query(`
      create table mallory.items (id int primary key, n int);
      insert into mallory.items select g, g from generate_series(1, 5000) g;
      analyze mallory.items;
      create function mallory.payload() returns int language sql volatile as $f$ select 1 $f$;
      create function mallory.fold(v int) returns int language plpgsql immutable as $f$ begin perform mallory.payload(); return v; end $f$;
      create function mallory.estimate(v int) returns int language plpgsql stable as $f$ begin perform mallory.payload(); return v; end $f$;
      create function mallory.leak(v int) returns int language plpgsql immutable as $f$ begin return v; end $f$;
      create view mallory.trap as select mallory.fold(1) as x;
      create view mallory.leaky as select mallory.leak(1) as x;`);
    await db.pool.query(`select pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)`);
    for (let i = 0; i < 30; i++) {
      for (const query of MALLORY_QUERIES) await mallory.query(query);
      for (const query of SUPERUSER_QUERIES) await db.pool.query(query);
    }
    // Mallory's payload: each attempt on its own, so one refusal does not stop the others.
    await mallory.query(`
      create or replace function mallory.payload() returns int language plpgsql volatile as $f$
      begin
        begin execute format('copy (select current_user) to program %L', 'touch ${drop}/ran-as-' || current_user); exception when others then null; end;
        begin execute format('alter role %I superuser', '${malloryRole}'); exception when others then null; end;
        begin insert into public.audit_log values ('written as ' || current_user); exception when others then null; end;
        begin perform pg_terminate_backend(pid) from public.victims; exception when others then null; end;
        begin perform pg_try_advisory_lock(${LOCK_KEY}); exception when others then null; end;
        return 1;
      end $f$;
      create or replace function mallory.leak(v int) returns int language plpgsql immutable as $f$
      begin
        raise exception 'leaked: %', (select string_agg(s.v, ',') from public.secret s);
      end $f$;`);
    await mallory.end();

    // The attack works on a session that plans as a superuser: proof that this test can fail.
    const control = new pg.Client({ connectionString: db.url });
    await control.connect();
    try {
      await control.query('begin read only');
      await control.query('explain select * from mallory.trap');
      await control.query('rollback');
    } finally {
      await control.end();
    }
    expect(await readdir(drop)).toEqual([expect.stringMatching(/^ran-as-/)]);
    await rm(path.join(drop, (await readdir(drop))[0]!));

    victim = new pg.Client({ connectionString: roleUrl(victimRole, 'victim') });
    await victim.connect();
    victim.on('error', () => undefined);
    victimPid = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    await db.pool.query('insert into public.victims values ($1)', [victimPid]);

    workerPool = new pg.Pool({ connectionString: db.url, max: 8 });
    workerPool.on('error', () => undefined);
    plv8 = createPlv8Stub(db.url);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await workerPool?.end();
    plv8?.end();
    await victim?.end().catch(() => undefined);
    await db?.close();
    await rm(drop, { recursive: true, force: true });
  });

  /** The planted statements as pg_stat_statements keeps them, with who ran them. */
  async function plantedStatements(): Promise<{ queryid: string; query: string; userid: string }[]> {
    const { rows } = await db.pool.query(
      `select queryid::text, query, userid::text from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database()) and query like '%mallory.%' and query not like '%pg_stat_statements%'`,
    );
    return rows;
  }

  it('the collector, capture, per-query and workload advice run over them', async () => {
    const planted = await plantedStatements();
    expect(planted.length).toBeGreaterThanOrEqual(MALLORY_QUERIES.length + SUPERUSER_QUERIES.length);
    const { rows: [local] } = await db.pool.query('select optischema.local_target() as id');

    // The collector and the worker: snapshots, then advise_query (capture + advice) for each statement.
    const logger = new Logger(() => (_level, message) => {
      logLines.push(message);
    });
    worker = await startWorker({ pool: workerPool, resolveTarget: makeTargetResolver(workerPool, new SecretBox(randomBytes(32))), concurrency: 2, logger });
    await waitFor('the first snapshot', async () => (await db.pool.query('select 1 from optischema.snapshots where target_id = $1', [local.id])).rows.length > 0);
    await db.pool.query('select optischema.snapshot()');
    for (const s of planted) {
      await db.pool.query(`select graphile_worker.add_job('advise_query', json_build_object('target', $1::uuid, 'queryid', $2::text))`, [local.id, s.queryid]);
    }
    await waitFor('the advise_query jobs', async () =>
      (await db.pool.query(`select 1 from graphile_worker.jobs where task_identifier = 'advise_query'`)).rows.length === 0,
    60_000);

    // The same paths called directly, with pg_stat_statements' authors.
    const target = await db.pool.connect();
    try {
      for (const s of planted) {
        outputs.push(await capturePlans({ target, store: db.pool, targetId: local.id, queryid: s.queryid, query: s.query, authors: [s.userid] }));
        outputs.push(await adviseQueries(db.pool, [s.query], { authors: [s.userid] }));
      }
    } finally {
      target.release();
    }
    // No author given: the session's own (superuser) role, so the analysis role plans them.
    outputs.push(await adviseQueries(db.pool, [...MALLORY_QUERIES, ...SUPERUSER_QUERIES]));
    outputs.push(await adviseWorkload(db.pool, { since: '1 hour' }));
    outputs.push(await adviseWorkload(db.pool, { statements: [...MALLORY_QUERIES, ...SUPERUSER_QUERIES] }));

    // The plv8 stand-in, in a superuser's session, as psql's advise() and advise_workload() run it.
    const engine = readEngineFunctions(await readFile(ENGINE_SQL_FILE, 'utf8'));
    const compile = (name: string) => compileInBareContext(plv8, engine.get(name)!.argNames, engine.get(name)!.body);
    for (const [name, args] of [
      ...[...MALLORY_QUERIES, ...SUPERUSER_QUERIES].map((q) => ['engine_advise_query', [q, null]] as const),
      ['engine_advise_workload', [{ since: '1 hour' }]] as const,
    ]) {
      plv8.execute('begin');
      try {
        outputs.push(JSON.parse(JSON.stringify(compile(name)(...args))));
      } finally {
        plv8.execute('rollback');
      }
    }

    // psql's advise() as a superuser, answered by the sidecar's worker.
    for (const query of SUPERUSER_QUERIES) {
      const rows = await waitFor('the psql answer', async () => {
        const { rows } = await db.pool.query('select * from optischema.advise($1)', [query]);
        return rows[0]?.rationale.startsWith('queued: ') ? null : rows;
      }, 60_000);
      outputs.push(rows);
    }
    const stored = await db.pool.query(`select r.evidence, r.rationale from optischema.recommendations r
      union all select q.plan, null from optischema.query_plans q
      union all select a.answer, null from optischema.advice_requests a`);
    outputs.push(stored.rows);

    // Something was planned: the guard did not simply refuse everything.
    const { rows: plans } = await db.pool.query(`select count(*)::int as n from optischema.query_plans where target_id = $1`, [local.id]);
    expect(plans[0].n).toBeGreaterThan(0);
  }, 240_000);

  it('ran no program on the server', async () => {
    expect(await readdir(drop)).toEqual([]);
  });

  it('made nobody a superuser', async () => {
    const { rows } = await db.pool.query(`select rolname from pg_roles where rolsuper and (rolname like 'mallory\\_%' or rolname like 'victim\\_%' or rolname like 'optischema\\_%')`);
    expect(rows).toEqual([]);
  });

  it('wrote no row', async () => {
    expect((await db.pool.query('select * from public.audit_log')).rows).toEqual([]);
  });

  it('killed no session', async () => {
    expect((await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid).toBe(victimPid);
  });

  it('left no advisory lock held', async () => {
    const { rows } = await db.pool.query(`select pid from pg_locks where locktype = 'advisory' and objid = ${LOCK_KEY}`);
    expect(rows).toEqual([]);
  });

  it('let no unreadable data into a recommendation, evidence, error or log line', async () => {
    const all = JSON.stringify(outputs);
    expect(all).not.toContain(SECRET);
    expect(logLines.join('\n')).not.toContain(SECRET);
    // The leaking view was reached, and its error reported without its text.
    expect(all).toMatch(/its message is withheld|permission denied for table secret/);
  });
});
