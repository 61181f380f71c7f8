/**
 * stale_statistics: a scan is misestimated and its table changed a lot since it was last analyzed
 * (or was never analyzed): the planner is working from an old picture of the table. Fix: ANALYZE.
 */
import { count, isExcluded, nodeRef, relationSql, relationText, type VisitedNode } from './plan-tree.ts';
import type { Misestimate } from './row-misestimate.ts';
import type { PlanInsight, Severity, TableStats } from './types.ts';

/**
 * Autovacuum's own trigger for ANALYZE (PostgreSQL documentation, "The Autovacuum Daemon"):
 * autovacuum_analyze_threshold (50) + autovacuum_analyze_scale_factor (0.1) × reltuples rows
 * changed since the last analyze. Past it, autovacuum would have analyzed the table itself.
 */
export const STALE_BASE_ROWS = 50;
export const STALE_SCALE_FACTOR = 0.1;

/** Whether the table's statistics are stale, with the numbers that say so; null when they are fresh or unknown. */
export function staleness(stats: TableStats): { changed: number; threshold: number; neverAnalyzed: boolean } | null {
  const neverAnalyzed = stats.lastAnalyze === null && stats.lastAutoanalyze === null;
  const believed = Math.max(stats.reltuples, 0);
  const threshold = STALE_BASE_ROWS + STALE_SCALE_FACTOR * believed;
  if (!neverAnalyzed && stats.nModSinceAnalyze <= threshold) return null;
  if (neverAnalyzed && stats.nLiveTup === 0 && stats.nModSinceAnalyze === 0) return null; // an empty table: nothing to learn
  return { changed: stats.nModSinceAnalyze, threshold: Math.round(threshold), neverAnalyzed };
}

export function staleStatistics(visited: VisitedNode, misestimate: Misestimate, severity: Severity, tables: readonly TableStats[]): PlanInsight | null {
  const relation = visited.relation;
  if (!relation || isExcluded(relation)) return null;
  const stats = tables.find((t) => t.table === relation.table && (relation.schema === undefined || t.schema === relation.schema));
  if (!stats) return null;
  const stale = staleness(stats);
  if (!stale) return null;
  const name = relationText(relation);
  const lastAnalyzed = [stats.lastAnalyze, stats.lastAutoanalyze].filter((t): t is string => t !== null).sort().at(-1) ?? null;
  return {
    rule: 'stale_statistics',
    severity,
    node: nodeRef(visited),
    message: stale.neverAnalyzed
      ? `${name} has never been analyzed (pg_stat_user_tables) and holds about ${count(stats.nLiveTup)} live rows; the planner's ${Math.round(misestimate.factor)}× misestimate on it comes from missing statistics.`
      : `${name} had ${count(stale.changed)} rows changed since its last analyze (pg_stat_user_tables.n_mod_since_analyze), ` +
        `past autovacuum's trigger of ${count(stale.threshold)} (50 + 10% of the ${count(Math.max(stats.reltuples, 0))} rows pg_class.reltuples holds); ` +
        `the planner's ${Math.round(misestimate.factor)}× misestimate on it comes from statistics older than the data.`,
    evidence: {
      nModSinceAnalyze: stats.nModSinceAnalyze,
      reltuples: stats.reltuples,
      nLiveTup: stats.nLiveTup,
      analyzeThreshold: stale.threshold,
      lastAnalyzed,
      plannedRows: misestimate.planned,
      actualRows: misestimate.actual,
      factor: Math.round(misestimate.factor),
    },
    fix: {
      sql: `ANALYZE ${relationSql(relation)};`,
      rollbackSql: null,
      why: 'ANALYZE samples the table again (a share lock that blocks no reads or writes); old statistics cannot be restored, and need not be.',
    },
  };
}
