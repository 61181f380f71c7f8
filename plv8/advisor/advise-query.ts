/**
 * Index advice for one query, from the planner's own estimates: plan it (a generic plan for a `$n`
 * text), read index candidates off the plan, cost each as a hypothetical index (hypopg), and keep
 * the few the planner would use that cut its estimated cost enough.
 *
 * Errors are data: a query the server refuses (unknown column, syntax error, timeout) gives
 * `{ recommendations: [], errors: [message] }`; the step never throws for a bad query.
 */
import { earnsItsInclude, evaluateQuery, withAnalysisSettings, type EvaluatedCandidate, type EvaluateOptions, type QueryEvaluation } from './evaluate-query.ts';
import { improvement, recommendationFor, type Recommendation } from './recommendation.ts';
import { evaluateSet, resetHypothetical, type PlannableQuery } from './what-if.ts';
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
export function* adviseQuery(query: string, given: AdviseQueryOptions | null = {}): Step<QueryAdvice> {
  // SQL NULL arrives as null from plv8.
  const options = given ?? {};
  const thresholdPct = options.thresholdPct ?? 20;
  try {
    return yield* withAnalysisSettings(
      options.statementTimeoutMs ?? 10_000,
      (function* (): Step<QueryAdvice> {
        const evaluation = yield* evaluateQuery(query, options);
        const chosen = evaluation.query === null ? [] : yield* choose(evaluation.query, evaluation, thresholdPct, options.maxRecommendations ?? 2);
        return {
          recommendations: chosen.map((c) => recommendationFor(c.evaluated.candidate, c.evaluated.table, { before: evaluation.costBefore, after: c.costAfter, sizeBytes: c.evaluated.sizeBytes })),
          errors: evaluation.errors,
        };
      })(),
    );
  } finally {
    try {
      yield* resetHypothetical();
    } catch {
      // An aborted transaction refuses even this; the caller resets again once it has rolled back.
    }
  }
}

interface Chosen {
  evaluated: EvaluatedCandidate;
  /** The query's estimated cost with this index and those chosen before it. */
  costAfter: number;
}

/**
 * Greedy, one table at a time. First the candidate with the lowest estimated cost on its own (then
 * the smallest, then the first proposed: plain keys before their operator-class variants). Then,
 * while there is room, each other table's best candidate is planned together with the indexes
 * already chosen (a join often needs one index per side, and the second one helps only once the
 * first is there), and the best of those is added if it cuts the cost reached so far by the
 * threshold again. One index per table: the others on a table are alternatives, not additions.
 */
function* choose(query: PlannableQuery, evaluation: QueryEvaluation, thresholdPct: number, max: number): Step<Chosen[]> {
  const used = evaluation.evaluated.filter((e) => e.used && e.costAfter < evaluation.costBefore);
  const useful = used
    .filter((e) => earnsItsInclude(e, used, thresholdPct))
    .sort((a, b) => a.costAfter - b.costAfter || a.sizeBytes - b.sizeBytes);
  const first = useful[0];
  if (!first || improvement(evaluation.costBefore, first.costAfter) < thresholdPct) return [];
  const chosen: Chosen[] = [{ evaluated: first, costAfter: first.costAfter }];
  const tableOf = (e: EvaluatedCandidate): string => `${e.table.schema}.${e.table.table}`;
  while (chosen.length < max) {
    const taken = new Set(chosen.map((c) => tableOf(c.evaluated)));
    const perTable = new Map<string, EvaluatedCandidate>();
    for (const e of useful) if (!taken.has(tableOf(e)) && !perTable.has(tableOf(e))) perTable.set(tableOf(e), e);
    let best: Chosen | null = null;
    for (const next of perTable.values()) {
      const costs = yield* evaluateSet(query, [...chosen.map((c) => c.evaluated.ddl), next.ddl]);
      const together = costs[costs.length - 1]!;
      if (together.used && (best === null || together.totalCost < best.costAfter)) best = { evaluated: next, costAfter: together.totalCost };
    }
    const reached = chosen[chosen.length - 1]!.costAfter;
    if (best === null || improvement(reached, best.costAfter) < thresholdPct) break;
    chosen.push(best);
  }
  return chosen;
}
