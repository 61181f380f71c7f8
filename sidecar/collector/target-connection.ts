import pg from 'pg';
import { connectionError } from '../database/connection.ts';
import type { Queryable } from '../database/queryable.ts';
import { describeQueryTimeout, isQueryTimeout, targetClientConfig, targetSettings } from '../database/target-settings.ts';

/** A short-lived session on a target, closed after one collection or sample. */
export interface TargetSession extends Queryable {
  close(): Promise<void>;
}

export type ConnectTarget = (url: string) => Promise<TargetSession>;

/**
 * Opens one session on a remote target with the collector's bounds (target-settings.ts: connect,
 * statement, lock and client query timeouts, TCP keepalive). A failure to connect becomes one line
 * naming the server without its password. A target that stops answering mid-session fails the
 * query after the client query timeout with one line saying so, and the session is closed at once,
 * so the rollback and close that follow do not wait a second time. Callers run their reads in a
 * READ ONLY transaction (see readOnTarget).
 */
export const connectTarget: ConnectTarget = async (url) => {
  const settings = targetSettings('collect');
  const client = new pg.Client(targetClientConfig(url, 'collect', settings));
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
    query: async (text, params) => {
      try {
        return await client.query(text, params);
      } catch (error) {
        // The answer may still come, or never: node-postgres ends a session with a query in flight
        // by destroying the socket, so the next query fails at once instead of queueing behind it.
        if (isQueryTimeout(error)) void client.end().catch(() => undefined);
        throw describeQueryTimeout(error, settings);
      }
    },
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
