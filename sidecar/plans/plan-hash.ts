import { createHash } from 'node:crypto';
import { EXPLAIN } from '../../plv8/plan/explain-keys.ts';
import { parseExplainOutput, type PlanNode } from './explain-output.ts';

/**
 * A plan's shape: what the planner chose, without what it estimated or measured. Two plans with the
 * same shape hash alike whatever their costs, row counts, timings, buffers or parameter values, so
 * a new hash for a query means the planner changed its mind (a new index, new statistics, a new
 * join order).
 *
 * Kept: node type and the keys that name a choice (operation, strategy, join type, scan direction,
 * parallel awareness), the objects read (schema when VERBOSE printed it, relation, index, CTE,
 * function), the child's role (Outer/Inner/SubPlan/InitPlan and its name) and the nesting.
 * Dropped: everything else, conditions and output lists included (they carry literal values).
 */
const SHAPE_KEYS = [
  EXPLAIN.nodeType,
  EXPLAIN.parentRelationship,
  EXPLAIN.subplanName,
  EXPLAIN.operation,
  EXPLAIN.strategy,
  EXPLAIN.partialMode,
  EXPLAIN.joinType,
  EXPLAIN.scanDirection,
  EXPLAIN.parallelAware,
  EXPLAIN.schema,
  EXPLAIN.relationName,
  EXPLAIN.indexName,
  EXPLAIN.cteName,
  EXPLAIN.functionName,
] as const;

export interface PlanShape {
  [key: string]: string | boolean | PlanShape[];
}

/** The shape of a plan node and its children, in the order EXPLAIN lists them. */
export function planShape(node: PlanNode): PlanShape {
  const shape: PlanShape = {};
  for (const key of SHAPE_KEYS) {
    const value = node[key];
    if (typeof value === 'string' || typeof value === 'boolean') shape[key] = value;
  }
  const children = node[EXPLAIN.plans];
  if (children !== undefined && children.length > 0) shape[EXPLAIN.plans] = children.map(planShape);
  return shape;
}

/**
 * md5 (hex) of the plan's shape. Accepts EXPLAIN (FORMAT JSON) output as the server returns it
 * (`[{ "Plan": … }]`), its root object, or a plan node.
 *
 * @example
 *   planHash(explainJson) === planHash(sameQueryNextWeek) // unless the plan changed
 */
export function planHash(plan: unknown): string {
  return createHash('md5').update(JSON.stringify(planShape(rootNode(plan)))).digest('hex');
}

/** The top plan node of any of the accepted forms. */
export function rootNode(plan: unknown): PlanNode {
  if (Array.isArray(plan)) return parseExplainOutput(plan)[EXPLAIN.plan];
  if (typeof plan === 'object' && plan !== null && EXPLAIN.plan in plan) return parseExplainOutput([plan])[EXPLAIN.plan];
  return parseExplainOutput([{ [EXPLAIN.plan]: plan }])[EXPLAIN.plan];
}
