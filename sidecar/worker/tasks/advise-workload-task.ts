import type { Task } from 'graphile-worker';
import { storeIndexRecommendations } from '../../advisor/store-recommendations.ts';
import { messageOf } from '../../errors.ts';
import { validateNewByPolicy } from '../recommendations/auto-validate.ts';
import { withTargetPool } from '../target-pool.ts';
import { workloadErrorText } from '../workload-advisor.ts';
import { periodicTargetTask, type TargetTaskContext } from './periodic-target-task.ts';

/**
 * advise_workload {targetId}: runs the workload advisor over the target's collected history and
 * stores its recommendations with the queries each serves, then the next run
 * targets.workload_advice_interval_s later (hourly by default). The window is that interval, at
 * least an hour. The statements come from OptiSchema's history of the target; the what-if runs on
 * the target itself (OptiSchema's own database for the local target).
 *
 * A failing run is logged and the next one comes at the regular interval: advice is not worth a
 * retry storm, and the collector already reports an unreachable target in targets.status.
 */
export function adviseWorkloadTask(context: TargetTaskContext): Task {
  return periodicTargetTask('advise_workload', context, async (targetId, location, helpers) => {
    const adviseWorkload = context.adviseWorkload;
    if (!adviseWorkload) return;
    const { rows } = await context.system.query<{ window_s: number }>(
      'select greatest(workload_advice_interval_s, 3600) as window_s from optischema.targets where id = $1',
      [targetId],
    );
    const since = `${rows[0]?.window_s ?? 3600} seconds`;
    try {
      const result = await withTargetPool(context.system, location.kind === 'local' ? 'local' : location.url, (pool) =>
        adviseWorkload(pool, { since, history: { db: context.system, targetId } }),
      );
      const stored = await storeIndexRecommendations(context.system, targetId, 'advise_workload', result.recommendations);
      const sent = await validateNewByPolicy(context.system, targetId, stored);
      helpers.logger.info(
        `advise_workload ${targetId}: ${stored.length} index recommendation(s), ${stored.filter((s) => s.created).length} new` +
          (sent ? `, ${sent} sent to the sandbox` : '') +
          (result.errors.length ? `; ${result.errors.length} statement(s) not analysed: ${result.errors.slice(0, 3).map(workloadErrorText).join('; ')}` : ''),
      );
    } catch (error) {
      helpers.logger.error(`advise_workload ${targetId}: ${messageOf(error)}`);
    }
  });
}
