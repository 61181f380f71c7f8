/**
 * What-if planning for many queries at once: create a set of hypothetical indexes once, plan every
 * query that needs them, drop them again (what-if.ts creates and drops per query, which costs two
 * round trips and a size lookup per EXPLAIN). Results are cached per (query text, index DDLs).
 */
import { errorMessage } from '../query/evaluate-query.ts';
import { createHypothetical, dropHypothetical, explainCost, indexNames, type HypotheticalIndex, type PlannableQuery } from '../../plan/what-if.ts';
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
export function* planWithIndexes(ddls: readonly string[], queries: readonly PlannableQuery[], cache: WhatIfCache = new Map(), relevance: Relevance = everyIndex): Step<PlannedWithIndexes[]> {
  const workspace = newWorkspace();
  try {
    return yield* planInWorkspace(workspace, ddls, queries, cache, relevance);
  } finally {
    yield* clearWorkspace(workspace);
  }
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

/**
 * Which of a set's indexes can change a query's plan: those on the tables it reads. An index on a
 * table the statement never scans is not in any of its plans, so its cost with the set is its cost
 * with the relevant part, and that part is what the cache is keyed by: a selection that adds an
 * index on `orders` does not plan the statements on `lineitem` again.
 */
export type Relevance = (query: PlannableQuery, ddls: readonly string[]) => readonly string[];

const everyIndex: Relevance = (_query, ddls) => ddls;

/**
 * planWithIndexes, with the workspace changed to hold exactly `ddls` first (only what differs);
 * results are cached under each query's relevant indexes.
 */
export function* planInWorkspace(workspace: HypotheticalWorkspace, ddls: readonly string[], queries: readonly PlannableQuery[], cache: WhatIfCache, relevance: Relevance = everyIndex): Step<PlannedWithIndexes[]> {
  const relevant = queries.map((q) => relevance(q, ddls));
  const keys = queries.map((q, n) => whatIfKey(q.text, relevant[n]!));
  /** A result cached for the relevant indexes, with `used` for every one of `ddls`. */
  const widen = (result: PlannedWithIndexes, n: number): PlannedWithIndexes => {
    const own = relevant[n]!;
    return own.length === ddls.length ? result : { ...result, used: ddls.map((ddl) => result.used[own.indexOf(ddl)] ?? false) };
  };
  const out: (PlannedWithIndexes | undefined)[] = keys.map((key, n) => {
    const hit = cache.get(key);
    return hit && widen(hit, n);
  });
  if (out.every((r) => r !== undefined)) return out as PlannedWithIndexes[];
  const wanted = new Set(ddls);
  for (const [ddl, index] of [...workspace.present]) {
    if (wanted.has(ddl)) continue;
    yield* dropHypothetical(index);
    workspace.present.delete(ddl);
  }
  for (const ddl of ddls) if (!workspace.present.has(ddl)) workspace.present.set(ddl, yield* createHypothetical(ddl));
  for (const [n, query] of queries.entries()) {
    if (out[n] !== undefined) continue;
    const created = relevant[n]!.map((ddl) => workspace.present.get(ddl)!);
    const result = yield* planOne(query, created);
    cache.set(keys[n]!, result);
    out[n] = widen(result, n);
  }
  return out as PlannedWithIndexes[];
}

/** Drops what the workspace holds. */
export function* clearWorkspace(workspace: HypotheticalWorkspace): Step<void> {
  for (const index of workspace.present.values()) yield* dropHypothetical(index);
  workspace.present.clear();
}
