/**
 * Walking a plan for the insight rules: each node with its path, its parent, the relation it reads
 * and whether its parent may stop reading it early. Malformed nodes (a missing number, a wrong
 * type) read as absent, never as an exception.
 */
import { quoteIdent } from '../../engine/quote-ident.ts';
import { EXPLAIN } from '../explain-keys.ts';
import type { InsightNode } from './types.ts';

/**
 * Schemas whose tables no insight proposes anything for: PostgreSQL's own and OptiSchema's
 * (its store, its API views, its job queue).
 */
export const EXCLUDED_SCHEMAS: readonly string[] = ['pg_catalog', 'information_schema', 'pg_toast', 'optischema', 'optischema_api', 'graphile_worker'];

export interface VisitedNode {
  node: InsightNode;
  nodeType: string;
  path: number[];
  parent: VisitedNode | null;
  /** The relation this node reads, when it scans one (a Bitmap Index Scan: its Bitmap Heap Scan's). */
  relation?: RelationName;
  index?: string;
  /** The parent may stop reading this node before it is exhausted (see types.ts, "cut short"). */
  cutShort: boolean;
}

export interface RelationName {
  /** Absent when the plan was made without VERBOSE (EXPLAIN prints "Schema" only then). */
  schema?: string;
  table: string;
  /** The name the plan's conditions qualify columns with. */
  alias: string;
}

export const num = (node: Record<string, unknown>, key: string): number | undefined =>
  typeof node[key] === 'number' && Number.isFinite(node[key]) ? (node[key] as number) : undefined;
export const str = (node: Record<string, unknown>, key: string): string | undefined =>
  typeof node[key] === 'string' ? (node[key] as string) : undefined;
export const childrenOf = (node: InsightNode): InsightNode[] =>
  Array.isArray(node[EXPLAIN.plans]) ? (node[EXPLAIN.plans] as unknown[]).filter((c): c is InsightNode => typeof c === 'object' && c !== null && typeof (c as InsightNode)[EXPLAIN.nodeType] === 'string') : [];

/** Nodes that read all of their input before returning a row: below them nothing is cut short. */
const READS_ALL_INPUT = new Set(['Sort', 'Hash', 'Aggregate', 'Materialize', 'SetOp', 'WindowAgg', 'Incremental Sort']);

/** Every node of the tree, root first (depth-first, children in order). */
export function walkPlan(root: InsightNode): VisitedNode[] {
  const out: VisitedNode[] = [];
  const visit = (node: InsightNode, path: number[], parent: VisitedNode | null, cutShort: boolean): void => {
    const nodeType = str(node, EXPLAIN.nodeType) ?? '';
    const visited: VisitedNode = { node, nodeType, path, parent, cutShort, ...relationOf(node, nodeType, parent) };
    out.push(visited);
    const kids = childrenOf(node);
    kids.forEach((child, i) => visit(child, [...path, i], visited, childCutShort(node, nodeType, child, i, cutShort)));
  };
  visit(root, [], null, false);
  return out;
}

function childCutShort(node: InsightNode, nodeType: string, child: InsightNode, position: number, cutShort: boolean): boolean {
  if (nodeType === 'Limit') return true;
  // A subplan (EXISTS, a scalar subquery) may stop at its first row; a merge join stops reading
  // one side when the other runs out; a semi or anti join stops each inner scan at the first match.
  if (str(child, EXPLAIN.parentRelationship) === 'SubPlan' || str(child, EXPLAIN.parentRelationship) === 'InitPlan') return true;
  if (nodeType === 'Merge Join') return true;
  const joinType = str(node, EXPLAIN.joinType);
  if ((joinType === 'Semi' || joinType === 'Anti') && position === 1) return true;
  if (READS_ALL_INPUT.has(nodeType)) return false;
  return cutShort;
}

function relationOf(node: InsightNode, nodeType: string, parent: VisitedNode | null): { relation?: RelationName; index?: string } {
  const index = str(node, EXPLAIN.indexName);
  const table = str(node, EXPLAIN.relationName);
  if (table !== undefined) {
    const schema = str(node, EXPLAIN.schema);
    return { relation: { ...(schema === undefined ? {} : { schema }), table, alias: str(node, EXPLAIN.alias) ?? table }, ...(index === undefined ? {} : { index }) };
  }
  // A Bitmap Index Scan names only its index; the heap it serves is its Bitmap Heap Scan's (under BitmapAnd/Or).
  if (nodeType === 'Bitmap Index Scan' || nodeType === 'BitmapAnd' || nodeType === 'BitmapOr') {
    for (let up = parent; up; up = up.parent) {
      if (up.nodeType === 'Bitmap Heap Scan') return { ...(up.relation ? { relation: up.relation } : {}), ...(index === undefined ? {} : { index }) };
    }
  }
  return index === undefined ? {} : { index };
}

/** `schema.table` as the catalog names it, unquoted (the bare name when the plan has no schema). */
export function relationText(relation: RelationName): string {
  return relation.schema === undefined ? relation.table : `${relation.schema}.${relation.table}`;
}

/** The relation as SQL: each part quoted where needed. */
export function relationSql(relation: RelationName): string {
  return relation.schema === undefined ? quoteIdent(relation.table) : `${quoteIdent(relation.schema)}.${quoteIdent(relation.table)}`;
}

export function isExcluded(relation: RelationName | undefined): boolean {
  return relation?.schema !== undefined && EXCLUDED_SCHEMAS.includes(relation.schema);
}

/** The insight's node reference for a visited node. */
export function nodeRef(visited: VisitedNode): { nodeType: string; relation?: string; index?: string; path: number[] } {
  return {
    nodeType: visited.nodeType,
    ...(visited.relation ? { relation: relationText(visited.relation) } : {}),
    ...(visited.index === undefined ? {} : { index: visited.index }),
    path: visited.path,
  };
}

/** Actual Loops, or 1 when absent (a plan without ANALYZE has none, and no actual rows either). */
export function loopsOf(node: InsightNode): number {
  return num(node, EXPLAIN.actualLoops) ?? 1;
}

/** `12,345` for messages. */
export function count(n: number): string {
  // Not toLocaleString: plv8 builds without ICU print it bare, and messages must read the same everywhere.
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
