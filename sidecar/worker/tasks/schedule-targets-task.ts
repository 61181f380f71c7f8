import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { scheduleMissingRuns } from '../schedule.ts';

/** schedule_targets (on start and every minute): every target gets its pending periodic jobs. */
export function scheduleTargetsTask(system: pg.Pool): Task {
  return async (_payload, helpers) => {
    const added = await scheduleMissingRuns(system);
    if (added > 0) helpers.logger.info(`schedule_targets: queued ${added} job(s) for new or revived targets`);
  };
}
