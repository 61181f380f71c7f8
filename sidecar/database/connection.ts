import pg from 'pg';
import { UserError } from '../errors.ts';
import { maskUrlSecrets, redactUrl } from './redact-url.ts';
import { QUERY_TIMEOUT_GRACE_MS } from './target-settings.ts';

export { redactUrl };

export interface PoolOptions {
  /** Shown in pg_stat_activity, so a DBA sees which sessions are OptiSchema's. */
  applicationName?: string;
  /** Per statement, in milliseconds. Every OptiSchema session has one, so nothing hangs on a target. */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  max?: number;
}

const CONNECT_TIMEOUT_MS = 10_000;
const KEEPALIVE_DELAY_MS = 10_000;

/**
 * Opens a pool and proves it can reach the server, so a bad URL fails here with one clear line
 * rather than deep inside a later step.
 *
 * Used for OptiSchema's own database and by the CLI's commands on the database they are given
 * (`doctor --db`, `advise --db`): besides the server-side statement_timeout, every session has
 * TCP keepalive and a client-side query timeout (the statement timeout plus
 * QUERY_TIMEOUT_GRACE_MS), so a server that stops answering fails the command instead of hanging
 * it. Sessions the worker opens on targets use target-settings.ts directly.
 */
export async function openPool(url: string, options: PoolOptions = {}): Promise<pg.Pool> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 60_000;
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: options.applicationName ?? 'optischema',
    statement_timeout: statementTimeoutMs,
    lock_timeout: options.lockTimeoutMs ?? 10_000,
    query_timeout: statementTimeoutMs + QUERY_TIMEOUT_GRACE_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    max: options.max ?? 4,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener that kills the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectionError(error, url);
  }
  return pool;
}

/** Turns a failed connection attempt into one line that names the server (never the password). */
export function connectionError(error: unknown, url: string): UserError {
  const where = redactUrl(url);
  const code = (error as { code?: string }).code;
  // A driver's message may quote the URL or its password.
  const message = maskUrlSecrets(error instanceof Error ? error.message : String(error), url);
  const reason =
    code === 'ECONNREFUSED' ? 'connection refused (is PostgreSQL running there?)'
    : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'unknown host'
    : code === '28P01' || code === '28000' ? `authentication failed (${message})`
    : code === '3D000' ? message
    : /timeout/i.test(message) ? 'timed out: no answer within the connect timeout (is the host reachable, and is PostgreSQL listening on that port?)'
    : message;
  return new UserError(`cannot connect to ${where}: ${reason}`, { cause: error });
}

/** Validates a database URL given on the command line or in DATABASE_URL. */
export function checkDatabaseUrl(url: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`${source} is not a URL; expected postgres://user:password@host:port/database`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UserError(`${source} must start with postgres:// or postgresql://, not ${parsed.protocol}//`);
  }
  return url;
}
