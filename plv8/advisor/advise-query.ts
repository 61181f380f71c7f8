/**
 * Index advice for one query, from the planner's own estimates: plan it (a generic plan for a `$n`
 * text), read index candidates off the plan, cost each as a hypothetical index (hypopg), and keep
 * the few the planner would use that cut its estimated cost enough.
 *
 * Errors are data: a query the server refuses (unknown column, syntax error, timeout) gives
 * `{ recommendations: [], errors: [message] }`; the step never throws for a bad query.
 */
import { evaluateQuery, withAnalysisSettings, type EvaluatedCandidate, type EvaluateOptions } from './evaluate-query.ts';
import { improvement, recommendationFor, type Recommendation } from './recommendation.ts';
import { resetHypothetical } from './what-if.ts';
import type { Step } from '../engine/protocol.ts';

export type { Recommendation };

export interface AdviseQueryOptions extends EvaluateOptions {
  /** Keep an index only if it cuts the estimated cost by at least this much, in percent. Default 20. */
  thresholdPct?: number;
  /** statement_timeout for every request of the analysis, in milliseconds. Default 10000. */
  statementTimeoutMs?: number;
  /** At most this many recommendations. Default 2. */
  maxRecommendations?: number;
}

export interface QueryAdvice {
  /** Best first (lowest estimated cost), at most `maxRecommendations`. */
  recommendations: Recommendation[];
  /** Why the analysis (or part of it) failed; empty when it ran through. */
  errors: string[];
}

/**
 * @example
 *   const advice = await runStep(adviseQuery('select * from orders where customer_id = 42'), client);
 *   // { recommendations: [{ sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)',
 *   //    costBefore: 1943, costAfter: 391.3, improvementPct: 79.9, … }], errors: [] }
 */
export function* adviseQuery(query: string, options: AdviseQueryOptions = {}): Step<QueryAdvice> {
  const thresholdPct = options.thresholdPct ?? 20;
  try {
    const evaluation = yield* withAnalysisSettings(options.statementTimeoutMs ?? 10_000, evaluateQuery(query, options));
    const kept = evaluation.evaluated.filter((e) => e.used && improvement(evaluation.costBefore, e.costAfter) >= thresholdPct);
    const chosen = choose(kept, options.maxRecommendations ?? 2);
    return {
      recommendations: chosen.map((e) => recommendationFor(e.candidate, e.table, { before: evaluation.costBefore, after: e.costAfter, sizeBytes: e.sizeBytes })),
      errors: evaluation.errors,
    };
  } finally {
    try {
      yield* resetHypothetical();
    } catch {
      // An aborted transaction refuses even this; the caller resets again once it has rolled back.
    }
  }
}

/**
 * Best first: lowest estimated cost, then smallest, then the order candidates were proposed in
 * (plain keys before their operator-class variants). One index per table: the costs were measured
 * one candidate at a time, so a second index on the same table is an alternative to the first,
 * not an addition (its leading-prefix cousins included). Several tables (a join) get one each.
 */
function choose(kept: EvaluatedCandidate[], max: number): EvaluatedCandidate[] {
  const sorted = [...kept].sort((a, b) => a.costAfter - b.costAfter || a.sizeBytes - b.sizeBytes);
  const chosen: EvaluatedCandidate[] = [];
  for (const k of sorted) {
    if (!chosen.some((better) => better.table.schema === k.table.schema && better.table.table === k.table.table)) chosen.push(k);
  }
  return chosen.slice(0, max);
}
