import type { Recommendation } from '../../plv8/advisor/recommendation/recommendation.ts';
import type { ParameterEvidence } from '../../plv8/advisor/query/evaluate-query.ts';
import type { Queryable } from '../database/queryable.ts';

/**
 * The fields of an engine recommendation the store reads into columns; every further field
 * (`risk`, `writeOverhead`, …) is kept in the evidence as it came.
 */
export type AdvisedIndex = Pick<Recommendation, 'sql' | 'rollbackSql' | 'table' | 'costBefore' | 'costAfter' | 'improvementPct' | 'sizeBytes' | 'rationale'>;

/** A query an index recommendation serves: the evidence kept with it. */
export interface ServedQuery {
  queryid?: string | null;
  query: string;
  costBefore: number;
  costAfter: number;
  improvementPct: number;
  /** The parameter values the advisor planned it with (validation runs it with the same ones). */
  parameters?: ParameterEvidence;
}

/** What the store takes: the engine's recommendation as it came, and the queries it serves. */
export type RecommendationToStore = AdvisedIndex & { queries?: readonly ServedQuery[] };

/** Who found a recommendation; kept in its evidence (`sources`, and `source` on each query). */
export type RecommendationSource = 'advise_query' | 'advise_workload' | 'ai_review';

export interface StoredRecommendation {
  id: string;
  /** false: the same index was recommended before for this target, and that row was refreshed. */
  created: boolean;
  /** The row's state, unchanged by the store: a dismissed or applied one stays so. */
  state: string;
}

/**
 * Stores index recommendations for a target with their evidence, deduplicated across runs (one row
 * per target and index; see optischema.record_index_recommendations in 0009 for the rules).
 *
 * @example
 *   await storeIndexRecommendations(pool, targetId, 'advise_query', [{ ...recommendation, queries: [{ queryid, query, … }] }]);
 *   // [{ id: '…', created: true, state: 'proposed' }]
 */
export async function storeIndexRecommendations(
  db: Queryable,
  targetId: string,
  source: RecommendationSource,
  recommendations: readonly RecommendationToStore[],
): Promise<StoredRecommendation[]> {
  if (recommendations.length === 0) return [];
  const { rows } = await db.query<{ recommendation_id: string; created: boolean; state: string }>(
    'select * from optischema.record_index_recommendations($1, $2, $3::jsonb)',
    [targetId, source, JSON.stringify(recommendations)],
  );
  return rows.map((row) => ({ id: row.recommendation_id, created: row.created, state: row.state }));
}

/** The evidence entry for the one query a per-query recommendation came from. */
export function servedQuery(recommendation: AdvisedIndex, query: string, queryid?: string, parameters?: ParameterEvidence): ServedQuery {
  return {
    ...(queryid === undefined ? {} : { queryid }),
    ...(parameters === undefined ? {} : { parameters }),
    query,
    costBefore: recommendation.costBefore,
    costAfter: recommendation.costAfter,
    improvementPct: recommendation.improvementPct,
  };
}
