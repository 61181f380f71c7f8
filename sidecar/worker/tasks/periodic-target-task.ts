import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { CollectionError, statusLine } from '../../collector/collection-errors.ts';
import type { ConnectTarget } from '../../collector/target-connection.ts';
import { recordTargetProblem } from '../../collector/target-status.ts';
import type { TargetLocation } from '../../collector/types.ts';
import { messageOf } from '../../errors.ts';
import { parsePayload, TargetPayload } from '../payloads.ts';
import type { ResolveTarget } from '../resolve-target.ts';
import type { AdviseWorkload } from '../workload-advisor.ts';
import { scheduleNextRun, type PeriodicTask } from '../schedule.ts';

export interface TargetTaskContext {
  system: pg.Pool;
  resolveTarget: ResolveTarget;
  connect?: ConnectTarget;
  /** The workload advisor (advise_workload, advise_request). */
  adviseWorkload?: AdviseWorkload;
  /** advise_query queues an ai_review after the engine (the worker runs the sandbox jobs). */
  aiReview?: boolean;
}

/**
 * A task that works on one target and then queues its own next run.
 *
 * `work` either returns (done, or pg_stat_statements missing: status no_statistics) and the next
 * run is queued at the target's regular interval, or throws after recording the target's status:
 * then nothing is queued and graphile-worker retries this same job with exponential backoff
 * (exp(min(attempts, 10)) seconds: 3 s, 7 s, 20 s … at most about 6 h), still under its job key, so
 * there stays exactly one pending job per target. Each target has its own jobs: one failing target
 * never holds up another.
 */
export function periodicTargetTask(
  task: PeriodicTask,
  context: TargetTaskContext,
  work: (targetId: string, location: TargetLocation, helpers: Parameters<Task>[1]) => Promise<void>,
): Task {
  return async (payload, helpers) => {
    const { targetId } = parsePayload(TargetPayload, task, payload);
    const location = await locate(context, targetId);
    if (!location) {
      helpers.logger.info(`${task}: target ${targetId} no longer exists; not rescheduled`);
      return;
    }
    await work(targetId, location, helpers);
    await scheduleNextRun(context.system, task, targetId);
  };
}

async function locate(context: TargetTaskContext, targetId: string): Promise<TargetLocation | null> {
  let resolved: string | null;
  try {
    resolved = await context.resolveTarget(targetId);
  } catch (error) {
    // An unset env:NAME, an unreadable file:/path, a key that does not open the ciphertext: the
    // target cannot be reached until someone fixes it; the message says how (resolveTargetUrl's UserError).
    const message = statusLine(messageOf(error));
    await recordTargetProblem(context.system, targetId, { status: 'error', message });
    throw new CollectionError(`target ${targetId}: ${message}`, { cause: error });
  }
  if (resolved === null) return null;
  return resolved === 'local' ? { kind: 'local' } : { kind: 'remote', url: resolved };
}
