/**
 * Indexes that help a statement only together: a join needs an index on each side, the second
 * helping only once the first is there; a self-join (`lineitem l1 … exists (… lineitem l2 …)`)
 * needs two indexes on one table, one per way it is scanned. Single-index what-if costs cannot show
 * either. Workload advice therefore grows a chain per statement: its best candidate, then, with
 * everything before in place, the candidate that lowers the cost the most, while each cuts the
 * cost left by the threshold again; every prefix of two or more is a measured group the selection
 * may buy at once.
 */
import type { EvaluatedCandidate } from './evaluate-query.ts';
import { improvement } from '../recommendation/recommendation.ts';
import { evaluateSet, type PlannableQuery } from '../../plan/what-if.ts';
import type { Step } from '../../engine/protocol.ts';

/** At most this many indexes in a chain. */
export const MAX_CHAIN = 4;
/** Each link tries at most this many of the statement's best single candidates: EXPLAINs stay bounded. */
export const MAX_CHAIN_TRIED = 8;

export interface CostedGroup {
  members: EvaluatedCandidate[];
  /** The statement's estimated cost with all members in place. */
  cost: number;
}

/** Lowest estimated cost first, then the smallest, then the DDL: a stable order. */
export function bestFirst(candidates: readonly EvaluatedCandidate[]): EvaluatedCandidate[] {
  return [...candidates].sort((a, b) => a.costAfter - b.costAfter || a.sizeBytes - b.sizeBytes || a.ddl.localeCompare(b.ddl));
}

/**
 * The chain's prefixes of two or more, shortest first, from `useful` (candidates the planner used
 * that lowered the cost). A link is kept only when the planner uses it and it cuts the cost left
 * by `thresholdPct`; alternatives on one key (`(a)` and `(a) INCLUDE (b)`) rarely pass that bar
 * together, so they are not excluded by rule.
 *
 * @example
 *   yield* indexChain(query, useful, 5)
 *   // [{ members: [orders (customer_id), order_items (order_id)], cost: 41.2 }]
 */
export function* indexChain(query: PlannableQuery, useful: readonly EvaluatedCandidate[], thresholdPct: number): Step<CostedGroup[]> {
  const tried = bestFirst(useful).slice(0, MAX_CHAIN_TRIED);
  const first = tried[0];
  if (!first) return [];
  const chain = [first];
  let cost = first.costAfter;
  const groups: CostedGroup[] = [];
  while (chain.length < MAX_CHAIN) {
    let best: { e: EvaluatedCandidate; cost: number } | null = null;
    for (const e of tried) {
      if (chain.includes(e)) continue;
      const costs = yield* evaluateSet(query, [...chain.map((c) => c.ddl), e.ddl]);
      const after = costs[0]!.totalCost;
      if (costs[costs.length - 1]!.used && improvement(cost, after) >= thresholdPct && (best === null || after < best.cost)) best = { e, cost: after };
    }
    if (best === null) break;
    chain.push(best.e);
    cost = best.cost;
    groups.push({ members: [...chain], cost });
  }
  return groups;
}
