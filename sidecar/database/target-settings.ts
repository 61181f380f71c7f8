import type pg from 'pg';
import { UserError } from '../errors.ts';

/**
 * The bounds on every session OptiSchema opens on a target (a database it watches), in one place,
 * so that a target that is slow, locked, blackholed or gone fails one job with a clear message
 * instead of holding a worker slot for ever (four such targets used to stop all collection).
 *
 * Glossary:
 * - connectTimeoutMs: TCP connect plus PostgreSQL's startup and authentication (node-postgres
 *   `connectionTimeoutMillis`). A host that drops packets, or accepts and never answers, fails here.
 * - statementTimeoutMs / lockTimeoutMs: server side, sent as startup parameters, so they bind every
 *   statement of the session; PostgreSQL cancels with 57014 / 55P03. Work that legitimately runs
 *   longer (advice) asks for more per job, or sets its own inside its transaction (SET LOCAL).
 * - queryTimeoutMs: client side (node-postgres `query_timeout`): how long the client waits for the
 *   answer to any one query. This is what catches a server or network that stopped answering, which
 *   no server-side timeout can. Default: the statement timeout plus 5 s, so a merely slow statement
 *   is still reported by the server first.
 * - keepAliveInitialDelayMs: TCP keepalive on (`keepAlive: true`); after this long idle the OS
 *   probes the peer, so a dead connection is noticed even between queries.
 *
 * Operators may change the defaults for every target session with the environment variables in
 * TARGET_SETTINGS_ENV (read at each connection, milliseconds).
 */
export interface TargetSettings {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  queryTimeoutMs: number;
  keepAliveInitialDelayMs: number;
}

/** What a session on a target is for; each has its own defaults and application_name. */
export type TargetUse = 'collect' | 'check' | 'advise' | 'validate' | 'apply';

type BaseSettings = Omit<TargetSettings, 'queryTimeoutMs'>;

/** Defaults per use. Collection and checks read catalog views: 10 s is long. Advice plans many statements. */
export const TARGET_DEFAULTS: Readonly<Record<TargetUse, Readonly<BaseSettings>>> = {
  collect: { connectTimeoutMs: 10_000, statementTimeoutMs: 10_000, lockTimeoutMs: 1_000, keepAliveInitialDelayMs: 10_000 },
  check: { connectTimeoutMs: 5_000, statementTimeoutMs: 10_000, lockTimeoutMs: 1_000, keepAliveInitialDelayMs: 10_000 },
  // The advisor sets a shorter statement_timeout per request inside its transactions (10 s); this
  // is the ceiling for everything else it sends (pg_stat_statements reads, hypopg checks).
  advise: { connectTimeoutMs: 10_000, statementTimeoutMs: 30_000, lockTimeoutMs: 2_000, keepAliveInitialDelayMs: 10_000 },
  // A sandbox validation builds an index for real (each statement run is bounded apart, 10 s).
  validate: { connectTimeoutMs: 10_000, statementTimeoutMs: 30 * 60_000, lockTimeoutMs: 5_000, keepAliveInitialDelayMs: 10_000 },
  // A production CREATE INDEX CONCURRENTLY may take hours on a big table; its lock waits may not:
  // the apply sets its own lock_timeout (sidecar/apply/apply-session.ts).
  apply: { connectTimeoutMs: 10_000, statementTimeoutMs: 2 * 60 * 60_000, lockTimeoutMs: 5_000, keepAliveInitialDelayMs: 10_000 },
};

/** Added to the statement timeout for the client-side query timeout, unless one is given. */
export const QUERY_TIMEOUT_GRACE_MS = 5_000;

/** Environment variables that override the defaults for every use (milliseconds, positive integers). */
export const TARGET_SETTINGS_ENV: Readonly<Record<keyof TargetSettings, string>> = {
  connectTimeoutMs: 'OPTISCHEMA_TARGET_CONNECT_TIMEOUT_MS',
  statementTimeoutMs: 'OPTISCHEMA_TARGET_STATEMENT_TIMEOUT_MS',
  lockTimeoutMs: 'OPTISCHEMA_TARGET_LOCK_TIMEOUT_MS',
  queryTimeoutMs: 'OPTISCHEMA_TARGET_QUERY_TIMEOUT_MS',
  keepAliveInitialDelayMs: 'OPTISCHEMA_TARGET_KEEPALIVE_DELAY_MS',
};

