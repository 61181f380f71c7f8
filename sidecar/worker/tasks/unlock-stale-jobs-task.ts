import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { unlockStaleJobs } from '../stale-jobs.ts';

/** unlock_stale_jobs (every minute): jobs a dead sidecar left locked run again (stale-jobs.ts). */
export function unlockStaleJobsTask(system: pg.Pool): Task {
  return async (_payload, helpers) => {
    await unlockStaleJobs(system, helpers.logger);
  };
}
