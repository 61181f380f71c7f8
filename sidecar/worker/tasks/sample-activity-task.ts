import type { Task } from 'graphile-worker';
import { sampleActivity } from '../../collector/sample-activity.ts';
import { periodicTargetTask, type TargetTaskContext } from './periodic-target-task.ts';

/** sample_activity {targetId}: one pg_stat_activity sample, then the next activity_interval_s later. */
export function sampleActivityTask(context: TargetTaskContext): Task {
  return periodicTargetTask('sample_activity', context, (targetId, location) => sampleActivity(context, targetId, location));
}
