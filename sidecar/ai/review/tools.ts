import type pg from 'pg';
import { z } from 'zod';
import type { AuthorRef } from '../../../plv8/engine/guard/planners.ts';
import { whatIfIndexes } from '../../advisor/what-if-indexes.ts';
import { inGuardedSession } from '../../plans/guarded-session.ts';
import { checkStatement } from '../../plans/statement-check.ts';
import { redactPlan, tableFactsForModel } from '../context/index.ts';
import type { AnalysisTool } from '../loop/run-analysis.ts';
import { checkIndexProposal } from '../verify/index-proposal.ts';

/** Bounds on what one tool call may ask of the target. */
const MAX_WHAT_IF_INDEXES = 5;
const TOOL_TIMEOUT_MS = 10_000;

export interface ToolScope {
  /** A session on the target, idle. Tool calls run one after another on it. */
  target: pg.ClientBase;
  /** The statement under review. */
  query: string;
  /** Its authors: every statement a tool plans is planned with their rights (the guard). */
  authors: readonly AuthorRef[];
  allowLiterals: boolean;
}

const WhatIfArgs = z.object({ indexes: z.array(z.string().min(1)).min(1).max(MAX_WHAT_IF_INDEXES) });
const ExplainArgs = z.object({ sql: z.string().min(1).max(100_000) });
const TableFactsArgs = z.object({ table: z.string().min(1).max(500) });

/**
 * The tools the model may call. Each checks its arguments as someone else's input: what_if takes
 * only plain CREATE INDEX statements (checkIndexProposal) and plans the statement under review
 * with them as hypothetical indexes; explain takes one provably read-only statement and returns
 * its plan without running it, planned as the statement's authors inside the guard; table_facts
 * reads the catalog. Plans lose their literals unless the tenant allows them.
 */
export function reviewTools(scope: ToolScope): AnalysisTool[] {
  return [
    {
      spec: {
        name: 'what_if',
        description: 'Estimated cost of the statement under review with hypothetical indexes in place (hypopg). Returns the cost before, after, and whether the planner used each index.',
        parameters: z.toJSONSchema(WhatIfArgs) as Record<string, unknown>,
      },
      args: WhatIfArgs,
      async run(args) {
        const { indexes } = WhatIfArgs.parse(args);
        const checked = await Promise.all(indexes.map((sql) => checkIndexProposal(scope.target, sql)));
        const refused = checked.flatMap((c, i) => (c.ok ? [] : [{ index: indexes[i], refused: c.reason }]));
        const ddls = checked.flatMap((c) => (c.ok ? [c.ddl] : []));
        if (ddls.length === 0) return { refused };
        const result = await whatIfIndexes(scope.target, scope.query, [ddls], { authors: scope.authors, statementTimeoutMs: TOOL_TIMEOUT_MS });
        const set = result.sets[0]!;
        return set.error !== undefined
          ? { refused: [...refused, { indexes: ddls, refused: set.error }] }
          : { costBefore: result.costBefore, costAfter: set.costAfter, indexes: ddls.map((ddl, i) => ({ ddl, used: set.used![i], sizeBytes: set.sizeBytes![i] })), refused };
      },
    },
    {
      spec: {
        name: 'explain',
        description: 'The plan (EXPLAIN, not run) of one read-only SELECT, as PostgreSQL would execute it now.',
        parameters: z.toJSONSchema(ExplainArgs) as Record<string, unknown>,
      },
      args: ExplainArgs,
      async run(args) {
        const { sql } = ExplainArgs.parse(args);
        const statement = await checkStatement(sql);
        if (!statement.readOnly) return { refused: `only read-only statements are explained: ${statement.writeReasons.join('; ')}` };
        const planned = await inGuardedSession(scope.target, scope.authors, { statementTimeoutMs: TOOL_TIMEOUT_MS, lockTimeoutMs: 1_000 }, ({ plan }) =>
          plan(statement.parameterCount > 0 ? 'generic' : 'explain', sql),
        );
        return { plan: scope.allowLiterals ? planned.plan : redactPlan(planned.plan) };
      },
    },
    {
      spec: {
        name: 'table_facts',
        description: 'A table\'s columns, types, NOT NULL, row count, size, indexes and column statistics.',
        parameters: z.toJSONSchema(TableFactsArgs) as Record<string, unknown>,
      },
      args: TableFactsArgs,
      run: async (args) => tableFactsForModel(scope.target, TableFactsArgs.parse(args).table, { allowLiterals: scope.allowLiterals }),
    },
  ];
}
