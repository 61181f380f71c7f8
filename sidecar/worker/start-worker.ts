import type pg from 'pg';
import { consoleLogFactory, Logger, run, runMigrations, type TaskList } from 'graphile-worker';
import { adviseWorkload as workloadAdvisor } from '../advisor/workload.ts';
import { messageOf } from '../errors.ts';
import type { ConnectTarget } from '../collector/target-connection.ts';
import type { ResolveTarget } from './resolve-target.ts';
import { scheduleMissingRuns } from './schedule.ts';
import { holdPresence, type SidecarPresence } from './sidecar-presence.ts';
import { adviseQueryTask } from './tasks/advise-query-task.ts';
import { adviseRequestTask } from './tasks/advise-request-task.ts';
import { adviseWorkloadTask } from './tasks/advise-workload-task.ts';
import { applyRetentionTask } from './tasks/apply-retention-task.ts';
import { collectTargetTask } from './tasks/collect-target-task.ts';
import { sampleActivityTask } from './tasks/sample-activity-task.ts';
import { scheduleTargetsTask } from './tasks/schedule-targets-task.ts';
import type { AdviseWorkload } from './workload-advisor.ts';

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
}

export interface CollectorWorker {
  /** Stops taking jobs, waits for running ones, releases the connections the worker held. */
  stop(): Promise<void>;
}

/**
 * graphile-worker's crontab (its own format, UTC): retention hourly at minute 7, new targets picked
 * up every minute. jobKey: a cron run still pending from a previous tick is replaced, not doubled.
 */
const CRONTAB = [
  '7 * * * * apply_retention ?max=1&jobKey=apply_retention',
  '* * * * * schedule_targets ?max=1&jobKey=schedule_targets',
].join('\n');

/**
 * Starts the collector's graphile-worker: migrates graphile-worker's schema (graphile_worker),
 * queues the missing per-target jobs, then runs tasks until stop().
 *
 *   const worker = await startWorker({ pool, resolveTarget: makeTargetResolver(pool, secretBox) });
 *   …
 *   await worker.stop();
 *
 * Tasks: collect_target, sample_activity and advise_workload (one pending job per target each,
 * rescheduling themselves at the target's snapshot_interval_s / activity_interval_s /
 * workload_advice_interval_s), apply_retention (hourly), schedule_targets (every minute),
 * advise_query (queued by find_slow_queries), advise_request (queued by psql's optischema.advise()
 * and advise_workload()). While it runs, the worker holds the presence lock (sidecar-presence.ts).
 */
export async function startWorker(options: WorkerOptions): Promise<CollectorWorker> {
  const { pool } = options;
  const logger = options.logger ?? new Logger(consoleLogFactory);
  const context = {
    system: pool,
    resolveTarget: options.resolveTarget,
    connect: options.connect,
    adviseWorkload: options.adviseWorkload ?? workloadAdvisor,
  };
  const taskList: TaskList = {
    collect_target: collectTargetTask(context),
    sample_activity: sampleActivityTask(context),
    apply_retention: applyRetentionTask(pool),
    schedule_targets: scheduleTargetsTask(pool),
    advise_query: adviseQueryTask(context),
    advise_request: adviseRequestTask(context),
    advise_workload: adviseWorkloadTask(context),
  };
  // A session of the pool whose server goes away emits 'error' on its client; graphile-worker
  // asks for a listener (it warns otherwise). Removed again on stop: the pool is the caller's.
  const onConnect = (client: pg.PoolClient) => client.on('error', () => undefined);
  pool.on('connect', onConnect);
  await runMigrations({ pgPool: pool, logger });
  await scheduleMissingRuns(pool);
  const runner = await run({
    pgPool: pool,
    concurrency: options.concurrency ?? 4,
    taskList,
    crontab: CRONTAB,
    // The sidecar owns SIGINT/SIGTERM and calls stop().
    noHandleSignals: true,
    logger,
  });
  // A runner that dies on its own (its database went away for good) must not be an unhandled rejection.
  runner.promise.catch((error: unknown) => logger.error(`the collector worker stopped: ${messageOf(error)}`));
  // Taken once the runner takes jobs: from then on an advise_request queued by psql gets answered.
  let presence: SidecarPresence;
  try {
    presence = await holdPresence(pool, logger);
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
