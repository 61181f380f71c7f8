import { z } from 'zod';
import { EXPLAIN } from '../../plv8/plan/explain-keys.ts';

/** One plan node as EXPLAIN prints it: the keys we read are typed, the rest kept as they are. */
export interface PlanNode {
  [EXPLAIN.nodeType]: string;
  [EXPLAIN.plans]?: PlanNode[];
  [key: string]: unknown;
}

/** One statement's EXPLAIN (FORMAT JSON) result: the root plan and the timings around it. */
export interface ExplainRoot {
  [EXPLAIN.plan]: PlanNode;
  [key: string]: unknown;
}

const planNode: z.ZodType<PlanNode> = z.lazy(() =>
  z.looseObject({
    [EXPLAIN.nodeType]: z.string(),
    [EXPLAIN.plans]: z.array(planNode).optional(),
  }),
);

const explainRoot = z.looseObject({ [EXPLAIN.plan]: planNode });

/** What `EXPLAIN (FORMAT JSON)` returns: an array with one root per statement (always one here). */
const explainOutput = z.array(explainRoot).length(1);

/**
 * Validates EXPLAIN JSON that came from a server or a file and returns its single root. Plans enter
 * from outside, so a malformed one is an error with the reason, not a crash further down.
 */
export function parseExplainOutput(value: unknown): ExplainRoot {
  const result = explainOutput.safeParse(value);
  if (!result.success) throw new Error(`not EXPLAIN (FORMAT JSON) output: ${z.prettifyError(result.error)}`);
  return result.data[0] as ExplainRoot;
}
