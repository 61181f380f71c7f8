import { runOnce, type Logger, type TaskList } from 'graphile-worker';
import { applyRecommendationTask } from '../tasks/apply-recommendation-task.ts';
import { dropOrphanSandboxesTask } from '../tasks/drop-orphan-sandboxes-task.ts';
import { prepareSandboxTask } from '../tasks/prepare-sandbox-task.ts';
import { realizedGainTask } from '../tasks/realized-gain-task.ts';
import { rollbackRecommendationTask } from '../tasks/rollback-recommendation-task.ts';
import { validateRecommendationTask } from '../tasks/validate-recommendation-task.ts';
import type { RecommendationTaskContext } from './context.ts';

/** The jobs of a recommendation's life after the advisor: sandbox, validate, apply, roll back, measure, clean up. */
export function recommendationTasks(context: RecommendationTaskContext): TaskList {
  return {
    validate_recommendation: validateRecommendationTask(context),
    apply_recommendation: applyRecommendationTask(context),
    rollback_recommendation: rollbackRecommendationTask(context),
    measure_realized_gain: realizedGainTask(context),
    drop_orphan_sandboxes: dropOrphanSandboxesTask(context),
    prepare_sandbox: prepareSandboxTask(context),
  };
}

/**
 * Runs the recommendation jobs that are due, in this process, until none is left: the CLI's
 * `--wait` when no sidecar is running. graphile-worker hands a worker only jobs of the tasks it
 * knows, so the collector's jobs stay queued for the sidecar. A worker of runOnce stops at the
 * first fetch that finds nothing, which it may do while another job of the same named queue (one
 * sandbox per target) still runs: so it runs again while a due, unlocked job is left.
 */
export async function runDueRecommendationJobs(context: RecommendationTaskContext, logger?: Logger): Promise<void> {
  const tasks = recommendationTasks(context);
  const taskList = { validate_recommendation: tasks.validate_recommendation!, apply_recommendation: tasks.apply_recommendation!, rollback_recommendation: tasks.rollback_recommendation! };
  for (let round = 0; round < 100; round++) {
    await runOnce({ pgPool: context.system, taskList, ...(logger ? { logger } : {}) });
    const { rows } = await context.system.query<{ due: boolean }>(
      `select exists (select from graphile_worker.jobs j
                       where j.task_identifier = any ($1::text[]) and j.run_at <= now() and j.locked_at is null
                         and j.attempts < j.max_attempts) as due`,
      [Object.keys(taskList)],
    );
    if (!rows[0]?.due) return;
  }
}
