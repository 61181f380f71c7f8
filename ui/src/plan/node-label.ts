import type { RawPlanNode } from './explain-schema.ts';
import { PLAN_KEYS as K } from './plan-keys.ts';

/** Aggregate's JSON "Strategy" turned into the operator name EXPLAIN's text format prints. */
const AGGREGATE_NAMES: Record<string, string> = {
  Plain: 'Aggregate',
  Sorted: 'GroupAggregate',
  Hashed: 'HashAggregate',
  Mixed: 'MixedAggregate',
};

const SETOP_NAMES: Record<string, string> = { Sorted: 'SetOp', Hashed: 'HashSetOp' };

const JOINS = new Set(['Nested Loop', 'Hash Join', 'Merge Join']);

/**
 * The operator as the text format names it, so a label reads like the EXPLAIN people know: the
 * JSON format splits "Partial HashAggregate" into Node Type, Strategy and Partial Mode.
 */
export function operatorName(node: RawPlanNode): string {
  const type = node[K.nodeType];
  const strategy = node[K.strategy];
  let name = type;
  if (type === 'Aggregate' && strategy) name = AGGREGATE_NAMES[strategy] ?? type;
  else if (type === 'SetOp' && strategy) name = SETOP_NAMES[strategy] ?? type;
  else if (type === 'ModifyTable' && node[K.operation]) name = node[K.operation] ?? type;
  else if ((type === 'Index Scan' || type === 'Index Only Scan') && node[K.scanDirection] === 'Backward') name = `${type} Backward`;
  const mode = node[K.partialMode];
  if (mode === 'Partial' || mode === 'Finalize') name = `${mode} ${name}`;
  if (node[K.parallelAware]) name = `Parallel ${name}`;
  return name;
}

/** "Seq Scan on public.orders o", "Index Scan using orders_pkey on orders", "Hash Join (Inner)", "CTE Scan on big b". */
export function nodeLabel(node: RawPlanNode): string {
  let label = operatorName(node);
  const joinType = node[K.joinType];
  if (joinType && JOINS.has(node[K.nodeType])) label += ` (${joinType})`;
  const index = node[K.indexName];
  if (index) label += node[K.nodeType] === 'Bitmap Index Scan' ? ` on ${index}` : ` using ${index}`;
  const target = targetName(node);
  if (target) label += ` on ${target}`;
  return label;
}

/** What the node reads or writes, with its alias when the query gave one. */
function targetName(node: RawPlanNode): string | null {
  const alias = node[K.alias];
  const relation = node[K.relationName];
  const named = relation ?? node[K.cteName] ?? node[K.functionName];
  if (named) {
    const qualified = relation && node[K.schema] ? `${node[K.schema]}.${relation}` : named;
    return alias && alias !== named ? `${qualified} ${alias}` : qualified;
  }
  // Subquery Scan, Values Scan, WorkTable Scan: only the alias names them.
  return alias ?? null;
}
