import type { ParameterEvidence } from '../../plv8/advisor/query/evaluate-query.ts';
import type pg from 'pg';
import { adviseQuery, type AdviseQueryOptions, type Recommendation } from '../../plv8/advisor/query/advise-query.ts';
import { inRolledBackTransaction } from '../plans/rolled-back-transaction.ts';
import { statementRefusal } from '../plans/statement-check.ts';
import { ensureAnalysisRole } from './ensure-analysis-role.ts';
import { ensureHypopg } from './ensure-hypopg.ts';
import { resetHypopg } from './reset-hypopg.ts';
import { runStep, type StepQueryable } from './run-step.ts';

export interface QueryAdviceResult {
  query: string;
  recommendations: Recommendation[];
  errors: string[];
  /** For a `$n` text: the values it was planned with, or why its generic plan stood in. */
  parameters?: ParameterEvidence;
}

export interface AdviseOptions extends AdviseQueryOptions {
  /** lock_timeout, in milliseconds: planning takes AccessShareLock and must not queue behind DDL. Default 2000. */
  lockTimeoutMs?: number;
}

/**
 * Index advice for each query, in order. hypopg is made available first (ensureHypopg). Per query:
 * the parser check first (exactly one statement; `$n` texts get generic plans), then the engine's
 * adviseQuery on one dedicated client inside `BEGIN … ROLLBACK`, so neither settings nor the
 * planning guard's temporary functions outlive the analysis, and hypopg's reset after it
 * (hypothetical indexes are not transactional). The query is planned as its author (`authors`,
 * default this session's role) inside the guard, never with a superuser's rights
 * (plv8/engine/guard/). A bad query becomes `errors` for that query; only a database that cannot
 * be reached throws.
 *
 * INSERT/UPDATE/DELETE are allowed: plain EXPLAIN plans them without running them.
 *
 * @example
 *   const { results } = await adviseQueries(pool, ['select * from orders where customer_id = 42']);
 *   // [{ query: '…', recommendations: [{ sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx …', … }], errors: [] }]
 */
export async function adviseQueries(db: pg.Pool, queries: readonly string[], options: AdviseOptions = {}): Promise<{ results: QueryAdviceResult[] }> {
  const client = await db.connect();
  let broken = false;
  try {
    await ensureHypopg(client);
    await ensureAnalysisRole(client);
    const results: QueryAdviceResult[] = [];
    for (const query of queries) {
      const refused = await statementRefusal(query);
      if (refused !== null) {
        results.push({ query, recommendations: [], errors: [refused] });
        continue;
      }
      const limits = { statementTimeoutMs: options.statementTimeoutMs ?? 10_000, lockTimeoutMs: options.lockTimeoutMs ?? 2_000, mode: 'read write' as const };
      const advice = await inRolledBackTransaction(client, limits, () => runStep(adviseQuery(query, options), withSavepoints(client)));
      // ROLLBACK keeps hypothetical indexes; the step resets them, this covers a step cut short.
      await resetHypopg(client);
      results.push({ query, ...advice });
    }
    return { results };
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}


/**
 * Runs each request in its own savepoint, so a request the server refuses (unknown column, a
 * candidate hypopg cannot build) leaves the transaction usable for the step's next requests and
 * its final reset of hypopg and the guard. The request itself still goes through the extended protocol.
 */
export function withSavepoints(client: pg.ClientBase): StepQueryable {
  return {
    async query(config) {
      await client.query('savepoint advisor_request');
      try {
        const result = await client.query(config as pg.QueryConfig);
        await client.query('release savepoint advisor_request');
        return result;
      } catch (error) {
        await client.query('rollback to savepoint advisor_request').catch(() => undefined);
        throw error;
      }
    },
  };
}
