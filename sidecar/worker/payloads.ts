import { z } from 'zod';

/** Job payloads, validated at the edge: jobs can be queued by SQL (find_slow_queries, psql users). */
export const TargetPayload = z.object({ targetId: z.uuid() });
export type TargetPayload = z.infer<typeof TargetPayload>;

/** Queued by optischema.find_slow_queries() for a newly slow query. */
export const AdviseQueryPayload = z.object({ target: z.uuid(), queryid: z.string().regex(/^-?\d+$/) });
export type AdviseQueryPayload = z.infer<typeof AdviseQueryPayload>;

/** Queued by optischema.advise() / advise_workload() (migration 0009): the advice_requests row to answer. */
export const AdviceRequestPayload = z.object({ requestId: z.string().regex(/^\d+$/) });
export type AdviceRequestPayload = z.infer<typeof AdviceRequestPayload>;

/** Queued by a recommendation's change of state (migration 0014) and by the apply for its realized gain. */
export const RecommendationPayload = z.object({ recommendationId: z.uuid() });
export type RecommendationPayload = z.infer<typeof RecommendationPayload>;

/** Parses a payload or throws one line naming the task (graphile-worker keeps it as last_error). */
export function parsePayload<T>(schema: z.ZodType<T>, task: string, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new Error(`${task}: invalid payload: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  return parsed.data;
}

/** Queued by advise_query after the engine, for each slow query (sidecar/worker/tasks/ai-review-task.ts). */
export const AiReviewPayload = z.object({ target: z.uuid(), queryid: z.string().regex(/^-?\d+$/) });
export type AiReviewPayload = z.infer<typeof AiReviewPayload>;
