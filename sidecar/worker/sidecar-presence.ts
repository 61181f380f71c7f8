import pg from 'pg';
import type { Logger } from 'graphile-worker';
import { messageOf } from '../errors.ts';
import { HOLD_POOL_LOCK_SQL, WORKER_POOL_LOCK_CLASS } from './stale-jobs.ts';

/**
 * The advisory lock key a running worker holds, shared, for as long as it runs:
 * optischema.sidecar_is_running() (migration 0009) looks for it in pg_locks, so psql's advise()
 * can tell "the sidecar will answer" from "nobody will" at once. Two int4 keys (pg_locks: classid,
 * objid, objsubid = 2); 1330664787 is 'OPUS' in ASCII. Shared: several sidecars may serve one
 * database. Nothing else takes this lock.
 */
export const PRESENCE_LOCK = { classid: 1330664787, objid: 1 } as const;

const RETRY_MS = 5_000;

export interface SidecarPresence {
  /** Releases the lock and the session holding it. */
  release(): Promise<void>;
}

/**
 * Holds the presence lock on a session of its own until release(). The session is opened with the
 * worker pool's settings but outside the pool: a lock held for hours must not take a slot the jobs
 * count on (a job on the local target holds one pool session and queries through another). A
 * session that breaks (server restart, network) loses the lock with it; a new one is opened and
 * the lock held again every 5 s until that works, so advise() sees the sidecar again as soon as
 * the database is back.
 *
 * With `workerPoolId` (graphile-worker's id for this sidecar's worker pool, the jobs' locked_by)
 * the same session also holds that pool's advisory lock: while it is held, no other sidecar takes
 * this one's locked jobs for a dead one's (stale-jobs.ts).
 *
 *   const presence = await holdPresence(pool, logger, { workerPoolId });
 *   …
 *   await presence.release();
 */
export async function holdPresence(pool: pg.Pool, logger: Logger, held: { workerPoolId?: string } = {}): Promise<SidecarPresence> {
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let released = false;

  const acquire = async (): Promise<void> => {
    const session = new pg.Client(pool.options);
    const lost = () => {
      // The lock went with the session; drop it and hold the lock again on a fresh one.
      if (client !== session) return;
      client = null;
      session.end().catch(() => undefined);
      schedule();
    };
    session.on('error', lost);
    session.on('end', lost);
    try {
      await session.connect();
      await session.query('select pg_advisory_lock_shared($1, $2)', [PRESENCE_LOCK.classid, PRESENCE_LOCK.objid]);
      if (held.workerPoolId) {
        const { rows } = await session.query<{ held: boolean }>(HOLD_POOL_LOCK_SQL, [WORKER_POOL_LOCK_CLASS, held.workerPoolId]);
        // Only a hash collision with another live pool's id: its jobs then wait for graphile-worker's own 4-hour reset.
        if (!rows[0]?.held) logger.warn(`sidecar presence: the lock of worker pool ${held.workerPoolId} is held by another session`);
      }
    } catch (error) {
      await session.end().catch(() => undefined);
      throw error;
    }
    if (released) {
      await session.end().catch(() => undefined);
      return;
    }
    client = session;
  };
  const schedule = () => {
    if (released || retry) return;
    retry = setTimeout(() => {
      retry = null;
      acquire().catch((error: unknown) => {
        logger.warn(`sidecar presence: cannot hold the presence lock (${messageOf(error)}); retrying in ${RETRY_MS / 1000} s`);
        schedule();
      });
    }, RETRY_MS);
    retry.unref();
  };

  await acquire();
  return {
    release: async () => {
      released = true;
      if (retry) clearTimeout(retry);
      const session = client;
      client = null;
      if (!session) return;
      // Ending the session releases its advisory locks.
      await session.end().catch(() => undefined);
    },
  };
}
