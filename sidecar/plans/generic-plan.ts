import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { parseExplainOutput, type ExplainRoot } from './explain-output.ts';
import { extendedQuery, inRolledBackTransaction } from './rolled-back-transaction.ts';
import { checkStatement, parseSingle, StatementError, type StatementCheck } from './statement-check.ts';

export interface GenericPlanOptions {
  /** statement_timeout inside the planning transaction; default 10 s. */
  statementTimeoutMs?: number;
  /** lock_timeout inside it; default 1 s. */
  lockTimeoutMs?: number;
}

export interface GenericPlan {
  explain: ExplainRoot;
  /** How it was obtained: EXPLAIN (GENERIC_PLAN) on PG 16+, PREPARE + EXPLAIN EXECUTE before. */
  method: 'generic_plan_option' | 'prepare_execute';
  /** The parameter types the server inferred (PREPARE path only; null on PG 16+). */
  parameterTypes: string[] | null;
  statement: StatementCheck;
}

/**
 * The generic plan of a normalized text (`$1`, `$2` … as pg_stat_statements prints it): the plan
 * PostgreSQL would use for any parameter values. Nothing is executed, so INSERT, UPDATE and DELETE
 * work too; it all happens in a READ ONLY transaction that is rolled back.
 *
 * PG 16+: `EXPLAIN (GENERIC_PLAN, VERBOSE, FORMAT JSON) <text>`.
 * PG 14/15: `PREPARE` under a unique name, `plan_cache_mode = force_generic_plan` (SET LOCAL), then
 * `EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE name(NULL, …)` with one NULL per parameter as counted by
 * pg_prepared_statements.parameter_types; the NULLs are never looked at, a generic plan does not
 * depend on values. The prepared statement outlives a rollback, so it is deallocated in any case.
 *
 * @example
 *   const { explain } = await genericPlan(client, 'update t set name = $1 where id = $2');
 *   explain.Plan['Node Type']; // 'ModifyTable'
 */
export async function genericPlan(client: pg.ClientBase, query: string, options: GenericPlanOptions = {}): Promise<GenericPlan> {
  const statement = await checkStatement(query);
  const limits = { statementTimeoutMs: options.statementTimeoutMs ?? 10_000, lockTimeoutMs: options.lockTimeoutMs ?? 1_000 };
  const version = await serverVersionNum(client);
  if (version >= 160000) {
    const text = `explain (generic_plan, verbose, format json) ${query}`;
    await expectOne(text, 'ExplainStmt');
    // The simple protocol: over the extended one the server would ask for the $n values. The
    // parser check above has established that the text is one EXPLAIN.
    const explain = await inRolledBackTransaction(client, limits, async () => explainRows(await client.query(text)));
    return { explain, method: 'generic_plan_option', parameterTypes: null, statement };
  }
  const name = `optischema_plan_${randomBytes(8).toString('hex')}`;
  const prepare = `prepare ${name} as ${query}`;
  await expectOne(prepare, 'PrepareStmt');
  let prepared = false;
  try {
    return await inRolledBackTransaction(
      client,
      { ...limits, settings: { plan_cache_mode: 'force_generic_plan' } },
      async () => {
        await client.query(extendedQuery(prepare));
        prepared = true;
        const types = await client.query<{ parameter_types: string[] }>(
          'select parameter_types::text[] as parameter_types from pg_prepared_statements where name = $1',
          [name],
        );
        const parameterTypes = types.rows[0]?.parameter_types ?? [];
        const nulls = parameterTypes.length === 0 ? '' : `(${parameterTypes.map(() => 'null').join(', ')})`;
        const explain = explainRows(await client.query(extendedQuery(`explain (verbose, format json) execute ${name}${nulls}`)));
        return { explain, method: 'prepare_execute' as const, parameterTypes, statement };
      },
    );
  } finally {
    // PREPARE is not transactional: the statement survives the rollback and must go. A failure
    // here (the connection is gone) is not worth hiding the caller's result or error for; a
    // leftover prepared statement costs only memory in that one session.
    if (prepared) await client.query(`deallocate ${name}`).catch(() => undefined);
  }
}

async function serverVersionNum(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ v: number }>(`select current_setting('server_version_num')::int as v`);
  return rows[0]?.v ?? 0;
}

/** The composed text is re-parsed: prefixing must not have turned one statement into two. */
async function expectOne(text: string, nodeName: string): Promise<void> {
  const node = await parseSingle(text);
  if (!(nodeName in node)) throw new StatementError(`the statement does not compose into one ${nodeName}`);
}

function explainRows(result: pg.QueryResult): ExplainRoot {
  return parseExplainOutput(result.rows[0]?.['QUERY PLAN']);
}
