import pg from 'pg';
import { connectionError } from '../database/connection.ts';
import type { Queryable } from '../database/queryable.ts';

/** Bounds on every collector session: a busy or locked target fails one collection, it never hangs it. */
export const TARGET_SESSION = {
  applicationName: 'optischema-collector',
  statementTimeoutMs: 10_000,
  lockTimeoutMs: 1_000,
  connectTimeoutMs: 10_000,
} as const;

/** A short-lived session on a target, closed after one collection or sample. */
export interface TargetSession extends Queryable {
  close(): Promise<void>;
}

export type ConnectTarget = (url: string) => Promise<TargetSession>;

/**
 * Opens one session on a remote target with the collector's timeouts and application_name. A
 * failure to connect becomes one line naming the server without its password. Callers run their
 * reads in a READ ONLY transaction (see readOnTarget).
 */
export const connectTarget: ConnectTarget = async (url) => {
  const client = new pg.Client({
    connectionString: url,
    application_name: TARGET_SESSION.applicationName,
    statement_timeout: TARGET_SESSION.statementTimeoutMs,
    lock_timeout: TARGET_SESSION.lockTimeoutMs,
    connectionTimeoutMillis: TARGET_SESSION.connectTimeoutMs,
  });
  // A server that goes away while the session is open emits 'error' on the client; the pending
  // query rejects on its own, so the event only needs a listener to not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectionError(error, url);
  }
  return {
    query: (text, params) => client.query(text, params),
    close: () => client.end().catch(() => undefined),
  };
};

/** Runs `read` in a READ ONLY transaction on the target: the collector never writes there. */
export async function readOnTarget<T>(session: TargetSession, read: () => Promise<T>): Promise<T> {
  await session.query('begin transaction read only');
  try {
    return await read();
  } finally {
    // Read-only: rolling back loses nothing and ends the snapshot either way.
    await session.query('rollback').catch(() => undefined);
  }
}
