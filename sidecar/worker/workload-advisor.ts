import type pg from 'pg';
import type { WorkloadError } from '../../plv8/advisor/workload/advise-workload.ts';
import type { AdvisedIndex, ServedQuery } from '../advisor/store-recommendations.ts';
import type { Queryable } from '../database/queryable.ts';

/**
 * What the worker needs of the workload advisor (sidecar/advisor/workload.ts's adviseWorkload
 * fits): index recommendations for a target's collected workload, each with the queries it serves.
 * Narrow on purpose, so tests can stand in for it without building a whole workload summary.
 */
export type AdviseWorkload = (
  target: pg.Pool,
  options: { since?: string; budgetBytes?: number | null; history?: { db: Queryable; targetId: string } },
) => Promise<{ recommendations: Array<AdvisedIndex & { queries: ServedQuery[] }>; errors: ReadonlyArray<string | WorkloadError> }>;


/** One line per error, for psql's `error: …` rows and the log. */
export function workloadErrorText(error: string | WorkloadError): string {
  if (typeof error === 'string') return error;
  const text = error.query.replace(/\s+/g, ' ').trim();
  return `${error.error} (query${error.queryid ? ` ${error.queryid}` : ''}: ${text.length > 80 ? `${text.slice(0, 77)}…` : text})`;
}
