import type { Task } from 'graphile-worker';
import { answerAdviceRequest, startAdviceRequest, type AdviceAnswer, type AdviceRequest } from '../../advisor/advice-requests.ts';
import { adviseQueries } from '../../advisor/advise.ts';
import { storeIndexRecommendations } from '../../advisor/store-recommendations.ts';
import { messageOf } from '../../errors.ts';
import { AdviceRequestPayload, parsePayload } from '../payloads.ts';
import { withTargetPool } from '../target-pool.ts';
import { workloadErrorText } from '../workload-advisor.ts';
import type { TargetTaskContext } from './periodic-target-task.ts';

/**
 * advise_request {requestId}: queued by optischema.advise(query) and optischema.advise_workload()
 * (migration 0009) when psql asks and plv8 cannot answer inside PostgreSQL.
 *
 * Runs the advisor against the request's target (the database OptiSchema lives in) and stores the
 * answer on the request, which NOTIFYs optischema_advice; the caller's next identical call returns
 * it. Whatever goes wrong while advising becomes the answer's `errors`, so psql shows it instead of
 * waiting: only a failure to store the answer (OptiSchema's database gone) throws and is retried.
 * Workload answers are also stored as recommendations (source advise_workload); a single query's
 * are not: it may be a what-if the user typed, not part of the workload.
 */
export function adviseRequestTask(context: TargetTaskContext): Task {
  return async (payload, helpers) => {
    const { requestId } = parsePayload(AdviceRequestPayload, 'advise_request', payload);
    const request = await startAdviceRequest(context.system, requestId);
    if (!request) {
      helpers.logger.debug(`advise_request ${requestId}: gone or already answered`);
      return;
    }
    let answer: AdviceAnswer;
    try {
      answer = await answerFor(context, request);
    } catch (error) {
      answer = { recommendations: [], errors: [messageOf(error)] };
    }
    await answerAdviceRequest(context.system, request.id, answer);
    helpers.logger.info(
      `advise_request ${request.id} (${request.kind}): ${answer.recommendations.length} recommendation(s), ${answer.errors.length} error(s)`,
    );
  };
}

async function answerFor(context: TargetTaskContext, request: AdviceRequest): Promise<AdviceAnswer> {
  const location = await context.resolveTarget(request.targetId);
  if (location === null) return { recommendations: [], errors: [`target ${request.targetId} no longer exists`] };
  if (request.kind === 'query') {
    // Planned with the rights of the role that asked in psql, never the sidecar's (docs/security.md).
    const authors = request.requestedBy === null ? [] : [request.requestedBy];
    const [result] = (await withTargetPool(context.system, location, (pool) => adviseQueries(pool, [request.query ?? ''], { authors }))).results;
    return { recommendations: result?.recommendations ?? [], errors: result?.errors ?? [] };
  }
  const adviseWorkload = context.adviseWorkload;
  if (!adviseWorkload) return { recommendations: [], errors: ['this worker runs without a workload advisor'] };
  // The statements come from OptiSchema's collected history of the target; the what-if runs on the target.
  const history = { db: context.system, targetId: request.targetId };
  const result = await withTargetPool(context.system, location, (pool) =>
    // Each statement is planned as its author, and only as a role the one who asked may act as.
    adviseWorkload(pool, { since: request.since ?? '1 hour', budgetBytes: request.budgetBytes, history, ...(request.requestedBy ? { requester: request.requestedBy } : {}) }),
  );
  await storeIndexRecommendations(context.system, request.targetId, 'advise_workload', result.recommendations);
  return { recommendations: result.recommendations, errors: result.errors.map(workloadErrorText) };
}
