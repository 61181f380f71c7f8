import { qualstatsValues } from '../plans/qualstats-values.ts';
import type pg from 'pg';
import { adviseWorkload as adviseWorkloadStep, type AdviseWorkloadOptions as EngineOptions, type WorkloadAdvice } from '../../plv8/advisor/workload/advise-workload.ts';
import {
  collectorWorkload,
  DEFAULT_MAX_STATEMENTS,
  givenWorkload,
  localWorkload,
  type Workload,
  type WorkloadStatement,
} from '../../plv8/advisor/workload/source.ts';
import type { Queryable } from '../database/queryable.ts';
import { statementRefusal } from '../plans/statement-check.ts';
import { ensureAnalysisRole } from './ensure-analysis-role.ts';
import { ensureHypopg } from './ensure-hypopg.ts';
import { resetHypopg } from './reset-hypopg.ts';
import { runStep, type StepQueryable } from './run-step.ts';
import { leaveNothing } from '../../plv8/plan/what-if.ts';

export type { WorkloadAdvice };

export interface AdviseWorkloadOptions extends Pick<EngineOptions, 'thresholdPct' | 'minTableRows' | 'msPerIndexEntry' | 'maxCrossEvaluations' | 'cache' | 'requester'> {
  /** The window, as a PostgreSQL interval ('1 hour', '01:00:00'). Default '1 hour'. Not used by
   * the pg_stat_statements source, which is cumulative since its last reset. */
  since?: string;
  /** The chosen indexes together take at most this many bytes; null or undefined: no budget. */
  budgetBytes?: number | null;
  /** Read the statements from OptiSchema's history of `targetId` in `db` (the collector). */
  history?: { db: Queryable; targetId: string };
  /** Read the statements from the history of `targetId` kept in the target database itself. */
  targetId?: string;
  /** Advise on these statements instead of a measured workload (one call each unless told). */
  statements?: readonly (string | WorkloadStatement)[];
  /** At most this many statements, most total time first. Default 500. */
  maxStatements?: number;
  /** statement_timeout for each request, ms. Default 10000. */
  statementTimeoutMs?: number;
  /** lock_timeout for each request, ms: planning takes AccessShareLock and must not queue behind DDL. Default 2000. */
  lockTimeoutMs?: number;
  /** Sessions the plans may use side by side, this one included (planning is CPU-bound in the
   * server, one core per session). Default 2; 1 plans everything in one session. */
  sessions?: number;
}

/** Two sessions: the analysis takes at most one more core of the server than a single query would. */
export const DEFAULT_SESSIONS = 2;

/**
 * Index advice for a workload: one set of indexes for all its statements (plv8/advisor/advise-workload.ts).
 *
 * Where the statements come from, first that applies: `statements`; `history` (OptiSchema's
 * database, for that target); `targetId` (the target database's own OptiSchema history); the
 * target's own collected history when it has OptiSchema's schema and a 'local' target with
 * snapshots in the window; else its pg_stat_statements (cumulative since the last reset).
 * `workload.source` in the result says which.
 *
 * The what-if part runs on one dedicated client of `target`, each request in its own transaction
 * (statement and lock timeouts and a search_path of pg_catalog, pg_temp set for the session, put
 * back afterwards): a failed request leaves the session usable and no lock is held between
 * requests, so a long analysis never makes DDL queue behind it. Every statement is planned as its
 * author, or the analysis role, inside the planning guard, whose subtransactions are READ ONLY and
 * rolled back (plv8/engine/guard/). Hypothetical indexes and the guard are dropped at the end. A
 * statement the server refuses is an entry in `errors`; only a database that cannot be reached (or
 * a bad `since`) throws.
 *
 * @example
 *   const advice = await adviseWorkload(pool, { since: '1 hour', budgetBytes: 500 * 1024 ** 2 });
 *   // { workload: { source: 'pg_stat_statements', statements: 42, … }, recommendations: [{ sql, queries: [...], … }], errors: [] }
 */
