import { z } from 'zod';
import { EXPLAIN } from '../../../plv8/plan/explain-keys.ts';
import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';

/**
 * A plan as the model reads it: one block per node, indented like EXPLAIN's text format, with what
 * matters for performance (estimated against actual rows, loops, time, conditions, rows removed,
 * sort method and space, buffers) and none of the JSON's keys spent on the budget.
 */

/** EXPLAIN keys this summary reads beyond the engine's (plv8/plan/explain-keys.ts). */
const MORE = {
  startupCost: 'Startup Cost',
  actualLoops: 'Actual Loops',
  actualStartupTime: 'Actual Startup Time',
  actualTotalTime: 'Actual Total Time',
  rowsRemovedByIndexRecheck: 'Rows Removed by Index Recheck',
  rowsRemovedByJoinFilter: 'Rows Removed by Join Filter',
  sortMethod: 'Sort Method',
  sortSpaceUsed: 'Sort Space Used',
  sortSpaceType: 'Sort Space Type',
  groupKey: 'Group Key',
  hashBuckets: 'Hash Buckets',
  hashBatches: 'Hash Batches',
  peakMemoryUsage: 'Peak Memory Usage',
  heapFetches: 'Heap Fetches',
  exactHeapBlocks: 'Exact Heap Blocks',
  lossyHeapBlocks: 'Lossy Heap Blocks',
  workersPlanned: 'Workers Planned',
  workersLaunched: 'Workers Launched',
  tidCond: 'TID Cond',
  orderBy: 'Order By',
  cacheKey: 'Cache Key',
  runCondition: 'Run Condition',
} as const;

/** Conditions and keys, in the order they are printed under a node. */
const CONDITIONS = [
  EXPLAIN.indexCond, EXPLAIN.recheckCond, MORE.tidCond, EXPLAIN.hashCond, EXPLAIN.mergeCond, EXPLAIN.joinFilter,
  EXPLAIN.filter, EXPLAIN.oneTimeFilter, MORE.runCondition, MORE.orderBy, EXPLAIN.sortKey, EXPLAIN.presortedKey,
  MORE.groupKey, MORE.cacheKey,
] as const;

const BUFFERS = [
  ['shared hit', 'Shared Hit Blocks'], ['shared read', 'Shared Read Blocks'], ['shared dirtied', 'Shared Dirtied Blocks'],
  ['shared written', 'Shared Written Blocks'], ['local hit', 'Local Hit Blocks'], ['local read', 'Local Read Blocks'],
  ['temp read', 'Temp Read Blocks'], ['temp written', 'Temp Written Blocks'],
] as const;

type PlanNode = Record<string, unknown>;
const Node = z.looseObject({ [EXPLAIN.nodeType]: z.string() });
const Root = z.looseObject({ [EXPLAIN.plan]: Node });

/** The root of EXPLAIN JSON as given: `[{ Plan }]`, `{ Plan }` or a node; null for anything else. */
export function planRoot(plan: unknown): { root: PlanNode; top: Record<string, unknown> } | null {
  const first = Array.isArray(plan) ? plan[0] : plan;
  const wrapped = Root.safeParse(first);
  if (wrapped.success) return { root: wrapped.data[EXPLAIN.plan] as PlanNode, top: wrapped.data };
  const node = Node.safeParse(first);
  return node.success ? { root: node.data as PlanNode, top: {} } : null;
}

/**
 * One text block per plan node, depth first (EXPLAIN's own order), each indented by depth.
 *
 * @example
 *   planBlocks([{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'orders', 'Plan Rows': 10, 'Total Cost': 1.1, Filter: '(id = $?)' } }]);
 *   // ['Seq Scan on orders: est rows 10, cost 1.1\n  Filter: (id = $?)']
 */
export function planBlocks(plan: unknown): string[] {
  const found = planRoot(plan);
  if (!found) return [];
  const blocks: string[] = [];
  const visit = (node: PlanNode, depth: number) => {
    blocks.push(nodeBlock(node, '  '.repeat(depth)));
    for (const child of children(node)) visit(child, depth + 1);
  };
  visit(found.root, 0);
  return blocks;
}

