/**
 * A recommendation as OptiSchema reports it: the statement to run, how to undo it, the estimates
 * it rests on and a plain-English rationale. Built the same way for per-query and workload advice.
 */
import type { IndexCandidate, Uncertainty } from '../candidates/index-candidate.ts';
import { indexDdl, rollbackDdl } from '../candidates/index-names.ts';
import { assessRisk, formatBytes, writeOverhead, type RiskLevel } from './risk.ts';
import { STATISTICS_MISSING, type TableFacts } from '../../catalog/table-facts.ts';

export interface Recommendation {
  kind: 'index';
  /** The index to build: CREATE INDEX CONCURRENTLY … (not in a transaction block). A partitioned
   * table gets a plain CREATE INDEX, since PostgreSQL cannot build that one concurrently. */
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
  /** Index entries written per second from the table's measured inserts and non-HOT updates. */
  writeOverhead: { indexWritesPerSecond: number; hotUpdatesAtRiskPerSecond: number; summary: string };
  risk: { level: RiskLevel; reason: string };
  /** The plan facts the candidate rests on and the hypopg estimate. */
  rationale: string;
  /** The other indexes (their CREATE statements) the estimate assumes in place: the arms of one
   * OR, or the indexes chosen before this one for a join. */
  together?: string[];
  /** Set when the estimate cannot be trusted and measurement (a real build in the sandbox) must
   * decide: why, in `note`. */
  uncertainty?: { kind: Uncertainty; note: string };
}

export function recommendationFor(candidate: IndexCandidate, table: TableFacts, cost: { before: number; after: number; sizeBytes: number }): Recommendation {
  const concurrently = table.kind !== 'p';
  const improvementPct = Math.round(improvement(cost.before, cost.after) * 10) / 10;
  const overhead = writeOverhead(table);
  const uncertainty = candidate.uncertainty === undefined ? {} : { uncertainty: { kind: candidate.uncertainty, note: UNCERTAINTY_NOTES[candidate.uncertainty] } };
  return {
    ...uncertainty,
    kind: 'index',
    sql: indexDdl(candidate, { concurrently }),
    rollbackSql: rollbackDdl(candidate, { concurrently }),
    table: `${candidate.schema}.${candidate.table}`,
    costBefore: cost.before,
    costAfter: cost.after,
    improvementPct,
    sizeBytes: cost.sizeBytes,
    writeOverhead: overhead,
    risk: assessRisk(table, overhead),
    rationale:
      `${candidate.reason}; the table has about ${Math.round(table.rows)} rows (${formatBytes(table.bytes)}); ` +
      `estimated by hypopg: cost ${round(cost.before)} → ${round(cost.after)} (−${improvementPct}%), index about ${formatBytes(cost.sizeBytes)}` +
      (table.statisticsMissing ? `; ${STATISTICS_MISSING}` : ''),
  };
}

const UNCERTAINTY_NOTES: Record<Uncertainty, string> = {
  expression: 'estimate unreliable: hypopg has no statistics for a new expression, so the planner guessed its selectivity; measure it with a real build in the sandbox',
  'access-method': 'estimate unavailable: hypopg cannot cost this access method; measure it with a real build in the sandbox',
};

/**
 * A recommendation for a candidate what-if costing could not judge: no estimate after, only the
 * share of the query's cost spent on the scan it would replace, and its uncertainty.
 */
export function unjudgedRecommendation(candidate: IndexCandidate, table: TableFacts, costBefore: number, scanShare: number, why: string): Recommendation {
  const base = recommendationFor({ ...candidate, uncertainty: candidate.uncertainty ?? 'expression' }, table, { before: costBefore, after: costBefore, sizeBytes: 0 });
  return {
    ...base,
    rationale:
      `${candidate.reason}; the table has about ${Math.round(table.rows)} rows (${formatBytes(table.bytes)}); ` +
      `not estimated: ${why}; its scans take about ${Math.round(scanShare * 100)}% of the query's estimated cost (${round(costBefore)}), the most this index could save` +
      (table.statisticsMissing ? `; ${STATISTICS_MISSING}` : ''),
  };
}

/** Percent of `before` saved; 0 when there was nothing to save. */
export function improvement(before: number, after: number): number {
  return before > 0 ? ((before - after) / before) * 100 : 0;
}

function round(cost: number): number {
  return Math.round(cost * 100) / 100;
}
