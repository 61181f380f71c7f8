/**
 * What-if planning for many queries at once: create a set of hypothetical indexes once, plan every
 * query that needs them, drop them again (what-if.ts creates and drops per query, which costs two
 * round trips and a size lookup per EXPLAIN). Results are cached per (query text, index DDLs).
 */
import { errorMessage } from '../query/evaluate-query.ts';
import { createHypothetical, dropHypothetical, explainCost, indexNames, withHypothetical, type HypotheticalIndex, type PlannableQuery } from '../../plan/what-if.ts';
import type { Step } from '../../engine/protocol.ts';

export interface PlannedWithIndexes {
  /** Estimated total cost with the indexes in place; null when the query could not be planned. */
  totalCost: number | null;
  /** Per index (in the order given): the plan uses it. */
  used: boolean[];
  error?: string;
}

/**
 * (query text, DDLs) → planned cost, shared by the steps of one run or kept by a caller across
 * runs (costs go stale as data changes: keep it no longer than the statistics stay the same).
 */
export type WhatIfCache = Map<string, PlannedWithIndexes>;

export function whatIfKey(query: string, ddls: readonly string[]): string {
  return `${query}\u0000${ddls.join('\u0000')}`;
}

/**
 * Plans each query with all of `ddls` in place as hypothetical indexes. A query the server refuses
 * gets `{ totalCost: null, error }`; an index hypopg refuses throws (nothing is planned then).
 *
 * @example
 *   yield* planWithIndexes(['CREATE INDEX orders_customer_id_idx ON public.orders (customer_id)'], [q1, q2], cache)
 *   // [{ totalCost: 12.1, used: [true] }, { totalCost: 1887, used: [false] }]
 */
export function* planWithIndexes(ddls: readonly string[], queries: readonly PlannableQuery[], cache: WhatIfCache = new Map()): Step<PlannedWithIndexes[]> {
  const out: (PlannedWithIndexes | undefined)[] = queries.map((q) => cache.get(whatIfKey(q.text, ddls)));
  if (out.every((r) => r !== undefined)) return out as PlannedWithIndexes[];
  return yield* withHypothetical(ddls, function* (created) {
    for (const [n, query] of queries.entries()) {
      if (out[n] !== undefined) continue;
      out[n] = yield* planOne(query, created);
      cache.set(whatIfKey(query.text, ddls), out[n]!);
    }
    return out as PlannedWithIndexes[];
  });
}

/** One query planned with `created` in place; a refusal is a result with its error. */
function* planOne(query: PlannableQuery, created: readonly HypotheticalIndex[]): Step<PlannedWithIndexes> {
  try {
    const { plans, totalCost } = yield* explainCost(query);
    const names = plans.flatMap(indexNames);
    return { totalCost, used: created.map((index) => names.includes(index.name)) };
  } catch (error) {
    return { totalCost: null, used: created.map(() => false), error: errorMessage(error) };
  }
}

/**
 * Hypothetical indexes kept in place between requests: the selection plans set after set, each
 * differing from the last by an index or two, and creating and dropping a whole set of a dozen
 * for every request cost more than the plans. Nothing else may plan while a workspace holds
 * indexes (they would be in every plan): clear it when done.
 */
export interface HypotheticalWorkspace {
  present: Map<string, HypotheticalIndex>;
}

export function newWorkspace(): HypotheticalWorkspace {
  return { present: new Map() };
}

/** planWithIndexes, with the workspace changed to hold exactly `ddls` first (only what differs). */
export function* planInWorkspace(workspace: HypotheticalWorkspace, ddls: readonly string[], queries: readonly PlannableQuery[], cache: WhatIfCache): Step<PlannedWithIndexes[]> {
  const out: (PlannedWithIndexes | undefined)[] = queries.map((q) => cache.get(whatIfKey(q.text, ddls)));
  if (out.every((r) => r !== undefined)) return out as PlannedWithIndexes[];
  const wanted = new Set(ddls);
  for (const [ddl, index] of [...workspace.present]) {
    if (wanted.has(ddl)) continue;
    yield* dropHypothetical(index);
    workspace.present.delete(ddl);
  }
  for (const ddl of ddls) if (!workspace.present.has(ddl)) workspace.present.set(ddl, yield* createHypothetical(ddl));
  const created = ddls.map((ddl) => workspace.present.get(ddl)!);
  for (const [n, query] of queries.entries()) {
    if (out[n] !== undefined) continue;
    out[n] = yield* planOne(query, created);
    cache.set(whatIfKey(query.text, ddls), out[n]!);
  }
  return out as PlannedWithIndexes[];
}

/** Drops what the workspace holds. */
export function* clearWorkspace(workspace: HypotheticalWorkspace): Step<void> {
  for (const index of workspace.present.values()) yield* dropHypothetical(index);
  workspace.present.clear();
}