export const APPLICATION_NAME: Readonly<Record<TargetUse, string>> = {
  collect: 'optischema-collector',
  check: 'optischema-check',
  advise: 'optischema-advisor',
  validate: 'optischema-validation',
  apply: 'optischema-apply',
};

/**
 * The settings for one session: defaults for the use, then the environment, then the caller's
 * overrides (a job that legitimately runs longer).
 *
 *   targetSettings('advise', { statementTimeoutMs: 120_000 })  // queryTimeoutMs 125_000 unless set
 */
export function targetSettings(use: TargetUse, overrides: Partial<TargetSettings> = {}, env: NodeJS.ProcessEnv = process.env): TargetSettings {
  const fromEnv: Partial<TargetSettings> = {};
  for (const key of Object.keys(TARGET_SETTINGS_ENV) as Array<keyof TargetSettings>) {
    const value = envMs(env, TARGET_SETTINGS_ENV[key]);
    if (value !== undefined) fromEnv[key] = value;
  }
  const base = { ...TARGET_DEFAULTS[use], ...without(fromEnv, 'queryTimeoutMs'), ...without(overrides, 'queryTimeoutMs') };
  const queryTimeoutMs = overrides.queryTimeoutMs ?? fromEnv.queryTimeoutMs ?? base.statementTimeoutMs + QUERY_TIMEOUT_GRACE_MS;
  return { ...base, queryTimeoutMs };
}

/**
 * Query-string parameters of a target URL that node-postgres would let win over the settings (it
 * merges the parsed URL over the config): a stored URL with `?query_timeout=0` or
 * `?statement_timeout=0` must not unbind a session that shares the worker with other tenants.
 * `options=-c statement_timeout=…` needs no stripping: PostgreSQL applies `options` before the
 * startup parameters, so the statement_timeout sent here wins.
 */
const BOUND_PARAMETERS = ['statement_timeout', 'lock_timeout', 'query_timeout', 'connect_timeout', 'connectionTimeoutMillis', 'keepalives', 'keepalives_idle'];

/**
 * node-postgres client (or pool) configuration for a session on a target with these settings.
 *
 *   new pg.Client(targetClientConfig(url, 'collect', targetSettings('collect')))
 */
export function targetClientConfig(url: string, use: TargetUse, settings: TargetSettings): pg.ClientConfig {
  return {
    connectionString: withoutBoundParameters(url),
    application_name: APPLICATION_NAME[use],
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    lock_timeout: settings.lockTimeoutMs,
    query_timeout: settings.queryTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: settings.keepAliveInitialDelayMs,
  };
}

/** node-postgres's message when query_timeout expires. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/** True when node-postgres gave up waiting for an answer (query_timeout). */
export function isQueryTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === QUERY_READ_TIMEOUT;
}

/**
 * A client-side query timeout as one line a user can act on; any other error unchanged.
 * The session it happened on is useless afterwards (the answer may still arrive): close it.
 */
export function describeQueryTimeout(error: unknown, settings: TargetSettings): unknown {
  if (!isQueryTimeout(error)) return error;
  return new UserError(
    `the target stopped answering: no reply within ${seconds(settings.queryTimeoutMs)} (client query timeout, ${TARGET_SETTINGS_ENV.queryTimeoutMs}); ` +
      'check that the server is up and that nothing between drops the connection',
    { cause: error },
  );
}

function withoutBoundParameters(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url; // node-postgres reports an unparsable URL itself
  }
  let changed = false;
  for (const name of BOUND_PARAMETERS) {
    if (parsed.searchParams.has(name)) {
      parsed.searchParams.delete(name);
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

function envMs(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new UserError(`${name}=${raw}: give a whole number of milliseconds above 0`);
  return value;
}

function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const { [key]: _dropped, ...rest } = value;
  return rest;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
