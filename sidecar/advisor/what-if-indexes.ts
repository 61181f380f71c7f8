import type pg from 'pg';
import { errorMessage } from '../../plv8/advisor/query/evaluate-query.ts';
import { closeGuard, openGuard } from '../../plv8/engine/guard/guarded-plan.ts';
import { choosePlanners, isPlanner, type AuthorRef } from '../../plv8/engine/guard/planners.ts';
import type { Step } from '../../plv8/engine/protocol.ts';
import { evaluateSet, explainCost, indexNames, resetHypothetical, type PlannableQuery } from '../../plv8/plan/what-if.ts';
import { inRolledBackTransaction } from '../plans/rolled-back-transaction.ts';
import { checkStatement, StatementError } from '../plans/statement-check.ts';
import { withSavepoints } from './advise.ts';
import { ensureAnalysisRole } from './ensure-analysis-role.ts';
import { ensureHypopg } from './ensure-hypopg.ts';
import { resetHypopg } from './reset-hypopg.ts';
import { runStep } from './run-step.ts';

/** One set of hypothetical indexes, costed together. */
export interface WhatIfSet {
  ddls: string[];
  /** The query's estimated total cost with the set in place (planner units). */
  costAfter?: number;
  /** Per index of the set, in order: the planner chose it somewhere in the plan. */
  used?: boolean[];
  /** hypopg's size estimates, bytes, in order. */
  sizeBytes?: number[];
  /** The server refused the set: an unknown table or column, a bad DDL. */
  error?: string;
}

export interface WhatIfResult {
  costBefore: number;
  sets: WhatIfSet[];
}

/**
 * The planner's estimate of `query` as it is and with each set of indexes in place (hypopg), for
 * someone who proposes indexes the engine did not choose itself: the AI review's `what_if` tool and
 * its verification. The query is planned as its author inside the planning guard, in a transaction
 * that is rolled back, and hypopg is reset afterwards; a set the server refuses comes back with
 * its error, the others are still costed.
 *
 * @example
 *   const r = await whatIfIndexes(client, 'select * from orders where customer_id = 42', [['CREATE INDEX ON public.orders (customer_id)']]);
 *   // { costBefore: 1943, sets: [{ ddls: […], costAfter: 12.1, used: [true], sizeBytes: [2260992] }] }
 */
export async function whatIfIndexes(
  client: pg.ClientBase,
  query: string,
  sets: readonly (readonly string[])[],
  options: { authors?: readonly AuthorRef[]; statementTimeoutMs?: number } = {},
): Promise<WhatIfResult> {
  const statement = await checkStatement(query);
  await ensureHypopg(client);
  await ensureAnalysisRole(client);
  const limits = { statementTimeoutMs: options.statementTimeoutMs ?? 10_000, lockTimeoutMs: 2_000, mode: 'read write' as const };
  try {
    return await inRolledBackTransaction(client, limits, () =>
      runStep(costSets(query, statement.parameterCount > 0, sets, options.authors ?? []), withSavepoints(client)),
    );
  } finally {
    // Hypothetical indexes outlive a rollback.
    await resetHypopg(client);
  }
}

function* costSets(text: string, hasParameters: boolean, sets: readonly (readonly string[])[], authors: readonly AuthorRef[]): Step<WhatIfResult> {
  const [planner] = yield* choosePlanners([authors]);
  if (!planner || !isPlanner(planner)) throw new StatementError(planner?.refused ?? 'no role to plan the statement as');
  yield* openGuard([planner]);
  try {
    const query: PlannableQuery = { text, hasParameters, planner };
    const { totalCost: costBefore } = yield* explainCost(query);
    const results: WhatIfSet[] = [];
    for (const ddls of sets) {
      try {
        const costs = yield* evaluateSet(query, ddls);
        const used = indexNames(costs[0]?.plan);
        results.push({
          ddls: [...ddls],
          costAfter: costs[0]?.totalCost ?? costBefore,
          used: costs.map((c) => used.includes(c.hypotheticalName)),
          sizeBytes: costs.map((c) => c.sizeBytes),
        });
      } catch (error) {
        results.push({ ddls: [...ddls], error: errorMessage(error) });
      }
    }
    return { costBefore, sets: results };
  } finally {
    try {
      yield* resetHypothetical();
      yield* closeGuard();
    } catch {
      // An aborted transaction refuses even this; the rollback and resetHypopg clean up.
    }
  }
}
