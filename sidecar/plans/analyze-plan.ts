import type pg from 'pg';
import { parseExplainOutput, type ExplainRoot } from './explain-output.ts';
import { extendedQuery, inRolledBackTransaction } from './rolled-back-transaction.ts';
import { checkStatement, parseSingle, StatementError, type StatementCheck } from './statement-check.ts';

export interface AnalyzePlanOptions {
  /** Values for `$1…$n`, as text (the server casts them as the query needs); null is SQL NULL. */
  values?: readonly (string | null)[];
  /** statement_timeout for the run; default 10 s. A slow query is cut off, not waited for. */
  statementTimeoutMs?: number;
  /** lock_timeout; default 1 s. */
  lockTimeoutMs?: number;
}

export interface AnalyzePlan {
  explain: ExplainRoot;
  statement: StatementCheck;
}

/**
 * `EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON)`: the query is really executed, so it is done
 * only when
 *  - the text is exactly one provably read-only statement (checked by the parser first: a writing
 *    or multi-statement text is refused with StatementError and never sent), and
 *  - the values are known: a literal text without `$n`, or one value per `$n` (e.g. pg_qualstats
 *    sample constants);
 * and it runs inside `BEGIN READ ONLY … ROLLBACK` with a statement_timeout, over the extended
 * protocol (which refuses several statements on its own), values as bind parameters.
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
  const text = `explain (analyze, buffers, verbose, format json) ${query}`;
  const composed = await parseSingle(text);
  if (!('ExplainStmt' in composed)) throw new StatementError('the statement does not compose into one EXPLAIN');
  const limits = { statementTimeoutMs: options.statementTimeoutMs ?? 10_000, lockTimeoutMs: options.lockTimeoutMs ?? 1_000 };
  const explain = await inRolledBackTransaction(client, limits, async () => {
    const result = await client.query(extendedQuery(text, values));
    return parseExplainOutput(result.rows[0]?.['QUERY PLAN']);
  });
  return { explain, statement };
}
