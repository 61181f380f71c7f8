/**
 * The plan-insight advisor's two reads, validated as they enter, and their mapping to the pure
 * engine's types: captured plans from OptiSchema's store (captured-plans.sql), table statistics
 * from the target (table-stats.sql).
 */
import { z } from 'zod';
import type { TableStats } from '../../../plv8/plan/insights/index.ts';
import type { EvidenceQuery } from '../../validation/measured-statements.ts';

export const CapturedPlanRow = z.object({
  queryid: z.string(),
  captured_at: z.date(),
  /** Validated further by parseExplainOutput, per plan (one bad plan costs only itself). */
  plan: z.unknown(),
  /** capture.ts: `{ source: 'given' | 'literal' | 'pg_qualstats', values }` for an analyze plan. */
  parameters: z.looseObject({ source: z.string().optional(), values: z.array(z.string().nullable()).optional() }).nullable(),
  query: z.string().nullable(),
});
export type CapturedPlanRow = z.infer<typeof CapturedPlanRow>;

export const TableStatsRow = z.object({
  schema: z.string(),
  table: z.string(),
  reltuples: z.number(),
  n_live_tup: z.number(),
  n_mod_since_analyze: z.number(),
  last_analyze: z.date().nullable(),
  last_autoanalyze: z.date().nullable(),
});
export type TableStatsRow = z.infer<typeof TableStatsRow>;

/**
 * The statement as a recommendation's evidence keeps it (evidence.queries, read by the validation
 * to run it again with the values the plan was captured with).
 */
export function evidenceQueryOf(row: CapturedPlanRow): EvidenceQuery | null {
  if (row.query === null) return null;
  const values = row.parameters?.values ?? [];
  if (values.length === 0) return { queryid: row.queryid, query: row.query };
  const source = row.parameters?.source ?? 'given';
  return {
    queryid: row.queryid,
    query: row.query,
    parameters: {
      source: source === 'pg_qualstats' ? 'pg_qualstats' : 'activity',
      typing: 'as written',
      sets: [{ label: 'captured', weight: 1, values }],
      why: `the values the EXPLAIN ANALYZE plan was captured with (${source})`,
    },
  };
}

export function tableStatsOf(row: TableStatsRow): TableStats {
  return {
    schema: row.schema,
    table: row.table,
    reltuples: row.reltuples,
    nLiveTup: row.n_live_tup,
    nModSinceAnalyze: row.n_mod_since_analyze,
    lastAnalyze: row.last_analyze?.toISOString() ?? null,
    lastAutoanalyze: row.last_autoanalyze?.toISOString() ?? null,
  };
}
