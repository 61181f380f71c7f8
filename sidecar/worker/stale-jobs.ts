import type pg from 'pg';
import { makeWorkerUtils, type Logger } from 'graphile-worker';
import type { Queryable } from '../database/queryable.ts';

/**
 * Jobs that a sidecar killed mid-job (SIGKILL, out of memory, a lost host) left locked.
 *
 * graphile-worker locks a job with its worker pool's id (jobs.locked_by = 'pool-…') and, by
 * itself, frees only locks older than 4 hours: until then the dead sidecar's targets go
 * uncollected. So each running sidecar also holds, on its presence session (sidecar-presence.ts),
 * an advisory lock keyed by its pool id: (WORKER_POOL_LOCK_CLASS, hashtext(pool id)). PostgreSQL
 * drops it with the session when the process dies. A locked_by whose key nobody holds is a dead
 * pool, and graphile-worker's documented WorkerUtils.forceUnlockWorkers hands its jobs (and job
 * queues) back, to run again at once.
 *
 * STALE_LOCK_GRACE_S: a pool takes its advisory lock just after it starts taking jobs, so a lock
 * younger than this is never judged: a sidecar starting at this moment is not mistaken for a dead
 * one. Runs at start and every minute (task unlock_stale_jobs), so a sidecar restarted at once
 * gets its old jobs back within the grace plus a minute, and a surviving sidecar picks up the jobs
 * of one that died beside it.
 */
export const WORKER_POOL_LOCK_CLASS = 1330664535; // 'OPTW' in ASCII; the presence lock uses another class
export const STALE_LOCK_GRACE_S = 60;

/** The worker pools holding job or queue locks older than the grace whose advisory lock nobody holds. */
const DEAD_POOLS_SQL = `
  select locked_by as pool_id
    from (select locked_by, locked_at from graphile_worker._private_jobs where locked_by is not null
          union all
          select locked_by, locked_at from graphile_worker._private_job_queues where locked_by is not null) locks
   where locked_at < now() - make_interval(secs => $1)
     and not exists (
           select from pg_locks l
            where l.locktype = 'advisory' and l.granted
              and l.database = (select oid from pg_database where datname = current_database())
              -- the two-int4 form: classid = first key, objid = second key, objsubid = 2
              and l.classid = $2::int::oid and l.objid = hashtext(locks.locked_by)::oid and l.objsubid = 2)
   group by locked_by
   order by locked_by`;

export async function deadWorkerPools(db: Queryable, graceSeconds = STALE_LOCK_GRACE_S): Promise<string[]> {
  const { rows } = await db.query<{ pool_id: string }>(DEAD_POOLS_SQL, [graceSeconds, WORKER_POOL_LOCK_CLASS]);
  return rows.map((row) => row.pool_id);
}

/**
 * Unlocks the jobs of dead worker pools (see above) and returns their ids.
 *
 *   await unlockStaleJobs(pool, logger);  // ['pool-3f…'] when a killed sidecar left jobs locked
 */
export async function unlockStaleJobs(pool: pg.Pool, logger: Logger, graceSeconds = STALE_LOCK_GRACE_S): Promise<string[]> {
  const dead = await deadWorkerPools(pool, graceSeconds);
  if (dead.length === 0) return [];
  const utils = await makeWorkerUtils({ pgPool: pool, logger });
  try {
    await utils.forceUnlockWorkers(dead);
  } finally {
    await utils.release();
  }
  logger.warn(`unlocked the jobs of ${dead.length} stopped sidecar worker pool(s) (${dead.join(', ')}): they run again now`);
  return dead;
}

/** The key a live pool holds; try-lock: a hash collision must never make a sidecar wait at start. */
export const HOLD_POOL_LOCK_SQL = 'select pg_try_advisory_lock($1, hashtext($2)) as held';
