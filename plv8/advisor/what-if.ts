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

export interface PlanCost {
  /** `EXPLAIN (FORMAT JSON, VERBOSE)` output: an array holding one `{ Plan: … }`. */
  plan: unknown;
  /** The root node's "Total Cost", in the planner's arbitrary units. */
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
 * Plans `query` and reads its cost. A text with `$n` parameters (as pg_stat_statements prints it)
 * gets its generic plan, the one PostgreSQL uses for any values: PREPARE under a fresh name, then
 * EXPLAIN EXECUTE with one NULL per parameter while plan_cache_mode = force_generic_plan (the
 * caller sets it), then DEALLOCATE. The NULLs are never looked at: a generic plan does not depend
 * on values. Each call prepares afresh, so the plan sees the hypothetical indexes of that moment
 * (a cached plan would not). EXPLAIN (GENERIC_PLAN) of PG 16 is not used: one path for 15 to 17.
 *
 * @example
 *   const { totalCost } = yield* explainCost({ text: 'select * from orders where customer_id = 42', hasParameters: false }); // 1943.0
 */
export function* explainCost(query: PlannableQuery): Step<PlanCost> {
  // The text is one statement (statement-text.ts checked it, and hosts run each request as one).
  if (!query.hasParameters) return costOf(yield { sql: `EXPLAIN (FORMAT JSON, VERBOSE) ${query.text}`, params: [] });
  const name = `optischema_advice_${Math.random().toString(36).slice(2, 10)}`;
  yield { sql: `PREPARE ${name} AS ${query.text}`, params: [], command: true };
  try {
    const types: Rows = yield { sql: 'select coalesce(cardinality(parameter_types), 0)::int as n from pg_prepared_statements where name = $1', params: [name] };
    const count = Number(types[0]?.n ?? 0);
    const nulls = count === 0 ? '' : `(${Array.from({ length: count }, () => 'NULL').join(', ')})`;
    return costOf(yield { sql: `EXPLAIN (FORMAT JSON, VERBOSE) EXECUTE ${name}${nulls}`, params: [] });
  } finally {
    yield { sql: `DEALLOCATE ${name}`, params: [], command: true };
  }
}

/** What explainCost needs of a query: its one statement's text and whether it has `$n`. */
export interface PlannableQuery {
  text: string;
  hasParameters: boolean;
}

/**
 * Adds the hypothetical index `ddl` (a CREATE INDEX statement), plans `query` again, and drops the
 * index. Throws the server's error (bad DDL, bad query) like any request.
 *
 * @example
 *   const c = yield* evaluateCandidate(query, 'CREATE INDEX ON public.orders (customer_id)');
 *   // { hypotheticalName: '13521btree_orders_customer_id', used: true, totalCost: 12.1, sizeBytes: 2260992, plan }
 */
export function* evaluateCandidate(query: PlannableQuery, ddl: string): Step<CandidateCost> {
  const [result] = yield* evaluateSet(query, [ddl]);
  return result!;
}

/**
 * Plans `query` with all of `ddls` in place as hypothetical indexes at once, and drops them again:
 * one CandidateCost per index (the same plan and total cost for all), in the order given.
 */
export function* evaluateSet(query: PlannableQuery, ddls: readonly string[]): Step<CandidateCost[]> {
  const created: { indexrelid: number; name: string }[] = [];
  try {
    for (const ddl of ddls) {
      const rows: Rows = yield { sql: 'select indexrelid::int8::float8 as indexrelid, indexname from hypopg_create_index($1)', params: [ddl] };
      created.push({ indexrelid: Number(rows[0]?.indexrelid), name: String(rows[0]?.indexname ?? '') });
    }
    const { plan, totalCost } = yield* explainCost(query);
    const used = indexNames(plan);
    const out: CandidateCost[] = [];
    for (const index of created) {
      const sized: Rows = yield { sql: 'select hypopg_relation_size($1::oid)::float8 as bytes', params: [index.indexrelid] };
      out.push({ hypotheticalName: index.name, used: used.includes(index.name), totalCost, sizeBytes: Number(sized[0]?.bytes ?? 0), plan });
    }
    return out;
  } finally {
    for (const index of created) yield { sql: 'select hypopg_drop_index($1::oid) as dropped', params: [index.indexrelid] };
  }
}

/** Drops every hypothetical index of this session. */
export function* resetHypothetical(): Step<void> {
  yield { sql: 'select hypopg_reset() is null as reset', params: [] };
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

/** The JSON plan from EXPLAIN's one row; node-postgres hands json back parsed, plv8 may hand text. */
export function planOf(rows: Rows): unknown {
  const value = rows[0]?.['QUERY PLAN'];
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

function costOf(rows: Rows): PlanCost {
  const plan = planOf(rows);
  return { plan, totalCost: totalCostOf(plan) };
}

function totalCostOf(plan: unknown): number {
  const root = Array.isArray(plan) ? (plan[0] as { Plan?: { 'Total Cost'?: unknown } } | undefined)?.Plan : undefined;
  const cost = Number(root?.['Total Cost']);
  if (!Number.isFinite(cost)) throw new Error('EXPLAIN returned a plan without a total cost');
  return cost;
}
