import { z } from 'zod';
import { PLAN_KEYS as K } from './plan-keys.ts';

const text = z.string().optional();
const count = z.number().optional();
const texts = z.array(z.string()).optional();

/**
 * The fields of one plan node the viewer reads, each with the type PostgreSQL gives it; other
 * keys (they vary by node type and server version) are dropped. "Plans" is only checked to be
 * a list here: the children are read one by one in parsePlanTree, without recursion.
 */
const nodeShape = z.object({
  [K.nodeType]: z.string(),
  [K.parentRelationship]: text,
  [K.subplanName]: text,
  [K.operation]: text,
  [K.strategy]: text,
  [K.partialMode]: text,
  [K.joinType]: text,
  [K.scanDirection]: text,
  [K.parallelAware]: z.boolean().optional(),
  [K.schema]: text,
  [K.relationName]: text,
  [K.indexName]: text,
  [K.cteName]: text,
  [K.functionName]: text,
  [K.alias]: text,
  [K.startupCost]: count,
  [K.totalCost]: count,
  [K.planRows]: count,
  [K.actualStartupTime]: count,
  [K.actualTotalTime]: count,
  [K.actualRows]: count,
  [K.actualLoops]: count,
  [K.sharedHitBlocks]: count,
  [K.sharedReadBlocks]: count,
  [K.tempReadBlocks]: count,
  [K.tempWrittenBlocks]: count,
  [K.filter]: text,
  [K.indexCond]: text,
  [K.recheckCond]: text,
  [K.hashCond]: text,
  [K.mergeCond]: text,
  [K.joinFilter]: text,
  [K.oneTimeFilter]: text,
  [K.rowsRemovedByFilter]: count,
  [K.rowsRemovedByIndexRecheck]: count,
  [K.rowsRemovedByJoinFilter]: count,
  [K.sortKey]: texts,
  [K.presortedKey]: texts,
  [K.groupKey]: texts,
  [K.sortMethod]: text,
  [K.sortSpaceUsed]: count,
  [K.sortSpaceType]: text,
  [K.exactHeapBlocks]: count,
  [K.lossyHeapBlocks]: count,
  [K.heapFetches]: count,
  [K.hashBuckets]: count,
  [K.hashBatches]: count,
  [K.peakMemoryUsage]: count,
  [K.hashAggBatches]: count,
  [K.diskUsage]: count,
  [K.workersPlanned]: count,
  [K.workersLaunched]: count,
  // Output is a list of expressions; read only to find which node uses an InitPlan's value.
  [K.output]: texts,
  [K.plans]: z.array(z.unknown()).optional(),
});

type NodeData = z.infer<typeof nodeShape>;

export type RawPlanNode = Omit<NodeData, typeof K.plans> & { [K.plans]?: RawPlanNode[] };

const statement = z.looseObject({
  [K.plan]: z.unknown(),
  [K.planningTime]: count,
  [K.executionTime]: count,
});

export interface ParsedExplain {
  root: RawPlanNode;
  planningMs: number | null;
  executionMs: number | null;
}

export type ParseResult = { ok: true; value: ParsedExplain } | { ok: false; error: string };

/**
 * Reads EXPLAIN (FORMAT JSON) output in the three shapes people hand over: the array the server
 * returns, its one statement object, or a bare plan node; a string is parsed as JSON first.
 * Never throws: anything else comes back as an error that says what was expected.
 */
export function parseExplain(input: unknown): ParseResult {
  try {
    return parseValue(typeof input === 'string' ? JSON.parse(input) : input);
  } catch (error) {
    // Input that is not JSON's own (getters that throw, proxies) must not break the page either.
    return { ok: false, error: error instanceof SyntaxError ? `not JSON: ${error.message}` : `the plan could not be read: ${String(error)}` };
  }
}

function parseValue(input: unknown): ParseResult {
  let value = input;
  if (Array.isArray(value)) {
    if (value.length !== 1) {
      return { ok: false, error: `expected the output of EXPLAIN for one statement (an array of one object), got an array of ${value.length}` };
    }
    value = value[0];
  }
  if (!isObject(value)) {
    return { ok: false, error: `expected EXPLAIN (FORMAT JSON) output, got ${describe(value)}` };
  }
  const size = sizeError(K.plan in value ? value[K.plan] : value);
  if (size) return { ok: false, error: size };
  if (K.plan in value) {
    const top = statement.safeParse(value);
    if (!top.success) return { ok: false, error: issueText(top.error, []) };
    const tree = parsePlanTree(top.data[K.plan], [K.plan]);
    if (!tree.ok) return tree;
    return { ok: true, value: { root: tree.root, planningMs: top.data[K.planningTime] ?? null, executionMs: top.data[K.executionTime] ?? null } };
  }
  if (K.nodeType in value) {
    const tree = parsePlanTree(value, []);
    if (!tree.ok) return tree;
    return { ok: true, value: { root: tree.root, planningMs: null, executionMs: null } };
  }
  return { ok: false, error: `expected EXPLAIN (FORMAT JSON) output: an object with "${K.plan}" or a plan node with "${K.nodeType}"` };
}

/** Each node checked with the schema, depth first, so the first problem reported is the topmost. */
function parsePlanTree(value: unknown, path: PropertyKey[]): { ok: true; root: RawPlanNode } | { ok: false; error: string } {
  const tree: { root?: RawPlanNode } = {};
  const pending: { value: unknown; path: PropertyKey[]; attach: (node: RawPlanNode) => void }[] = [
    { value, path, attach: (node) => (tree.root = node) },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const parsed = nodeShape.safeParse(next.value);
    if (!parsed.success) return { ok: false, error: issueText(parsed.error, next.path) };
    const { [K.plans]: children, ...fields } = parsed.data;
    const node: RawPlanNode = fields;
    next.attach(node);
    if (!children) continue;
    const list: RawPlanNode[] = [];
    node[K.plans] = list;
    const at = next.path;
    for (let i = children.length - 1; i >= 0; i--) {
      pending.push({ value: children[i], path: [...at, K.plans, i], attach: (child) => (list[i] = child) });
    }
  }
  return tree.root ? { ok: true, root: tree.root } : { ok: false, error: 'not a plan' };
}

/**
 * Checked first: no real plan comes near these, and a cyclic object or a crafted nesting would
 * otherwise never end or exhaust the memory (or, in the code that walks the tree, the stack).
 */
const MAX_DEPTH = 1000;
const MAX_NODES = 100_000;

function sizeError(root: unknown): string | null {
  let level: unknown[] = [root];
  let seen = 0;
  for (let depth = 0; level.length > 0; depth++) {
    seen += level.length;
    if (depth > MAX_DEPTH) return `plan nodes nested deeper than ${MAX_DEPTH} levels`;
    if (seen > MAX_NODES) return `more than ${MAX_NODES} plan nodes`;
    level = level.flatMap((node) => (isObject(node) && Array.isArray(node[K.plans]) ? (node[K.plans] as unknown[]) : []));
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The first problem, with where it is: `"Plan" › "Plans" › 0 › "Node Type": Invalid input: expected string, received undefined`. */
function issueText(error: z.ZodError, at: PropertyKey[]): string {
  const issue = error.issues[0];
  if (!issue) return 'not a plan';
  const where = [...at, ...issue.path].map((part) => (typeof part === 'number' ? String(part) : JSON.stringify(String(part)))).join(' › ');
  return where ? `${where}: ${issue.message}` : issue.message;
}
