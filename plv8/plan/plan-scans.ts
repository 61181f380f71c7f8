/**
 * The facts of an `EXPLAIN (FORMAT JSON, VERBOSE)` plan that index advice rests on: which ordinary
 * tables are scanned and with which conditions, which sorts sit under a LIMIT, and which join
 * conditions tie relations together. Pure: plan JSON in, plain data out; malformed input yields
 * empty lists rather than an exception.
 *
 * @example
 *   const { scans } = planScans(explainJson);
 *   // [{ schema: 'public', relation: 'orders', alias: 'orders', nodeType: 'Seq Scan',
 *   //    filter: '(orders.customer_id = 42)', planRows: 5, totalCost: 1887.0 }]
 */
import { parseOperand } from './conditions.ts';
import { EXPLAIN } from './explain-keys.ts';


/** Schemas whose tables the advisor never proposes indexes on. */
export const CATALOG_SCHEMAS: readonly string[] = ['pg_catalog', 'information_schema', 'pg_toast'];

export interface TableScan {
  schema: string;
  relation: string;
  /** The name the plan's conditions qualify columns with (`o` in `o.total`). */
  alias: string;
  nodeType: string;
  indexName?: string;
  filter?: string;
  /** Index Cond; for a Bitmap Heap Scan, its Bitmap Index Scan children's, AND-ed. */
  indexCond?: string;
  recheckCond?: string;
  /** The columns and expressions the scan hands up (VERBOSE), as printed: `o.id`, `o.total`. */
  output?: string[];
  /** Only with EXPLAIN ANALYZE. */
  rowsRemovedByFilter?: number;
  actualRows?: number;
  planRows: number;
  totalCost: number;
}

export interface SortKey {
  /** As printed: `orders.created_at DESC`. */
  text: string;
  alias: string | null;
  column: string | null;
  expression?: string;
  descending: boolean;
  /** Where NULLs come: as written, else the direction's default (first for DESC). */
  nullsFirst: boolean;
}

/** A Sort (or Incremental Sort) directly under a Limit: an index in this order could stop early. */
export interface SortUnderLimit {
  keys: SortKey[];
  limitRows: number;
  /** The sort orders the output of an aggregate (GROUP BY, DISTINCT, a window): its keys are
   * groups or aggregate results, not the scanned rows. */
  overAggregate: boolean;
}

export interface RelationRef {
  schema: string;
  relation: string;
  alias: string;
}

export interface JoinCondition {
  nodeType: string;
  key: 'Hash Cond' | 'Merge Cond' | 'Join Filter';
  condition: string;
  /** The scanned relations whose aliases the condition mentions. */
  relations: RelationRef[];
}

export interface PlanFacts {
  scans: TableScan[];
  sortsUnderLimit: SortUnderLimit[];
  joins: JoinCondition[];
}

type PlanNode = Record<string, unknown>;

const isNode = (v: unknown): v is PlanNode => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (node: PlanNode, key: string): string | undefined => (typeof node[key] === 'string' ? (node[key] as string) : undefined);
const num = (node: PlanNode, key: string): number | undefined => (typeof node[key] === 'number' ? (node[key] as number) : undefined);
const children = (node: PlanNode): PlanNode[] => (Array.isArray(node[EXPLAIN.plans]) ? (node[EXPLAIN.plans] as unknown[]).filter(isNode) : []);

/** The root plan node of the EXPLAIN JSON array, of one element of it, or of a bare node. */
export function rootPlan(plan: unknown): PlanNode | null {
  const first = Array.isArray(plan) ? plan[0] : plan;
  if (!isNode(first)) return null;
  if (isNode(first[EXPLAIN.plan])) return first[EXPLAIN.plan] as PlanNode;
  return typeof first[EXPLAIN.nodeType] === 'string' ? first : null;
}

/** Nodes a Limit can sit on above its Sort without changing the order. */
const ORDER_PRESERVING = new Set(['Gather Merge', 'Result', 'Subquery Scan']);
const SORTS = new Set(['Sort', 'Incremental Sort']);
const JOIN_KEYS = [EXPLAIN.hashCond, EXPLAIN.mergeCond, EXPLAIN.joinFilter] as const;

/** Walks a plan and lists its scans of ordinary tables, its sorts under a Limit and its join conditions. */
export function planScans(plan: unknown): PlanFacts {
  const facts: PlanFacts = { scans: [], sortsUnderLimit: [], joins: [] };
  const root = rootPlan(plan);
  if (!root) return facts;
  const pendingJoins: { nodeType: string; key: JoinCondition['key']; condition: string }[] = [];

  const visit = (node: PlanNode): void => {
    const nodeType = str(node, EXPLAIN.nodeType) ?? '';
    const scan = tableScan(node, nodeType);
    if (scan) facts.scans.push(scan);
    for (const key of JOIN_KEYS) {
      const condition = str(node, key);
      if (condition && !nodeType.endsWith('Scan')) pendingJoins.push({ nodeType, key, condition });
    }
    if (nodeType === 'Limit') {
      const sort = sortBelow(node);
      if (sort) facts.sortsUnderLimit.push({ ...sort, limitRows: num(node, EXPLAIN.planRows) ?? 0 });
    }
    children(node).forEach(visit);
  };
  visit(root);

  for (const join of pendingJoins) {
    const relations = facts.scans
      .filter((s) => mentionsAlias(join.condition, s.alias))
      .map(({ schema, relation, alias }) => ({ schema, relation, alias }));
    facts.joins.push({ ...join, relations: dedupeRelations(relations) });
  }
  return facts;
}

