import type pg from 'pg';
import { improvement } from '../../../plv8/advisor/recommendation/recommendation.ts';
import type { AuthorRef } from '../../../plv8/engine/guard/planners.ts';
import { whatIfIndexes } from '../../advisor/what-if-indexes.ts';
import { plainIndexDdl } from '../../database/index-ddl.ts';
import { messageOf } from '../../errors.ts';
import { checkIndexProposal } from './index-proposal.ts';

/** A proposed index must cut the estimated cost left by the engine's own set by this much, in percent. */
export const AI_INDEX_THRESHOLD_PCT = 10;

export interface IndexVerification {
  state: 'verified' | 'rejected';
  reason: string;
  /** The statement as OptiSchema would run it (named, schema-qualified, CONCURRENTLY). */
  ddl?: string;
  schema?: string;
  table?: string;
  index?: string;
  /** What-if costs: the query as it is, with the engine's set, and with the engine's set plus this index. */
  costBefore?: number;
  engineCost?: number;
  costAfter?: number;
  sizeBytes?: number;
}

/**
 * Checks each proposed index with the engine's what-if (hypopg), against the engine's own set for
 * the query: kept only when it adds to that set (the planner uses it, and the estimated cost with
 * the engine's indexes and this one in place is AI_INDEX_THRESHOLD_PCT below the engine's alone)
 * or is one of them. A statement that is not one plain CREATE INDEX, a table or column that does
 * not exist, an operator class the server does not know: rejected with the server's reason.
 *
 * @example
 *   await verifyIndexProposals(client, 'select * from orders where customer_id = 42', ['create index on orders (customer_id)'], []);
 *   // [{ state: 'verified', reason: 'the planner uses it: estimated cost 1943 → 12.1 (−99.4 %) …', ddl: 'CREATE INDEX CONCURRENTLY …' }]
 */
export async function verifyIndexProposals(
  client: pg.ClientBase,
  query: string,
  proposals: readonly string[],
  engineSet: readonly string[],
  options: { authors?: readonly AuthorRef[]; statementTimeoutMs?: number } = {},
): Promise<IndexVerification[]> {
  const checks = await Promise.all(proposals.map((p) => checkIndexProposal(client, p).catch((error) => ({ ok: false as const, reason: messageOf(error) }))));
  const candidates = checks.flatMap((c, i) => (c.ok ? [{ i, check: c }] : []));
  const results: IndexVerification[] = checks.map((c) => (c.ok ? { state: 'rejected', reason: 'not costed' } : { state: 'rejected', reason: c.reason }));
  if (candidates.length === 0) return results;
  // hypopg takes the plain statement (a hypothetical index has no build to make concurrent).
  const engine = engineSet.map((d) => plainIndexDdl(d));
  const sets = [engine, ...candidates.map(({ check }) => [...engine, plainIndexDdl(check.ddl)])];
  let whatIf;
  try {
    whatIf = await whatIfIndexes(client, query, sets, options);
  } catch (error) {
    for (const { i } of candidates) results[i] = { state: 'rejected', reason: `the query could not be planned: ${messageOf(error)}` };
    return results;
  }
  const engineCost = engineSet.length === 0 ? whatIf.costBefore : (whatIf.sets[0]!.costAfter ?? whatIf.costBefore);
  candidates.forEach(({ i, check }, n) => {
    const set = whatIf.sets[n + 1]!;
    const base = { ddl: check.ddl, schema: check.schema, table: check.table, index: check.index, costBefore: whatIf.costBefore, engineCost };
    if (set.error !== undefined) {
      results[i] = { ...base, state: 'rejected', reason: `PostgreSQL refused it: ${set.error}` };
      return;
    }
    const costAfter = set.costAfter!;
    const used = set.used![set.used!.length - 1] === true;
    const sizeBytes = set.sizeBytes![set.sizeBytes!.length - 1];
    const saved = improvement(engineCost, costAfter);
    const against = engineSet.length === 0 ? 'the query as it is' : `the engine's ${engineSet.length} index(es)`;
    const figures = `estimated cost ${round(engineCost)} → ${round(costAfter)} against ${against}`;
    if (sameIndex(check.ddl, engineSet)) results[i] = { ...base, costAfter, sizeBytes, state: 'verified', reason: `the engine recommends the same index (${figures})` };
    else if (!used) results[i] = { ...base, costAfter, sizeBytes, state: 'rejected', reason: `the planner does not use it (${figures})` };
    else if (saved < AI_INDEX_THRESHOLD_PCT) results[i] = { ...base, costAfter, sizeBytes, state: 'rejected', reason: `it saves only ${saved.toFixed(1)} % (${figures}; needs ${AI_INDEX_THRESHOLD_PCT} %)` };
    else results[i] = { ...base, costAfter, sizeBytes, state: 'verified', reason: `by hypopg what-if: the planner uses it; ${figures} (−${saved.toFixed(1)} %)` };
  });
  return results;
}

const round = (n: number): string => (Math.round(n * 10) / 10).toString();

/** The same index as one of the engine's: the DDL after `INDEX [CONCURRENTLY] name`, whitespace and case aside. */
function sameIndex(ddl: string, engineSet: readonly string[]): boolean {
  const shape = (s: string) => s.replace(/^\s*create\s+index\s+(concurrently\s+)?\S+\s+/i, '').replace(/\s+/g, ' ').toLowerCase();
  return engineSet.some((e) => shape(e) === shape(ddl));
}
