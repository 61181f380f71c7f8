/**
 * Plan insights: the problems an `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` plan shows, one rule
 * per module, each with its thresholds (from PEV2 and explain.depesz.com where they have one).
 * Pure and sans-IO: plan JSON and table statistics in, insights out; plv8 and Node both run it.
 *
 * @example
 *   const insights = planInsights(explain[0], { query: 'select * from t where b = 1 and c = 1' });
 *   // [{ rule: 'row_misestimate', severity: 'warning', node: { nodeType: 'Seq Scan', relation: 'public.t', path: [] }, … },
 *   //  { rule: 'correlated_columns', …, fix: { sql: 'CREATE STATISTICS public.t_b_c_stat (dependencies, mcv) ON b, c FROM public.t;\nANALYZE public.t;', … } }]
 */
import { EXPLAIN } from '../explain-keys.ts';
import { diskSpill } from './disk-spill.ts';
import { filterDiscardsRows } from './filter-discards-rows.ts';
import { heapFetches } from './heap-fetches.ts';
import { jitOnShortQuery } from './jit-on-short-query.ts';
import { largeOffset } from './large-offset.ts';
import { lossyBitmap } from './lossy-bitmap.ts';
import { nestedLoopMisestimate } from './nested-loop-misestimate.ts';
import { parallelNotLaunched } from './parallel-not-launched.ts';
import { walkPlan } from './plan-tree.ts';
import { rowMisestimate } from './row-misestimate.ts';
import type { InsightContext, InsightRoot, PlanInsight } from './types.ts';

export type { InsightContext, InsightFix, InsightNode, InsightRoot, PlanInsight, Severity, TableStats } from './types.ts';
export { EXCLUDED_SCHEMAS } from './plan-tree.ts';

/** The rule names, fixed (benchmarks and stored recommendations match on them). */
export const PLAN_INSIGHT_RULES = [
  'row_misestimate',
  'stale_statistics',
  'correlated_columns',
  'filter_discards_rows',
  'disk_spill',
  'lossy_bitmap',
  'heap_fetches',
  'large_offset',
  'nested_loop_misestimate',
  'parallel_not_launched',
  'jit_on_short_query',
] as const;

/** Every insight of one plan, in plan order (root first), then the whole-query ones (JIT). */
export function planInsights(root: InsightRoot, context: InsightContext = {}): PlanInsight[] {
  const nodes = walkPlan(root[EXPLAIN.plan]);
  const tables = context.tables ?? [];
  const insights: PlanInsight[] = [];
  for (const visited of nodes) {
    const children = nodes.filter((n) => n.parent === visited);
    insights.push(
      ...rowMisestimate(visited, children, tables),
      ...filterDiscardsRows(visited),
      ...diskSpill(visited),
      ...lossyBitmap(visited),
      ...heapFetches(visited),
      ...largeOffset(visited, context.query),
      ...nestedLoopMisestimate(visited),
      ...parallelNotLaunched(visited),
    );
  }
  insights.push(...jitOnShortQuery(root));
  return insights;
}
