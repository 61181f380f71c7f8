/**
 * On a sample the planner sees smaller tables and may choose differently than on production: a
 * sequential scan where production uses the index, a nested loop where it hashes. Before a verdict
 * from the sandbox is trusted, its plan is compared with production's by shape: node types, join
 * types, aggregate strategies, relations, indexes and scan directions, in their nesting, ignoring
 * costs, row counts, timings and worker counts. Pure functions, tested on recorded plans.
 *
 * Parallelism is not part of the shape. Whether the planner goes parallel depends on the table's
 * size against min_parallel_table_scan_size (8 MB by default): a 10 % sample crosses below it all
 * the time, while the choice the sandbox is asked about (is the index used, how are the tables
 * joined) is the same. So Gather and Gather Merge nodes are dropped, Parallel Aware is ignored, a
 * Partial aggregate is dropped below its Finalize one (which reads as the plain aggregate), and a
 * Sort directly above another Sort (the parallel plan's sort of sorted partial results) is one.
 */
import { EXPLAIN } from '../../plv8/plan/explain-keys.ts';
import type { PlanNode } from '../plans/explain-output.ts';
import { rootNode } from '../plans/plan-hash.ts';

/** A plan node as the comparison sees it: EXPLAIN's text label ("Index Scan using i on t"), its children. */
export interface ShapeNode {
  label: string;
  children: ShapeNode[];
}

export interface ShapeComparison {
  same: boolean;
  /** The first node that differs, production's and the sandbox's, on one line. */
  difference?: string;
}

/**
 * The canonical shape of EXPLAIN (FORMAT JSON) output (the array, its object, or a plan node), one
 * node a line, indented by depth.
 *
 * @example planShape(explain) // 'Hash Join\n  Seq Scan on orders\n  Hash\n    Seq Scan on customers'
 */
export function planShape(explain: unknown): string {
  const lines: string[] = [];
  const walk = (node: ShapeNode, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${node.label}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  walk(planShapeTree(explain), 0);
  return lines.join('\n');
}

/** The shape as a tree (see planShape). Throws on input that is not EXPLAIN JSON. */
export function planShapeTree(explain: unknown): ShapeNode {
  const [root] = shapeOf(rootNode(explain));
  return root ?? { label: '(empty plan)', children: [] };
}

/**
 * Compares two plans by shape, depth first, and names the first node that differs.
 *
 * @example
 *   comparePlanShapes(sandboxPlan, productionPlan)
 *   // { same: false, difference: 'production: Index Scan using orders_customer_id_idx on orders; sandbox: Seq Scan on orders' }
 */
export function comparePlanShapes(sandboxPlan: unknown, productionPlan: unknown): ShapeComparison {
  const difference = firstDifference(planShapeTree(sandboxPlan), planShapeTree(productionPlan));
  return difference === null ? { same: true } : { same: false, difference };
}

function firstDifference(sandbox: ShapeNode, production: ShapeNode): string | null {
  if (sandbox.label !== production.label) return `production: ${production.label}; sandbox: ${sandbox.label}`;
  const n = Math.max(sandbox.children.length, production.children.length);
  for (let i = 0; i < n; i++) {
    const s = sandbox.children[i];
    const p = production.children[i];
    if (!s || !p) {
      const under = ` under ${production.label}`;
      return `production: ${p ? p.label + under : `nothing more${under}`}; sandbox: ${s ? s.label + under : `nothing more${under}`}`;
    }
    const below = firstDifference(s, p);
    if (below !== null) return below;
  }
  return null;
}

/** A node's shape, as a list: a node that parallelism adds yields its children in its place. */
function shapeOf(node: PlanNode): ShapeNode[] {
  const children = (node[EXPLAIN.plans] ?? []).flatMap(shapeOf);
  const type = node[EXPLAIN.nodeType];
  if (type === 'Gather' || type === 'Gather Merge') return children;
  if (type === 'Aggregate' && node[EXPLAIN.partialMode] === 'Partial') return children;
  if (type === 'Sort' && children.length === 1 && children[0]!.label === 'Sort') return children;
  const relationship = node[EXPLAIN.parentRelationship];
  const role = relationship === 'InitPlan' || relationship === 'SubPlan' ? `${relationship}: ` : '';
  return [{ label: role + labelOf(node), children }];
}

const JOINS = new Set(['Hash Join', 'Merge Join', 'Nested Loop']);
const AGGREGATE_STRATEGY: Record<string, string> = { Plain: 'Aggregate', Sorted: 'GroupAggregate', Hashed: 'HashAggregate', Mixed: 'MixedAggregate' };

/** The node as EXPLAIN's text format names it, without the Parallel prefix. */
function labelOf(node: PlanNode): string {
  const text = (key: string) => (typeof node[key] === 'string' ? (node[key] as string) : undefined);
  const type = node[EXPLAIN.nodeType];
  let label = type;
  const joinType = text(EXPLAIN.joinType);
  if (JOINS.has(type) && joinType && joinType !== 'Inner') {
    label = type === 'Nested Loop' ? `Nested Loop ${joinType} Join` : `${type.replace(' Join', '')} ${joinType} Join`;
  }
  if (type === 'Aggregate') label = AGGREGATE_STRATEGY[text(EXPLAIN.strategy) ?? 'Plain'] ?? 'Aggregate';
  if (type === 'SetOp' && text(EXPLAIN.strategy) === 'Hashed') label = 'HashSetOp';
  if (type === 'ModifyTable' && text(EXPLAIN.operation)) label = text(EXPLAIN.operation)!;
  if (text(EXPLAIN.scanDirection) === 'Backward') label += ' Backward';
  const index = text(EXPLAIN.indexName);
  const relation = text(EXPLAIN.relationName);
  const schema = text(EXPLAIN.schema);
  const target = relation ? (schema ? `${schema}.${relation}` : relation) : (text(EXPLAIN.cteName) ?? text(EXPLAIN.functionName));
  if (index && type === 'Bitmap Index Scan') label += ` on ${index}`;
  else if (index) label += ` using ${index}`;
  if (target) label += ` on ${target}`;
  return label;
}