/** Planning and execution time, when the plan was run (EXPLAIN ANALYZE); '' otherwise. */
export function planTimes(plan: unknown): string {
  const top = planRoot(plan)?.top ?? {};
  const parts = [
    typeof top[EXPLAIN.planningTime] === 'number' ? `planning ${fixed(top[EXPLAIN.planningTime] as number)} ms` : '',
    typeof top[EXPLAIN.executionTime] === 'number' ? `execution ${fixed(top[EXPLAIN.executionTime] as number)} ms` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

/** The relations a plan reads, in the plan's order, as SQL names (schema-qualified when the plan names it: VERBOSE). */
export function planRelations(plan: unknown): string[] {
  const found = planRoot(plan);
  if (!found) return [];
  const names: string[] = [];
  const visit = (node: PlanNode) => {
    const relation = node[EXPLAIN.relationName];
    if (typeof relation === 'string') {
      const schema = node[EXPLAIN.schema];
      const name = `${typeof schema === 'string' ? `${quoteIdent(schema)}.` : ''}${quoteIdent(relation)}`;
      if (!names.includes(name)) names.push(name);
    }
    children(node).forEach(visit);
  };
  visit(found.root);
  return names;
}

function nodeBlock(node: PlanNode, indent: string): string {
  const title = [
    String(node[EXPLAIN.nodeType]),
    typeof node[EXPLAIN.joinType] === 'string' ? `(${String(node[EXPLAIN.joinType])})` : '',
    typeof node[EXPLAIN.strategy] === 'string' ? `(${String(node[EXPLAIN.strategy])})` : '',
    typeof node[EXPLAIN.relationName] === 'string'
      ? `on ${typeof node[EXPLAIN.schema] === 'string' ? `${quoteIdent(node[EXPLAIN.schema] as string)}.` : ''}${quoteIdent(node[EXPLAIN.relationName] as string)}${typeof node[EXPLAIN.alias] === 'string' && node[EXPLAIN.alias] !== node[EXPLAIN.relationName] ? ` ${quoteIdent(node[EXPLAIN.alias] as string)}` : ''}`
      : '',
    typeof node[EXPLAIN.indexName] === 'string' ? `using ${quoteIdent(node[EXPLAIN.indexName] as string)}` : '',
    typeof node[EXPLAIN.cteName] === 'string' ? `on CTE ${quoteIdent(node[EXPLAIN.cteName] as string)}` : '',
    typeof node[EXPLAIN.subplanName] === 'string' ? `[${String(node[EXPLAIN.subplanName])}]` : '',
  ].filter(Boolean).join(' ');
  const loops = numeric(node[MORE.actualLoops]) ? (node[MORE.actualLoops] as number) : null;
  // EXPLAIN ANALYZE gives rows and time per loop: said so when there was more than one.
  const perLoop = loops !== null && loops > 1;
  const figures = [
    numeric(node[EXPLAIN.planRows]) ? `est rows ${node[EXPLAIN.planRows]}` : '',
    numeric(node[EXPLAIN.actualRows]) ? `actual rows ${node[EXPLAIN.actualRows]}${perLoop ? ` per loop × ${loops} loops` : ''}` : '',
    loops === 0 ? 'never executed' : '',
    numeric(node[MORE.actualTotalTime]) && loops !== 0 ? `time ${fixed(node[MORE.actualTotalTime] as number)} ms${perLoop ? ' per loop' : ''}` : '',
    numeric(node[EXPLAIN.totalCost]) ? `cost ${node[EXPLAIN.totalCost]}` : '',
    numeric(node[MORE.workersLaunched]) ? `workers ${node[MORE.workersLaunched]} of ${node[MORE.workersPlanned] ?? '?'}` : '',
  ].filter(Boolean).join(', ');
  const details: string[] = [];
  for (const key of CONDITIONS) {
    const value = node[key];
    if (typeof value === 'string') details.push(`${key}: ${value}`);
    else if (Array.isArray(value)) details.push(`${key}: ${value.map(String).join(', ')}`);
  }
  const removed = [
    [EXPLAIN.rowsRemovedByFilter, 'by filter'], [MORE.rowsRemovedByIndexRecheck, 'by index recheck'], [MORE.rowsRemovedByJoinFilter, 'by join filter'],
  ].flatMap(([key, label]) => (numeric(node[key!]) && (node[key!] as number) > 0 ? [`${label} ${node[key!]}`] : []));
  if (removed.length) details.push(`Rows removed: ${removed.join(', ')}`);
  if (typeof node[MORE.sortMethod] === 'string') {
    details.push(`Sort Method: ${node[MORE.sortMethod]}${numeric(node[MORE.sortSpaceUsed]) ? `, ${node[MORE.sortSpaceUsed]} kB ${String(node[MORE.sortSpaceType] ?? '')}`.trimEnd() : ''}`);
  }
  const hash = [
    numeric(node[MORE.hashBuckets]) ? `buckets ${node[MORE.hashBuckets]}` : '',
    numeric(node[MORE.hashBatches]) ? `batches ${node[MORE.hashBatches]}` : '',
    numeric(node[MORE.peakMemoryUsage]) ? `memory ${node[MORE.peakMemoryUsage]} kB` : '',
  ].filter(Boolean);
  if (hash.length) details.push(`Hash Table: ${hash.join(', ')}`);
  const heap = [
    numeric(node[MORE.heapFetches]) ? `heap fetches ${node[MORE.heapFetches]}` : '',
    numeric(node[MORE.exactHeapBlocks]) ? `exact heap blocks ${node[MORE.exactHeapBlocks]}` : '',
    numeric(node[MORE.lossyHeapBlocks]) && (node[MORE.lossyHeapBlocks] as number) > 0 ? `lossy heap blocks ${node[MORE.lossyHeapBlocks]}` : '',
  ].filter(Boolean);
  if (heap.length) details.push(`Heap: ${heap.join(', ')}`);
  const buffers = BUFFERS.flatMap(([label, key]) => (numeric(node[key]) && (node[key] as number) > 0 ? [`${label} ${node[key]}`] : []));
  if (buffers.length) details.push(`Buffers: ${buffers.join(', ')}`);
  return [`${indent}${title}${figures ? `: ${figures}` : ''}`, ...details.map((d) => `${indent}  ${d}`)].join('\n');
}

function children(node: PlanNode): PlanNode[] {
  const plans = node[EXPLAIN.plans];
  return Array.isArray(plans) ? plans.filter((p): p is PlanNode => Node.safeParse(p).success) : [];
}

const numeric = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const fixed = (ms: number): string => String(Math.round(ms * 1000) / 1000);
