/**
 * Index advice for one query, from the planner's own estimates: plan it, read index candidates off
 * the plan, cost each as a hypothetical index (hypopg), and keep the few the planner would use
 * that cut its estimated cost enough.
 *
 * Scope: literal queries. A query with `$n` parameters has no values to plan with here (it needs a
 * generic plan or sampled values first) and is reported as an error by the server.
 *
 * Errors are data: a query the server refuses (unknown column, syntax error, timeout) gives
 * `{ recommendations: [], errors: [message] }`; the step never throws for a bad query.
 */
import { candidatesFromPlan, type IndexCandidate } from './candidates.ts';
import { existingIndexes, isLeadingPrefix, servedByExisting, type ExistingIndex } from './existing-indexes.ts';
import { indexDdl, rollbackDdl } from './index-names.ts';
import { evaluateCandidate, explainCost, resetHypothetical } from './what-if.ts';
import type { Step } from '../engine/protocol.ts';

export interface AdviseQueryOptions {
  /** Keep an index only if it cuts the estimated cost by at least this much, in percent. Default 20. */
  thresholdPct?: number;
  /** statement_timeout for every request of the analysis, in milliseconds. Default 10000. */
  statementTimeoutMs?: number;
  /** At most this many recommendations. Default 2. */
  maxRecommendations?: number;
}

export interface Recommendation {
  /** The index to build: CREATE INDEX CONCURRENTLY … (not in a transaction block). */
  sql: string;
  /** How to undo it: DROP INDEX CONCURRENTLY IF EXISTS … */
  rollbackSql: string;
  /** `schema.table` as the catalog names it (unquoted). */
  table: string;
  /** Planner estimates (arbitrary cost units), without and with the hypothetical index. */
  costBefore: number;
  costAfter: number;
  /** (costBefore − costAfter) / costBefore × 100, one decimal. */
  improvementPct: number;
  /** hypopg's estimate of the index size, in bytes. */
  sizeBytes: number;
  /** The plan facts the candidate rests on and the hypopg estimate. */
  rationale: string;
}

export interface QueryAdvice {
  /** Best first (lowest estimated cost), at most `maxRecommendations`. */
  recommendations: Recommendation[];
  /** Why the analysis (or part of it) failed; empty when it ran through. */
  errors: string[];
}

interface Kept {
  candidate: IndexCandidate;
  costAfter: number;
  sizeBytes: number;
}

/**
 * @example
 *   const advice = await runStep(adviseQuery('select * from orders where customer_id = 42'), client);
 *   // { recommendations: [{ sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)',
 *   //    costBefore: 1943, costAfter: 391.3, improvementPct: 79.9, … }], errors: [] }
 */
export function* adviseQuery(query: string, options: AdviseQueryOptions = {}): Step<QueryAdvice> {
  const thresholdPct = options.thresholdPct ?? 20;
  const errors: string[] = [];
  const kept: Kept[] = [];
  let costBefore = 0;
  try {
    // is_local = true: SET LOCAL, gone with the caller's transaction (a request must return rows).
    yield { sql: 'select set_config($1, $2, true) as timeout', params: ['statement_timeout', `${Math.round(options.statementTimeoutMs ?? 10_000)}ms`] };
    const before = yield* explainCost(query);
    costBefore = before.totalCost;

    const existing = new Map<string, ExistingIndex[]>();
    for (const candidate of candidatesFromPlan(before.plan)) {
      const table = `${candidate.schema}.${candidate.table}`;
      if (!existing.has(table)) existing.set(table, yield* existingIndexes(candidate.schema, candidate.table));
      if (servedByExisting(candidate, existing.get(table)!)) continue;

      const ddl = indexDdl(candidate, { concurrently: false });
      let cost;
      try {
        cost = yield* evaluateCandidate(query, ddl);
      } catch (error) {
        // The failed request may have aborted the caller's transaction: stop costing here.
        errors.push(`hypothetical index ${ddl}: ${errorMessage(error)}`);
        break;
      }
      if (cost.used && improvement(costBefore, cost.totalCost) >= thresholdPct) {
        kept.push({ candidate, costAfter: cost.totalCost, sizeBytes: cost.sizeBytes });
      }
    }
  } catch (error) {
    errors.push(errorMessage(error));
  } finally {
    try {
      yield* resetHypothetical();
    } catch {
      // An aborted transaction refuses even this; the caller resets again once it has rolled back.
    }
  }
  return { recommendations: choose(kept, costBefore, options.maxRecommendations ?? 2), errors };
}

/** Best first; a candidate that a better one serves by the leading-prefix rule is left out. */
function choose(kept: Kept[], costBefore: number, max: number): Recommendation[] {
  const sorted = [...kept].sort((a, b) => a.costAfter - b.costAfter || a.sizeBytes - b.sizeBytes);
  const chosen: Kept[] = [];
  for (const k of sorted) {
    const served = chosen.some(
      (better) => better.candidate.schema === k.candidate.schema && better.candidate.table === k.candidate.table && isLeadingPrefix(k.candidate.keys, better.candidate.keys),
    );
    if (!served) chosen.push(k);
  }
  return chosen.slice(0, max).map(({ candidate, costAfter, sizeBytes }) => {
    const improvementPct = Math.round(improvement(costBefore, costAfter) * 10) / 10;
    return {
      sql: indexDdl(candidate, { concurrently: true }),
      rollbackSql: rollbackDdl(candidate),
      table: `${candidate.schema}.${candidate.table}`,
      costBefore,
      costAfter,
      improvementPct,
      sizeBytes,
      rationale: `${candidate.reason}; estimated by hypopg: cost ${costBefore} → ${costAfter} (−${improvementPct}%), index about ${formatBytes(sizeBytes)}`,
    };
  });
}

function improvement(before: number, after: number): number {
  return before > 0 ? ((before - after) / before) * 100 : 0;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
