import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { consoleLogFactory, Logger, run, runMigrations, type TaskList, type WorkerEvents } from 'graphile-worker';
import { adviseWorkload as workloadAdvisor } from '../advisor/workload.ts';
import { messageOf } from '../errors.ts';
import type { ConnectTarget } from '../collector/target-connection.ts';
import type { ResolveTarget } from './resolve-target.ts';
import { scheduleMissingRuns } from './schedule.ts';
import { holdPresence, type SidecarPresence } from './sidecar-presence.ts';
import { unlockStaleJobs } from './stale-jobs.ts';
import { adviseQueryTask } from './tasks/advise-query-task.ts';
import { adviseRequestTask } from './tasks/advise-request-task.ts';
import { adviseWorkloadTask } from './tasks/advise-workload-task.ts';
import { healthCheckTask } from './tasks/health-check-task.ts';
import { applyRetentionTask } from './tasks/apply-retention-task.ts';
import { collectTargetTask } from './tasks/collect-target-task.ts';
import { sampleActivityTask } from './tasks/sample-activity-task.ts';
import { scheduleTargetsTask } from './tasks/schedule-targets-task.ts';
import { queueMissingSandboxes } from './tasks/prepare-sandbox-task.ts';
import { unlockStaleJobsTask } from './tasks/unlock-stale-jobs-task.ts';
import type { AdviseWorkload } from './workload-advisor.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { recommendationTasks } from './recommendations/recommendation-tasks.ts';
import { reportDefaultProvider } from '../ai/ai-settings.ts';
import type { ProviderConfig } from '../ai/providers/provider.ts';
import { aiReviewTask } from './tasks/ai-review-task.ts';

export interface WorkerOptions {
  /**
   * OptiSchema's database, as the role that installed it (the recording functions write across
   * tenants). graphile-worker takes its connections from this pool too: give it at least
   * concurrency + 2 (one LISTEN session, one for cron and scheduling). One more session, outside
   * the pool but with its settings, holds the presence lock that tells psql's optischema.advise()
   * a sidecar is running (sidecar-presence.ts).
   */
  pool: pg.Pool;
  /** targetId → connection URL, 'local', or null when the target is gone (see makeTargetResolver). */
  resolveTarget: ResolveTarget;
  /** Jobs run at once, across all targets (default 4). */
  concurrency?: number;
  /** graphile-worker's logger (default: its console logger). */
  logger?: Logger;
  /** Opens remote target sessions; tests may wrap it. */
  connect?: ConnectTarget;
  /** The workload advisor; default adviseWorkload (sidecar/advisor/workload.ts). Tests may stand in. */
  adviseWorkload?: AdviseWorkload;
  /**
   * The URL of the pool's database: the local target's, and the server where embedded and sample
   * sandboxes are made. Without it the recommendation jobs (validate, apply, rollback) are not run.
   */
  systemUrl?: string;
  /** Opens sealed sandbox URLs (the url strategy, clones on a target's server). */
  secretBox?: SecretBox;
  /** Statement runs per sandbox measurement (default 5) and the apply's lock_timeout (default 5 s). */
  validationRuns?: number;
  applyLockTimeoutMs?: number;
  /** The AI review's default provider (the sidecar's environment); null: deterministic mode. Needs systemUrl. */
  defaultAiProvider?: ProviderConfig | null;
}

export interface CollectorWorker {
  /** Stops taking jobs, waits for running ones, releases the connections the worker held. */
  stop(): Promise<void>;
}

/**
 * graphile-worker's crontab (its own format, UTC): retention hourly at minute 7, new targets picked
 * up and the jobs of dead sidecars unlocked every minute. jobKey: a cron run still pending from a
 * previous tick is replaced, not doubled.
 */
const CRONTAB = [
  '7 * * * * apply_retention ?max=1&jobKey=apply_retention',
  '* * * * * schedule_targets ?max=1&jobKey=schedule_targets',
  '* * * * * unlock_stale_jobs ?max=1&jobKey=unlock_stale_jobs',
].join('\n');
/** With the recommendation jobs: sandboxes of deleted targets dropped every 10 minutes. */
const RECOMMENDATION_CRONTAB = '*/10 * * * * drop_orphan_sandboxes ?max=1&jobKey=drop_orphan_sandboxes';

