import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { scheduleMissingRuns } from '../schedule.ts';
import { queueMissingSandboxes } from './prepare-sandbox-task.ts';

/**
 * schedule_targets (on start and every minute): every target gets its pending periodic jobs, and
 * every recommendation whose state asks for a job (validating, scheduled, applying, rolling_back)
 * has one (optischema.requeue_transitions: one queued before graphile-worker's schema existed);
 * with the recommendation jobs, targets that validate by themselves get their sandbox made ahead.
 */
export function scheduleTargetsTask(system: pg.Pool, options: { sandboxes: boolean }): Task {
  return async (_payload, helpers) => {
    const added = await scheduleMissingRuns(system);
    if (added > 0) helpers.logger.info(`schedule_targets: queued ${added} job(s) for new or revived targets`);
    const { rows } = await system.query<{ n: number }>('select optischema.requeue_transitions() as n');
    if ((rows[0]?.n ?? 0) > 0) helpers.logger.info(`schedule_targets: queued ${rows[0]!.n} recommendation job(s) again`);
    if (options.sandboxes && (await queueMissingSandboxes(system)) > 0) helpers.logger.info('schedule_targets: a sandbox is being made ahead of the first validation');
  };
}
