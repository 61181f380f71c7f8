import os from 'node:os';
import type { Task } from 'graphile-worker';
import { messageOf } from '../../errors.ts';
import { runHealth } from '../../health/run-health.ts';
import { storeHealthReport } from '../../health/store-findings.ts';
import { withTargetPool } from '../target-pool.ts';
import { periodicTargetTask, type TargetTaskContext } from './periodic-target-task.ts';

/**
 * health_check {targetId}: runs every health advisor on the target (sidecar/health/run-health.ts)
 * with OptiSchema's history of it (captured plans, activity samples), stores the findings as
 * recommendations of their advisor's kind, then the next run targets.health_check_interval_s later
 * (daily by default).
 *
 * The server's RAM and cores are known only for the local target, which runs on this machine
 * (os.totalmem(), os.availableParallelism()); a remote target's memory settings are checked only by
 * `optischema health --memory`. A failing run is logged and the next one comes at the regular
 * interval, like the workload advisor's.
 */
export function healthCheckTask(context: TargetTaskContext): Task {
  return periodicTargetTask('health_check', context, async (targetId, location, helpers) => {
    try {
      const local = location.kind === 'local';
      const report = await withTargetPool(context.system, local ? 'local' : location.url, async (pool) => {
        const client = await pool.connect();
        try {
          return await runHealth(client, {
            store: { db: context.system, targetId },
            memoryBytes: local ? os.totalmem() : null,
            cores: local ? os.availableParallelism() : null,
          });
        } finally {
          client.release();
        }
      });
      const stored = await storeHealthReport(context.system, targetId, report);
      helpers.logger.info(
        `health_check ${targetId}: ${stored.length} finding(s), ${stored.filter((s) => s.created).length} new, from ${report.ran.join(', ') || 'no advisor'}` +
          (report.notes.length ? `; ${report.notes.length} note(s): ${report.notes.slice(0, 3).join('; ')}` : ''),
      );
    } catch (error) {
      helpers.logger.error(`health_check ${targetId}: ${messageOf(error)}`);
    }
  });
}
