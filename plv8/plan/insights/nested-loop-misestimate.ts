/**
 * nested_loop_misestimate: a Nested Loop chosen because its outer side looked small, while it was
 * large: the inner side then ran once per outer row, thousands of times. The cure is the outer
 * estimate (see row_misestimate and its cause on the same plan); the planner then picks a hash or
 * merge join by itself.
 */
import { EXPLAIN } from '../explain-keys.ts';
import { childrenOf, count, loopsOf, nodeRef, num, relationText, walkPlan, type VisitedNode } from './plan-tree.ts';
import { MISESTIMATE_INFO, MISESTIMATE_MIN_ROWS } from './row-misestimate.ts';
import type { PlanInsight } from './types.ts';

/** Inner-side executions from which a nested loop's repeated work dominates: OptiSchema's line (PEV2 shows loops, without a threshold). */
export const NESTED_LOOP_MIN_INNER_LOOPS = 1000;

export function nestedLoopMisestimate(visited: VisitedNode): PlanInsight[] {
  if (visited.nodeType !== 'Nested Loop') return [];
  const [outer, inner] = childrenOf(visited.node);
  if (!outer || !inner) return [];
  const planned = num(outer, EXPLAIN.planRows);
  const actual = num(outer, EXPLAIN.actualRows);
  const innerLoops = loopsOf(inner);
  if (planned === undefined || actual === undefined || actual < MISESTIMATE_MIN_ROWS) return [];
  const factor = actual / Math.max(planned, 1);
  if (factor < MISESTIMATE_INFO || innerLoops < NESTED_LOOP_MIN_INNER_LOOPS) return [];
  // Name the outer side's relation: the one whose estimate needs fixing.
  const outerVisited = walkPlan(outer).find((v) => v.relation !== undefined);
  const ref = nodeRef(visited);
  const relation = outerVisited?.relation ? relationText(outerVisited.relation) : undefined;
  return [
    {
      rule: 'nested_loop_misestimate',
      severity: 'warning',
      node: { ...ref, ...(relation === undefined ? {} : { relation }) },
      message:
        `Nested Loop expected ${count(planned)} outer rows and got ${count(actual)} (${Math.round(factor)}× more; EXPLAIN ANALYZE), ` +
        `so its inner ${String(inner[EXPLAIN.nodeType])} ran ${count(innerLoops)} times: with the right estimate the planner would likely choose a hash or merge join.`,
      evidence: { outerPlannedRows: planned, outerActualRows: actual, factor: Math.round(factor), innerLoops },
    },
  ];
}
