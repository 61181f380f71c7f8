/**
 * Index advice for one query, from the planner's own estimates: plan it (with representative
 * values for a `$n` text), read index candidates off the plan, cost each as a hypothetical index
 * (hypopg), and keep the few the planner would use that cut its estimated cost enough: the best
 * index or OR set, then one index per further table while each cuts the cost left by the
 * threshold again (a join of four tables may need three). Candidates hypopg cannot judge (GIN,
 * GiST, a new expression the planner passes over) are proposed beside them with their uncertainty
 * when the scan they would replace is a large share of the query's cost.
 *
 * Errors are data: a query the server refuses (unknown column, syntax error, timeout) gives
 * `{ recommendations: [], errors: [message] }`; the step never throws for a bad query.
 */
import {
  type ParameterEvidence, earnsItsInclude, parameterNote, errorMessage, evaluateQuery, withAnalysisSettings, type EvaluatedCandidate, type EvaluateOptions, type QueryEvaluation } from './evaluate-query.ts';
import { improvement, recommendationFor, unjudgedRecommendation, type Recommendation } from '../recommendation/recommendation.ts';
import { bestFirst } from './index-chain.ts';
import { indexDdl } from '../candidates/index-names.ts';
import { evaluateSet, leaveNothing, type PlannableQuery } from '../../plan/what-if.ts';
import { openGuard } from '../../engine/guard/guarded-plan.ts';
import { choosePlanners, isPlanner, type AuthorRef } from '../../engine/guard/planners.ts';
import type { Step } from '../../engine/protocol.ts';

export type { Recommendation };

export interface AdviseQueryOptions extends EvaluateOptions {
  /** Keep an index only if it cuts the estimated cost by at least this much, in percent. Default 20. */
  thresholdPct?: number;
  /** statement_timeout for every request of the analysis, in milliseconds. Default 10000. */
  statementTimeoutMs?: number;
  /** At most this many recommendations. Default: no cap, the estimates decide. */
  maxRecommendations?: number;
  /**
   * Who wrote the query, most calls first: role oids as text (pg_stat_statements' userid), or
   * 'current_user'. Default: the session's own role (the CLI's --query, psql's advise()).
   * The query is planned as its author, never as a superuser (engine/guard/planners.ts).
   */
  authors?: readonly AuthorRef[];
}

