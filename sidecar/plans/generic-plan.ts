import type pg from 'pg';
import type { AuthorRef } from '../../plv8/engine/guard/planners.ts';
import { parseExplainOutput, type ExplainRoot } from './explain-output.ts';
import { inGuardedSession } from './guarded-session.ts';
import { checkStatement, type StatementCheck } from './statement-check.ts';

export interface GenericPlanOptions {
  /** statement_timeout inside the planning transaction; default 10 s. */
  statementTimeoutMs?: number;
  /** lock_timeout inside it; default 1 s. */
  lockTimeoutMs?: number;
  /** Who ran the statement, most calls first (pg_stat_statements' userid); default this session's role. */
  authors?: readonly AuthorRef[];
}

export interface GenericPlan {
  explain: ExplainRoot;
  /** How it was obtained: PREPARE + EXPLAIN EXECUTE with NULLs under force_generic_plan (PostgreSQL 15 to 17 alike). */
  method: 'prepare_execute';
  /** The parameter types the server inferred. */
  parameterTypes: string[];
  statement: StatementCheck;
}

/**
 * The generic plan of a normalized text (`$1`, `$2` … as pg_stat_statements prints it): the plan
 * PostgreSQL would use for any parameter values. Nothing is executed, so INSERT, UPDATE and DELETE
 * work too. The text is someone else's code, and PostgreSQL runs functions while planning: it is
 * planned as its author (or the analysis role for a superuser's statement) inside the planning
 * guard, READ ONLY, in a transaction that is rolled back (guarded-session.ts). PostgreSQL's parser
 * has checked first that the text is exactly one plannable statement.
 *
 * @example
 *   const { explain } = await genericPlan(client, 'update t set name = $1 where id = $2');
 *   explain.Plan['Node Type']; // 'ModifyTable'
 */
export async function genericPlan(client: pg.ClientBase, query: string, options: GenericPlanOptions = {}): Promise<GenericPlan> {
  const statement = await checkStatement(query);
  const limits = { statementTimeoutMs: options.statementTimeoutMs ?? 10_000, lockTimeoutMs: options.lockTimeoutMs ?? 1_000 };
  const planned = await inGuardedSession(client, options.authors ?? [], limits, ({ plan }) => plan('generic', query));
  return { explain: parseExplainOutput(planned.plan), method: 'prepare_execute', parameterTypes: planned.parameterTypes ?? [], statement };
}
