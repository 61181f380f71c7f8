/**
 * Index advice for one query, from the planner's own estimates: plan it (a generic plan for a `$n`
 * text), read index candidates off the plan, cost each as a hypothetical index (hypopg), and keep
 * the few the planner would use that cut its estimated cost enough.
 *
 * Errors are data: a query the server refuses (unknown column, syntax error, timeout) gives
 * `{ recommendations: [], errors: [message] }`; the step never throws for a bad query.
 */
import {
  type ParameterEvidence, earnsItsInclude, parameterNote, errorMessage, evaluateQuery, withAnalysisSettings, type EvaluatedCandidate, type EvaluateOptions, type QueryEvaluation } from './evaluate-query.ts';
import { improvement, recommendationFor, type Recommendation } from '../recommendation/recommendation.ts';
import { bestFirst, joinPairs } from './join-pairs.ts';
import { leaveNothing, type PlannableQuery } from '../../plan/what-if.ts';
import { openGuard } from '../../engine/guard/guarded-plan.ts';
import { choosePlanners, isPlanner, type AuthorRef } from '../../engine/guard/planners.ts';
import type { Step } from '../../engine/protocol.ts';

export type { Recommendation };

export interface AdviseQueryOptions extends EvaluateOptions {
  /** Keep an index only if it cuts the estimated cost by at least this much, in percent. Default 20. */
  thresholdPct?: number;
  /** statement_timeout for every request of the analysis, in milliseconds. Default 10000. */
  statementTimeoutMs?: number;
  /** At most this many recommendations: 1, or 2 for a join that needs an index on each side. Default 2. */
  maxRecommendations?: number;
  /**
   * Who wrote the query, most calls first: role oids as text (pg_stat_statements' userid), or
   * 'current_user'. Default: the session's own role (the CLI's --query, psql's advise()).
   * The query is planned as its author, never as a superuser (engine/guard/planners.ts).
   */
  authors?: readonly AuthorRef[];
}

export interface QueryAdvice {
  /** Best first (lowest estimated cost), at most `maxRecommendations`. */
  recommendations: Recommendation[];
  /** Why the analysis (or part of it) failed; empty when it ran through. */
  errors: string[];
  /** For a `$n` statement: the parameter values it was planned with, or why its generic plan
   * stood in (evaluate-query.ts). */
  parameters?: ParameterEvidence;
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
  return yield* withAnalysisSettings(
    options.statementTimeoutMs ?? 10_000,
    (function* (): Step<QueryAdvice> {
      const [planner] = yield* choosePlanners([options.authors ?? []]);
      if (!planner || !isPlanner(planner)) return { recommendations: [], errors: [planner?.refused ?? 'no planner'] };
      try {
        yield* openGuard([planner]);
        const evaluation = yield* evaluateQuery(query, planner, options);
        const chosen = evaluation.query === null ? [] : yield* choose(evaluation.query, evaluation, thresholdPct, options.maxRecommendations ?? 2);
        return {
          recommendations: chosen.map((c) => {
            const recommendation = recommendationFor(c.evaluated.candidate, c.evaluated.table, { before: evaluation.costBefore, after: c.costAfter, sizeBytes: c.evaluated.sizeBytes });
            return evaluation.parameters ? { ...recommendation, rationale: `${recommendation.rationale}; ${parameterNote(evaluation.parameters)}` } : recommendation;
          }),
          errors: evaluation.errors,
          ...(evaluation.parameters ? { parameters: evaluation.parameters } : {}),
        };
      } catch (error) {
        // The guard could not be set up here (a read-only transaction, standard_conforming_strings off).
        return { recommendations: [], errors: [errorMessage(error)] };
      } finally {
        yield* leaveNothing();
      }
    })(),
  );
}

interface Chosen {
  evaluated: EvaluatedCandidate;
  /** The query's estimated cost with this index and the one chosen before it. */
  costAfter: number;
}

/**
 * The candidate with the lowest estimated cost on its own (then the smallest, then the first
 * proposed: plain keys before their operator-class variants), if the planner uses it and it cuts
 * the cost by the threshold; then, room permitting, the best join pair's second index
 * (join-pairs.ts). One index per table: the others on a table are alternatives, not additions.
 */
function* choose(query: PlannableQuery, evaluation: QueryEvaluation, thresholdPct: number, max: number): Step<Chosen[]> {
  const used = evaluation.evaluated.filter((e) => e.used && e.costAfter < evaluation.costBefore);
  const useful = used.filter((e) => earnsItsInclude(e, used, thresholdPct));
  const first = bestFirst(useful)[0];
  if (!first || max < 1 || improvement(evaluation.costBefore, first.costAfter) < thresholdPct) return [];
  const chosen: Chosen[] = [{ evaluated: first, costAfter: first.costAfter }];
  if (max >= 2) {
    const [pair] = yield* joinPairs(query, useful, thresholdPct);
    if (pair) chosen.push({ evaluated: pair.second, costAfter: pair.cost });
  }
  return chosen;
}
