/**
 * What-if costing with hypopg: the planner's estimate for a query as it is, and as it would be with
 * one more (hypothetical) index. Plain EXPLAIN only: the query is planned, never executed.
 *
 * Glossary
 * - hypothetical index: an index hypopg adds to the planner's view of the catalog for this session
 *   only; it has no data and no file, so only plain EXPLAIN sees it (not EXPLAIN ANALYZE).
 * - hypopg name: what hypopg_create_index calls it, `<oid>btree_<table>_<column>`; the plan's
 *   "Index Name" shows that name when the planner picks the index.
 *
 * Hypothetical indexes are NOT transactional: a ROLLBACK keeps them. Whoever creates one drops it
 * (here, right after its EXPLAIN) and the caller resets hypopg when the analysis ends.
 */
import type { Rows, Step } from '../engine/protocol.ts';
import { closeGuard, explainedRefusal, guardedPlan, guardResult } from '../engine/guard/guarded-plan.ts';
import type { Planner } from '../engine/guard/planners.ts';

export interface PlanCost {
  /** `EXPLAIN (FORMAT JSON, VERBOSE)` output: an array holding one `{ Plan: … }`; with parameter
   * sets, the plan of the set of most weight. */
  plan: unknown;
  /** With parameter sets: each set's plan, in their order. */
  plans: unknown[];
  /** The root node's "Total Cost", in the planner's arbitrary units; with parameter sets, their
   * weighted mean. */
  totalCost: number;
}

export interface CandidateCost {
  /** The name hypopg gave the hypothetical index. */
  hypotheticalName: string;
  /** The planner chose the hypothetical index somewhere in the new plan. */
  used: boolean;
  /** Total cost with the hypothetical index in place. */
  totalCost: number;
  /** hypopg's estimate of the index's size on disk, in bytes. */
  sizeBytes: number;
  plan: unknown;
}

/**
 * Plans `query` and reads its cost, inside the planning guard as `query.planner`
 * (engine/guard/): the text is someone else's code, and PostgreSQL runs functions while planning.
 * A text with `$n` parameters (as pg_stat_statements prints it) gets its generic plan, the one
 * PostgreSQL uses for any values (PREPARE, force_generic_plan, EXPLAIN EXECUTE with one NULL per
 * parameter: one path for PostgreSQL 15 to 17). Each call prepares afresh, so the plan sees the
 * hypothetical indexes of that moment (a cached plan would not).
 *
 * @example
 *   const { totalCost } = yield* explainCost({ text: 'select * from orders where customer_id = 42', hasParameters: false, planner }); // 1943.0
 */
export function* explainCost(query: PlannableQuery): Step<PlanCost> {
  const plans: unknown[] = [];
  for (const { kind, statement, values } of planRequests(query)) plans.push((yield* guardedPlan(query.planner, kind, statement, { values })).plan);
  return combinedCost(query, plans);
}

/** One guarded plan that explainCost needs: the kind, the text, the `$n` values (custom only). */
interface PlanRequest {
  kind: 'explain' | 'generic' | 'custom';
  statement: string;
  values: (string | null)[] | null;
}

/** The plans a query's cost is made of: its parameter sets' (each a custom plan, or a literal sample as sent), else the one plan of its text. */
function planRequests(query: PlannableQuery): PlanRequest[] {
  const sets = query.parameterSets ?? [];
  // The text is one statement (statement-text.ts checked it; the guard runs it through a cursor).
  if (sets.length === 0) return [{ kind: query.hasParameters ? 'generic' : 'explain', statement: query.text, values: null }];
  return sets.map((set) => (set.literal !== undefined ? { kind: 'explain', statement: set.literal, values: null } : { kind: 'custom', statement: query.text, values: [...(set.values ?? [])] }));
}

/** The plans of planRequests, as one cost: with parameter sets, weighted, and the plan of most weight. */
function combinedCost(query: PlannableQuery, plans: readonly unknown[]): PlanCost {
  const sets = query.parameterSets ?? [];
  if (sets.length === 0) return { plan: plans[0], plans: [...plans], totalCost: totalCostOf(plans[0]) };
  let totalCost = 0;
  let heaviest = 0;
  sets.forEach((set, i) => {
    totalCost += set.weight * totalCostOf(plans[i]);
    if (set.weight > sets[heaviest]!.weight) heaviest = i;
  });
  return { plan: plans[heaviest], plans: [...plans], totalCost };
}

/**
 * What explainCost needs of a query: its one statement's text, whether it has `$n`, who plans it,
 * and the parameter sets it stands for (advisor/parameters/): with sets, each is planned as a
 * custom plan (or, a literal sample, as sent) and the costs are weighted; without, a `$n` text
 * gets its generic plan.
 */