export async function adviseWorkload(target: pg.Pool, options: AdviseWorkloadOptions = {}): Promise<WorkloadAdvice> {
  const since = options.since ?? '1 hour';
  const max = options.maxStatements ?? DEFAULT_MAX_STATEMENTS;
  const client = await target.connect();
  let broken = false;
  try {
    await ensureHypopg(client);
    await ensureAnalysisRole(client);
    let workload: Workload;
    if (options.statements) workload = givenWorkload(options.statements);
    else if (options.history) workload = await runStep(collectorWorkload(options.history.targetId, since, max), extended(options.history.db));
    else if (options.targetId) workload = await runStep(collectorWorkload(options.targetId, since, max), client);
    else workload = await runStep(localWorkload(since, max), client);

    const refused: WorkloadAdvice['errors'] = [];
    const plannable: WorkloadStatement[] = [];
    for (const statement of workload.statements) {
      const refusal = await statementRefusal(statement.query);
      if (refusal === null) plannable.push(await withQualstatsValues(client, statement));
      else refused.push({ queryid: statement.queryid, query: statement.query, error: refusal });
    }

    const settings = {
      statement_timeout: `${Math.round(options.statementTimeoutMs ?? 10_000)}ms`,
      lock_timeout: `${Math.round(options.lockTimeoutMs ?? 2_000)}ms`,
      search_path: 'pg_catalog, pg_temp',
    };
    const saved = await readSession(client);
    await setSession(client, settings);
    const helpers = await helperSessions(target, (options.sessions ?? DEFAULT_SESSIONS) - 1, settings);
    try {
      const advice = await runStep(
        adviseWorkloadStep({ ...workload, statements: plannable }, { ...options, budgetBytes: options.budgetBytes ?? null }),
        client,
        helpers,
      );
      advice.workload.statements += refused.length;
      return { ...advice, errors: [...refused, ...advice.errors] };
    } finally {
      // Put back as they were and pooled again (a new backend's first plans load its catalog
      // caches: tens of ms per table); closed instead when that fails.
      for (const helper of helpers) await putBack(helper);
      // Hypothetical indexes and session settings outlive transactions: put the session back as it
      // was (only what was changed: the pool may be shared, e.g. with graphile-worker, whose
      // settings and prepared statements on this connection must survive).
      await resetHypopg(client);
      await setSession(client, saved);
    }
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * The statement with the parameter values pg_qualstats sampled for its query id, when it is
 * installed and a sample maps onto every `$n` (qualstats-values.ts): the most trusted values the
 * engine can plan it with.
 */
async function withQualstatsValues(client: pg.ClientBase, statement: WorkloadStatement): Promise<WorkloadStatement> {
  if (statement.queryid === null || statement.sampledValues !== undefined || !statement.query.includes('$')) return statement;
  const values = await qualstatsValues(client, statement.queryid, statement.query).catch(() => null);
  return values === null ? statement : { ...statement, sampledValues: [values] };
}

/**
 * Up to `count` more sessions of the target for the forked plans (protocol.ts fork), with the
 * analysis settings; fewer when the pool has no room (waiting for one could wait on ourselves) or
 * a connection fails: the analysis then plans in its own session.
 */
async function helperSessions(target: pg.Pool, count: number, settings: SessionSettings): Promise<Helper[]> {
  const helpers: Helper[] = [];
  const max = (target as pg.Pool & { options: { max?: number } }).options.max ?? 10;
  while (helpers.length < count && (target.idleCount > 0 || target.totalCount < max)) {
    let client: pg.PoolClient;
    try {
      client = await target.connect();
    } catch {
      break;
    }
    try {
      const saved = await readSession(client);
      await setSession(client, settings);
      helpers.push(Object.assign(client, { saved }));
    } catch {
      client.release(true);
      break;
    }
  }
  return helpers;
}

type Helper = pg.PoolClient & { saved: SessionSettings };

/** A helper as it was found: no guard, no hypothetical index, its own settings; else closed. */
async function putBack(helper: Helper): Promise<void> {
  try {
    await runStep(leaveNothing(), helper);
    await resetHypopg(helper);
    await setSession(helper, helper.saved);
    helper.release();
  } catch {
    helper.release(true);
  }
}

async function readSession(client: pg.ClientBase): Promise<SessionSettings> {
  const { rows } = await client.query<SessionSettings>(`select ${SESSION_SETTINGS.map((name) => `current_setting('${name}') as ${name}`).join(', ')}`);
  return rows[0]!;
}

type SessionSettings = Record<(typeof SESSION_SETTINGS)[number], string>;

/** The settings the analysis changes for its session, and puts back afterwards. */
const SESSION_SETTINGS = ['statement_timeout', 'lock_timeout', 'search_path'] as const;

async function setSession(client: pg.ClientBase, values: SessionSettings): Promise<void> {
  await client.query(
    `select ${SESSION_SETTINGS.map((name, n) => `set_config('${name}', $${n + 1}, false)`).join(', ')}`,
    SESSION_SETTINGS.map((name) => values[name]),
  );
}


/** A Queryable driven by runStep: every request of the collector source has bind parameters, so
 * node-postgres sends it with the extended protocol. */
function extended(db: Queryable): StepQueryable {
  return { query: (config) => db.query(config.text, config.values) };
}
