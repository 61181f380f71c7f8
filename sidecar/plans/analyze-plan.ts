import type pg from 'pg';
import type { AuthorRef } from '../../plv8/engine/guard/planners.ts';
import { parseExplainOutput, type ExplainRoot } from './explain-output.ts';
import { inGuardedSession } from './guarded-session.ts';
import { checkStatement, StatementError, type StatementCheck } from './statement-check.ts';

export interface AnalyzePlanOptions {
  /** Values for `$1…$n`, as text (the server casts them as the query needs); null is SQL NULL. */
  values?: readonly (string | null)[];
  /** statement_timeout for the run; default 10 s. A slow query is cut off, not waited for. */
  statementTimeoutMs?: number;
  /** lock_timeout; default 1 s. */
  lockTimeoutMs?: number;
  /** Who ran the statement, most calls first (pg_stat_statements' userid); default this session's role. */
  authors?: readonly AuthorRef[];
}

export interface AnalyzePlan {
  explain: ExplainRoot;
  statement: StatementCheck;
}

/**
 * `EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON)`: the query is really executed, so it is done
 * only when
 *  - PostgreSQL's parser finds exactly one statement that is read-only by its text (else
 *    StatementError, and nothing is sent), and the values are known: a literal text, or one value
 *    per `$n` (e.g. pg_qualstats sample constants);
 *  - the catalog proves it harmless: the planning guard makes the text a temporary view and reads
 *    everything it would run, through every view, policy and partition (guard-sql.ts); a view over
 *    a user's function, a sequence, a foreign table or a volatile built-in refuses it, with reasons;
 * and then it runs as its author (or the analysis role), READ ONLY, in a subtransaction that is
 * rolled back, with a statement_timeout. A text check alone is never trusted: a view hides its calls.
 *
 * @example
 *   const { explain } = await analyzePlan(client, 'select * from t where id = $1', { values: ['42'] });
 *   explain['Execution Time']; // milliseconds, measured by the server
 */
export async function analyzePlan(client: pg.ClientBase, query: string, options: AnalyzePlanOptions = {}): Promise<AnalyzePlan> {
  const statement = await checkStatement(query);
  if (!statement.readOnly) {
    throw new StatementError(`EXPLAIN ANALYZE refused: the statement is not provably read-only (${statement.writeReasons.join('; ')})`);
  }
  const values = options.values ?? [];
  if (values.length !== statement.parameterCount) {
    throw new StatementError(
      statement.parameterCount > 0 && options.values === undefined
        ? `EXPLAIN ANALYZE needs real values for $1…$${statement.parameterCount}; only a generic plan can be made without them`
        : `the statement has ${statement.parameterCount} parameter(s) but ${values.length} value(s) were given`,
    );
  }
  const limits = { statementTimeoutMs: options.statementTimeoutMs ?? 10_000, lockTimeoutMs: options.lockTimeoutMs ?? 1_000 };
  const planned = await inGuardedSession(client, options.authors ?? [], limits, ({ plan }) =>
    plan('analyze', query, { checkText: statement.nullParameterText, values: statement.parameterCount > 0 ? values : null }),
  );
  if (planned.refused) throw new StatementError(`EXPLAIN ANALYZE refused: the catalog does not prove the statement harmless (${planned.refused.join('; ')})`);
  return { explain: parseExplainOutput(planned.plan), statement };
}