export interface PlannableQuery {
  text: string;
  hasParameters: boolean;
  planner: Planner;
  parameterSets?: readonly PlannedSet[];
}

/** One parameter set as explainCost plans it (advisor/parameters/parameter-sets.ts makes them). */
export interface PlannedSet {
  values?: readonly (string | null)[];
  literal?: string;
  weight: number;
}

/**
 * Plans `query` with all of `ddls` (CREATE INDEX statements) in place as hypothetical indexes at
 * once, and drops them again: one CandidateCost per index (the same plan and total cost for all),
 * in the order given. Throws the server's error (bad DDL, bad query) like any request.
 *
 * @example
 *   const [c] = yield* evaluateSet(query, ['CREATE INDEX ON public.orders (customer_id)']);
 *   // { hypotheticalName: '13521btree_orders_customer_id', used: true, totalCost: 12.1, sizeBytes: 2260992, plan }
 */
export function* evaluateSet(query: PlannableQuery, ddls: readonly string[]): Step<CandidateCost[]> {
  return (yield* evaluateSetWithin(query, ddls, Infinity))!;
}

/**
 * evaluateSet, unless hypopg sizes one of the indexes above `maxBytes` (an index bigger than a
 * storage budget cannot be chosen): then null, and nothing is planned. Sizing comes before the
 * plans, which are the expensive part.
 */
export function* evaluateSetWithin(query: PlannableQuery, ddls: readonly string[], maxBytes: number): Step<CandidateCost[] | null> {
  let rows: Rows;
  try {
    rows = yield {
      sql: 'select pg_temp.optischema_hypo_plans($1::text[], $2::float8, $3, $4, $5::jsonb) as result',
      params: [[...ddls], Number.isFinite(maxBytes) ? maxBytes : null, query.planner.role, query.planner.searchPath, JSON.stringify(planRequests(query))],
    };
  } catch (error) {
    throw explainedRefusal(query.planner, error);
  }
  const value = rows[0]?.result;
  const result = (typeof value === 'string' ? JSON.parse(value) : value) as { indexes: { name: string; bytes: number }[]; results: unknown[] | null };
  if (result.results === null) return null;
  const { plan, plans, totalCost } = combinedCost(query, result.results.map((r) => guardResult(r).plan));
  const used = plans.flatMap(indexNames);
  return result.indexes.map((index) => ({ hypotheticalName: index.name, used: used.includes(index.name), totalCost, sizeBytes: Number(index.bytes), plan }));
}

/** A hypothetical index as hypopg made it: its oid and the name plans show. */
export interface HypotheticalIndex {
  indexrelid: number;
  name: string;
}

/** One hypothetical index, through the guard's wrapper of hypopg. */
export function* createHypothetical(ddl: string): Step<HypotheticalIndex> {
  const rows: Rows = yield { sql: 'select indexrelid::int8::float8 as indexrelid, indexname from pg_temp.optischema_hypo_create($1)', params: [ddl] };
  return { indexrelid: Number(rows[0]?.indexrelid), name: String(rows[0]?.indexname ?? '') };
}

export function* dropHypothetical(index: HypotheticalIndex): Step<void> {
  yield { sql: 'select pg_temp.optischema_hypo_drop($1::oid) as dropped', params: [index.indexrelid] };
}

/** Drops every hypothetical index of this session. */
export function* resetHypothetical(): Step<void> {
  yield { sql: 'select pg_temp.optischema_hypo_reset() is null as reset', params: [] };
}

/**
 * Drops this analysis's hypothetical indexes, then the guard. An aborted transaction refuses even
 * this; the Node host rolls back, which takes the guard with it, and resets hypopg itself.
 */
export function* leaveNothing(): Step<void> {
  try {
    yield* resetHypothetical();
    yield* closeGuard();
  } catch {
    // See above: the caller cleans up after its rollback.
  }
}

/** Every "Index Name" in a plan tree, in visiting order. */
export function indexNames(plan: unknown): string[] {
  const names: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (typeof record['Index Name'] === 'string') names.push(record['Index Name']);
    visit(record.Plan);
    visit(record.Plans);
  };
  visit(plan);
  return names;
}


function totalCostOf(plan: unknown): number {
  const root = Array.isArray(plan) ? (plan[0] as { Plan?: { 'Total Cost'?: unknown } } | undefined)?.Plan : undefined;
  const cost = Number(root?.['Total Cost']);
  if (!Number.isFinite(cost)) throw new Error('EXPLAIN returned a plan without a total cost');
  return cost;
}