export interface QueryAdvice {
  /** Best first; those built together say so (`together`), those hypopg could not judge carry
   * their `uncertainty`. At most `maxRecommendations`. */
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
        const chosen = evaluation.query === null ? [] : yield* choose(evaluation.query, evaluation, thresholdPct);
        const note = evaluation.parameters ? `; ${parameterNote(evaluation.parameters)}` : '';
        const recommendations = [
          ...chosen.map((c) => {
            const recommendation = recommendationFor(c.evaluated.candidate, c.evaluated.table, { before: evaluation.costBefore, after: c.costAfter, sizeBytes: c.evaluated.sizeBytes });
            const together = c.together.length > 0 ? { together: c.together } : {};
            return { ...recommendation, ...together, rationale: `${recommendation.rationale}${c.note}${note}` };
          }),
          ...unjudgedFor(evaluation, chosen, thresholdPct).map((u) => {
            const recommendation = unjudgedRecommendation(u.candidate, u.table, evaluation.costBefore, u.scanShare, u.why);
            return { ...recommendation, rationale: `${recommendation.rationale}${note}` };
          }),
        ];
        return {
          recommendations: recommendations.slice(0, options.maxRecommendations ?? Infinity),
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
  /** The query's estimated cost with this index and those chosen before it. */
  costAfter: number;
  /** The other indexes (CREATE INDEX CONCURRENTLY …) this one's estimate needs in place. */
  together: string[];
  /** Said in the rationale: how it was costed, when not alone. */
  note: string;
}

/**
 * The candidate or OR set with the lowest estimated cost (then the smallest, then the first
 * proposed: plain keys before their operator-class variants), if the planner uses it and it cuts
 * the cost by the threshold; then, one table at a time, the best candidate of another table that
 * cuts the cost left by the threshold again with everything chosen so far in place (a join needs
 * an index on each side, the second helping only once the first is there). One index per table
 * and arm: the others on a table are alternatives, not additions.
 */
function* choose(query: PlannableQuery, evaluation: QueryEvaluation, thresholdPct: number): Step<Chosen[]> {
  const used = evaluation.evaluated.filter((e) => e.used && e.costAfter < evaluation.costBefore);
  const useful = used.filter((e) => earnsItsInclude(e, used, thresholdPct));
  const first = smallAtNearlyTheSameSaving(bestFirst(useful), evaluation.costBefore);
  const set = [...evaluation.sets].filter((s) => s.used).sort((a, b) => a.costAfter - b.costAfter)[0];
  const setWins = set !== undefined && (first === undefined || set.costAfter < first.costAfter);
  const start = setWins ? set.costAfter : first?.costAfter;
  if (start === undefined || improvement(evaluation.costBefore, start) < thresholdPct) return [];
  const sqlOf = (e: EvaluatedCandidate): string => indexDdl(e.candidate, { concurrently: e.table.kind !== 'p' });
  const chosen: Chosen[] = setWins
    ? set.members.map((m) => ({
        evaluated: m,
        costAfter: set.costAfter,
        together: set.members.filter((o) => o !== m).map(sqlOf),
        note: `; costed together with the other ${set.members.length - 1} index(es) of this OR: the planner combines them in a BitmapOr and uses none alone`,
      }))
    : [{ evaluated: first!, costAfter: first!.costAfter, together: [], note: '' }];

  const tableOf = (e: EvaluatedCandidate): string => `${e.table.schema}.${e.table.table}`;
  let cost = start;
  for (;;) {
    const taken = new Set(chosen.map((c) => tableOf(c.evaluated)));
    const others = new Map<string, EvaluatedCandidate>();
    for (const e of bestFirst(useful)) if (!taken.has(tableOf(e)) && !others.has(tableOf(e))) others.set(tableOf(e), e);
    let best: { e: EvaluatedCandidate; cost: number } | null = null;
    for (const e of others.values()) {
      const costs = yield* evaluateSet(query, [...chosen.map((c) => c.evaluated.ddl), e.ddl]);
      const after = costs[0]!.totalCost;
      if (costs[costs.length - 1]!.used && improvement(cost, after) >= thresholdPct && (best === null || after < best.cost)) best = { e, cost: after };
    }
    if (best === null) return chosen;
    const before = chosen.map((c) => sqlOf(c.evaluated));
    chosen.push({ evaluated: best.e, costAfter: best.cost, together: before, note: `; costed with ${before.length === 1 ? 'the index' : 'the indexes'} chosen before it in place (a join needs one on each side)` });
    cost = best.cost;
  }
}

/** Within this many percentage points of the best saving, an index this many times smaller wins. */
const NEARLY_THE_SAME_SAVING_PCT = 2;
const MUCH_SMALLER = 4;

/**
 * The best candidate, unless one saves nearly as much at a fraction of its size: `(updated_at)
 * WHERE archived` for 1.5 % of the rows against `(archived, updated_at)` for all of them, whose
 * last few cost units are not worth 60 times the index.
 */
function smallAtNearlyTheSameSaving(sorted: readonly EvaluatedCandidate[], costBefore: number): EvaluatedCandidate | undefined {
  const best = sorted[0];
  if (best === undefined) return undefined;
  const bar = improvement(costBefore, best.costAfter) - NEARLY_THE_SAME_SAVING_PCT;
  const smaller = sorted.filter((e) => improvement(costBefore, e.costAfter) >= bar && e.sizeBytes * MUCH_SMALLER <= best.sizeBytes);
  return smaller.sort((a, b) => a.sizeBytes - b.sizeBytes || a.costAfter - b.costAfter)[0] ?? best;
}

/**
 * Unjudged candidates worth proposing: on a table no chosen index is on, whose scans take at least
 * the threshold's share of the query's estimated cost; one per table, the first proposed.
 */
function unjudgedFor(evaluation: QueryEvaluation, chosen: readonly Chosen[], thresholdPct: number) {
  const taken = new Set(chosen.map((c) => `${c.evaluated.table.schema}.${c.evaluated.table.table}`));
  return evaluation.unjudged.filter((u) => {
    const table = `${u.table.schema}.${u.table.table}`;
    if (taken.has(table) || u.scanShare * 100 < thresholdPct) return false;
    taken.add(table);
    return true;
  });
}
