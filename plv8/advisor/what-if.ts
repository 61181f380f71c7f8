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
 * Plans `query` (literal values only: a `$n` has no value to plan with here) and reads its cost.
 *
 * @example
 *   const { totalCost } = yield* explainCost('select * from orders where customer_id = 42'); // 1943.0
 */
export function* explainCost(query: string): Step<PlanCost> {
  // The text is the caller's statement; hosts run each request as exactly one statement (protocol.ts).
  const rows: Rows = yield { sql: `EXPLAIN (FORMAT JSON, VERBOSE) ${query}`, params: [] };
  const plan = planOf(rows);
  return { plan, totalCost: totalCostOf(plan) };
}

/**
 * Adds the hypothetical index `ddl` (a CREATE INDEX statement), plans `query` again, and drops the
 * index. Throws the server's error (bad DDL, bad query) like any request.
 *
 * @example
 *   const c = yield* evaluateCandidate(query, 'CREATE INDEX ON public.orders (customer_id)');
 *   // { hypotheticalName: '13521btree_orders_customer_id', used: true, totalCost: 12.1, sizeBytes: 2260992, plan }
 */
export function* evaluateCandidate(query: string, ddl: string): Step<CandidateCost> {
  const created: Rows = yield { sql: 'select indexrelid::int8::float8 as indexrelid, indexname from hypopg_create_index($1)', params: [ddl] };
  const indexrelid = Number(created[0]?.indexrelid);
  const hypotheticalName = String(created[0]?.indexname ?? '');
  try {
    const { plan, totalCost } = yield* explainCost(query);
    const sized: Rows = yield { sql: 'select hypopg_relation_size($1::oid)::float8 as bytes', params: [indexrelid] };
    return { hypotheticalName, used: indexNames(plan).includes(hypotheticalName), totalCost, sizeBytes: Number(sized[0]?.bytes ?? 0), plan };
  } finally {
    yield { sql: 'select hypopg_drop_index($1::oid) as dropped', params: [indexrelid] };
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
function planOf(rows: Rows): unknown {
  const value = rows[0]?.['QUERY PLAN'];
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

function totalCostOf(plan: unknown): number {
  const root = Array.isArray(plan) ? (plan[0] as { Plan?: { 'Total Cost'?: unknown } } | undefined)?.Plan : undefined;
  const cost = Number(root?.['Total Cost']);
  if (!Number.isFinite(cost)) throw new Error('EXPLAIN returned a plan without a total cost');
  return cost;
}
