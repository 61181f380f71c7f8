/**
 * A statement that joins tables often needs an index on each side, and the second helps only once
 * the first is there: single-index what-if costs cannot show it. Both per-query and workload advice
 * therefore plan the statement's best candidate together with the best candidate of each other
 * table it reads, and keep a pair that cuts the cost the first leaves by the threshold again.
 */
import type { EvaluatedCandidate } from './evaluate-query.ts';
import { improvement } from '../recommendation/recommendation.ts';
import { evaluateSet, type PlannableQuery } from '../../plan/what-if.ts';
import type { Step } from '../../engine/protocol.ts';

export interface JoinPair {
  first: EvaluatedCandidate;
  second: EvaluatedCandidate;
  /** The statement's estimated cost with both indexes in place. */
  cost: number;
}

/** Lowest estimated cost first, then the smallest, then the DDL: a stable order. */
export function bestFirst(candidates: readonly EvaluatedCandidate[]): EvaluatedCandidate[] {
  return [...candidates].sort((a, b) => a.costAfter - b.costAfter || a.sizeBytes - b.sizeBytes || a.ddl.localeCompare(b.ddl));
}

/**
 * The pairs worth keeping among `useful` (candidates the planner used that lowered the cost), best
 * first: the best candidate with the best of each other table.
 *
 * @example
 *   yield* joinPairs(query, useful, 20)
 *   // [{ first: orders (customer_id), second: order_items (order_id), cost: 41.2 }]
 */
export function* joinPairs(query: PlannableQuery, useful: readonly EvaluatedCandidate[], thresholdPct: number): Step<JoinPair[]> {
  const sorted = bestFirst(useful);
  const first = sorted[0];
  if (!first) return [];
  const tableOf = (e: EvaluatedCandidate): string => `${e.table.schema}.${e.table.table}`;
  const others = new Map<string, EvaluatedCandidate>();
  for (const e of sorted) if (tableOf(e) !== tableOf(first) && !others.has(tableOf(e))) others.set(tableOf(e), e);
  const pairs: JoinPair[] = [];
  for (const second of others.values()) {
    const [withFirst, withSecond] = yield* evaluateSet(query, [first.ddl, second.ddl]);
    if (withFirst!.used && withSecond!.used && improvement(first.costAfter, withSecond!.totalCost) >= thresholdPct) {
      pairs.push({ first, second, cost: withSecond!.totalCost });
    }
  }
  return pairs.sort((a, b) => a.cost - b.cost);
}
