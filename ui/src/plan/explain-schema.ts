import { z } from 'zod';
import { PLAN_KEYS as K } from './plan-keys.ts';

const text = z.string().optional();
const count = z.number().optional();
const texts = z.array(z.string()).optional();

/**
 * The fields of a plan node the viewer reads, each with the type PostgreSQL gives it. Loose: a
 * node has many more keys (they vary by node type and server version) that the viewer ignores.
 */
const nodeFields = z.looseObject({
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
});

export type RawPlanNode = z.infer<typeof nodeFields> & { [K.plans]?: RawPlanNode[] };

const planNode: z.ZodType<RawPlanNode> = z.lazy(() =>
  nodeFields.extend({ [K.plans]: z.array(planNode).optional() }),
);

const statement = z.looseObject({
  [K.plan]: planNode,
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
    // JSON.parse on text that is not JSON, or a nesting deep enough to exhaust the stack.
    return { ok: false, error: error instanceof SyntaxError ? `not JSON: ${error.message}` : 'the plan could not be read' };
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
  if (K.plan in value) {
    const parsed = statement.safeParse(value);
    if (!parsed.success) return { ok: false, error: issueText(parsed.error) };
    const top = parsed.data;
    return { ok: true, value: { root: top[K.plan], planningMs: top[K.planningTime] ?? null, executionMs: top[K.executionTime] ?? null } };
  }
  if (K.nodeType in value) {
    const parsed = planNode.safeParse(value);
    if (!parsed.success) return { ok: false, error: issueText(parsed.error) };
    return { ok: true, value: { root: parsed.data, planningMs: null, executionMs: null } };
  }
  return { ok: false, error: `expected EXPLAIN (FORMAT JSON) output: an object with "${K.plan}" or a plan node with "${K.nodeType}"` };
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
function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'not a plan';
  const where = issue.path.map((part) => (typeof part === 'number' ? String(part) : JSON.stringify(String(part)))).join(' › ');
  return where ? `${where}: ${issue.message}` : issue.message;
}