function tableScan(node: PlanNode, nodeType: string): TableScan | null {
  const relation = str(node, EXPLAIN.relationName);
  const schema = str(node, EXPLAIN.schema);
  if (!relation || !schema || !nodeType.endsWith('Scan') || CATALOG_SCHEMAS.includes(schema)) return null;
  const scan: TableScan = {
    schema,
    relation,
    alias: str(node, EXPLAIN.alias) ?? relation,
    nodeType,
    planRows: num(node, EXPLAIN.planRows) ?? 0,
    totalCost: num(node, EXPLAIN.totalCost) ?? 0,
  };
  const optional = {
    indexName: str(node, EXPLAIN.indexName),
    filter: str(node, EXPLAIN.filter),
    indexCond: str(node, EXPLAIN.indexCond) ?? bitmapIndexConds(node),
    recheckCond: str(node, EXPLAIN.recheckCond),
    output: Array.isArray(node[EXPLAIN.output]) ? (node[EXPLAIN.output] as unknown[]).filter((o): o is string => typeof o === 'string') : undefined,
    rowsRemovedByFilter: num(node, EXPLAIN.rowsRemovedByFilter),
    actualRows: num(node, EXPLAIN.actualRows),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (scan as unknown as Record<string, unknown>)[key] = value;
  }
  return scan;
}

/** A Bitmap Heap Scan's index conditions live on its Bitmap Index Scan children (under BitmapAnd). */
function bitmapIndexConds(node: PlanNode): string | undefined {
  if (str(node, EXPLAIN.nodeType) !== 'Bitmap Heap Scan') return undefined;
  const conds: string[] = [];
  const collect = (n: PlanNode): void => {
    const type = str(n, EXPLAIN.nodeType);
    if (type === 'BitmapOr') return; // an OR of indexes: not AND-able
    const cond = str(n, EXPLAIN.indexCond);
    if (type === 'Bitmap Index Scan' && cond) conds.push(cond);
    children(n).forEach(collect);
  };
  children(node).forEach(collect);
  if (conds.length === 0) return undefined;
  return conds.length === 1 ? conds[0] : `(${conds.join(' AND ')})`;
}

function sortBelow(limit: PlanNode): { keys: SortKey[]; overAggregate: boolean } | null {
  let node = children(limit)[0];
  while (node && ORDER_PRESERVING.has(str(node, EXPLAIN.nodeType) ?? '')) node = children(node)[0];
  if (!node || !SORTS.has(str(node, EXPLAIN.nodeType) ?? '')) return null;
  const keys = node[EXPLAIN.sortKey];
  if (!Array.isArray(keys)) return null;
  return { keys: keys.filter((k): k is string => typeof k === 'string').map(sortKey), overAggregate: hasAggregate(node) };
}

/** Nodes whose output rows are groups or computed per group, not the rows they read. */
const AGGREGATING = new Set(['Aggregate', 'WindowAgg', 'Group', 'Unique', 'SetOp']);

function hasAggregate(node: PlanNode): boolean {
  return children(node).some((child) => AGGREGATING.has(str(child, EXPLAIN.nodeType) ?? '') || hasAggregate(child));
}

/** `orders.created_at DESC`, `"T"."C" DESC NULLS LAST`, `(lower((c.email)::text))`. */
function sortKey(text: string): SortKey {
  let rest = text.trim();
  let descending = false;
  let nulls: boolean | undefined;
  const suffix = /\s+(ASC|DESC|NULLS FIRST|NULLS LAST|USING \S+)$/;
  for (let m = suffix.exec(rest); m; m = suffix.exec(rest)) {
    if (m[1] === 'DESC' || m[1] === 'USING >') descending = true;
    if (m[1] === 'NULLS FIRST') nulls = true;
    if (m[1] === 'NULLS LAST') nulls = false;
    rest = rest.slice(0, m.index);
  }
  const operand = parseOperand(rest);
  return {
    text,
    alias: operand?.alias ?? null,
    column: operand?.column ?? null,
    ...(operand?.expression ? { expression: operand.expression } : {}),
    descending,
    nullsFirst: nulls ?? descending,
  };
}

/** Whether `alias.` qualifies a column in the condition text (quoted or bare). */
export function mentionsAlias(condition: string, alias: string): boolean {
  const bare = /^[a-z_][a-z0-9_$]*$/.test(alias);
  const quoted = `"${alias.replace(/"/g, '""')}".`;
  if (condition.includes(quoted)) return true;
  if (!bare) return false;
  const re = new RegExp(`(^|[^A-Za-z0-9_$."])${alias.replace(/\$/g, '\\$')}\\.`);
  return re.test(condition);
}

function dedupeRelations(relations: RelationRef[]): RelationRef[] {
  const seen = new Set<string>();
  return relations.filter((r) => {
    const k = `${r.schema}\u0000${r.relation}\u0000${r.alias}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
