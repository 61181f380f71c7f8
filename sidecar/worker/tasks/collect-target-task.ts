import type { Task } from 'graphile-worker';
import { collectTarget } from '../../collector/collect-target.ts';
import { periodicTargetTask, type TargetTaskContext } from './periodic-target-task.ts';

/** collect_target {targetId}: one snapshot, then the next run snapshot_interval_s later. */
export function collectTargetTask(context: TargetTaskContext): Task {
  return periodicTargetTask('collect_target', context, async (targetId, location, helpers) => {
    const outcome = await collectTarget(context, targetId, location);
    if (outcome.kind === 'no_statistics') {
      helpers.logger.warn(`collect_target ${targetId}: ${outcome.message}`);
    } else {
      helpers.logger.debug(
        `collect_target ${targetId}: snapshot ${outcome.snapshotId}, ${outcome.statements} statements, ${outcome.changed} changed, ` +
          `${outcome.newSlowQueries} newly slow, ${outcome.durationMs.toFixed(0)} ms`,
      );
    }
  });
}