/**
 * Starts the collector's graphile-worker: migrates graphile-worker's schema (graphile_worker),
 * queues the missing per-target jobs, then runs tasks until stop().
 *
 *   const worker = await startWorker({ pool, resolveTarget: makeTargetResolver(pool, secretBox) });
 *   …
 *   await worker.stop();
 *
 * Tasks: collect_target, sample_activity, advise_workload and health_check (one pending job per
 * target each, rescheduling themselves at the target's snapshot_interval_s / activity_interval_s /
 * workload_advice_interval_s / health_check_interval_s), apply_retention (hourly), schedule_targets (every minute),
 * advise_query (queued by find_slow_queries), advise_request (queued by psql's optischema.advise()
 * and advise_workload()), unlock_stale_jobs (every minute); with `systemUrl`, the recommendation
 * jobs (recommendations/recommendation-tasks.ts: validate, apply, roll back, realized gain, orphan
 * sandboxes), queued by a recommendation's change of state. While it runs, the worker holds the
 * presence lock and its pool's lock (sidecar-presence.ts); jobs locked by pools whose lock nobody
 * holds are unlocked at start and every minute (stale-jobs.ts).
 */
export async function startWorker(options: WorkerOptions): Promise<CollectorWorker> {
  const { pool } = options;
  const logger = options.logger ?? new Logger(consoleLogFactory);
  const context = {
    system: pool,
    resolveTarget: options.resolveTarget,
    connect: options.connect,
    adviseWorkload: options.adviseWorkload ?? workloadAdvisor,
    aiReview: options.systemUrl !== undefined,
  };
  const taskList: TaskList = {
    collect_target: collectTargetTask(context),
    sample_activity: sampleActivityTask(context),
    apply_retention: applyRetentionTask(pool),
    schedule_targets: scheduleTargetsTask(pool, { sandboxes: options.systemUrl !== undefined }),
    unlock_stale_jobs: unlockStaleJobsTask(pool),
    advise_query: adviseQueryTask(context),
    advise_request: adviseRequestTask(context),
    advise_workload: adviseWorkloadTask(context),
    health_check: healthCheckTask(context),
  };
  if (options.systemUrl) {
    const recommendations = {
      system: pool,
      systemUrl: options.systemUrl,
      resolveTarget: options.resolveTarget,
      ...(options.secretBox ? { secretBox: options.secretBox } : {}),
      ...(options.validationRuns ? { validationRuns: options.validationRuns } : {}),
      ...(options.applyLockTimeoutMs ? { applyLockTimeoutMs: options.applyLockTimeoutMs } : {}),
    };
    Object.assign(taskList, recommendationTasks(recommendations), { ai_review: aiReviewTask({ ...recommendations, defaultProvider: options.defaultAiProvider ?? null }) });
    await reportDefaultProvider(pool, options.defaultAiProvider ?? null);
  }
  // A session of the pool whose server goes away emits 'error' on its client; graphile-worker
  // asks for a listener (it warns otherwise). Removed again on stop: the pool is the caller's.
  const onConnect = (client: pg.PoolClient) => client.on('error', () => undefined);
  pool.on('connect', onConnect);
  await runMigrations({ pgPool: pool, logger });
  // Before this sidecar takes any: jobs a killed sidecar left locked run again (stale-jobs.ts).
  await unlockStaleJobs(pool, logger);
  await scheduleMissingRuns(pool);
  if (options.systemUrl) await queueMissingSandboxes(pool);
  // graphile-worker locks jobs with its pool's id: the presence session holds that id's lock.
  const events: WorkerEvents = new EventEmitter();
  let workerPoolId: string | undefined;
  events.on('pool:create', ({ workerPool }) => {
    workerPoolId = workerPool.id;
  });
  const runner = await run({
    pgPool: pool,
    concurrency: options.concurrency ?? 4,
    taskList,
    crontab: options.systemUrl ? `${CRONTAB}\n${RECOMMENDATION_CRONTAB}` : CRONTAB,
    events,
    // The sidecar owns SIGINT/SIGTERM and calls stop().
    noHandleSignals: true,
    logger,
  });
  // A runner that dies on its own (its database went away for good) must not be an unhandled rejection.
  runner.promise.catch((error: unknown) => logger.error(`the collector worker stopped: ${messageOf(error)}`));
  // Taken once the runner takes jobs: from then on an advise_request queued by psql gets answered.
  if (!workerPoolId) logger.warn('the worker pool announced no id: another sidecar may take this one\'s jobs for a dead one\'s after a minute');
  let presence: SidecarPresence;
  try {
    presence = await holdPresence(pool, logger, { workerPoolId });
  } catch (error) {
    await runner.stop().finally(() => pool.off('connect', onConnect));
    throw error;
  }
  let stopped: Promise<void> | null = null;
  return {
    // The presence lock goes first: from then on advise() says no sidecar instead of queueing.
    stop: () => (stopped ??= presence.release().then(() => runner.stop()).finally(() => pool.off('connect', onConnect))),
  };
}
