import recordedJson from './fixtures/recommendations.json' with { type: 'json' };
import type { RecommendationDetailInput } from '../../../ui/src/pages/recommendations/recommendation-view.ts';

/**
 * Recommendations as the API returned them (`allRecommendations` on the demo database, recorded
 * with every field the pages read): one applied after a validation, two rejected, one inconclusive.
 */
export type RecordedRecommendation = RecommendationDetailInput & {
  improvementPct: string | null;
  recommendationNotesByRecommendationId: { nodes: unknown[] };
};

const recorded = recordedJson as unknown as {
  data: { allRecommendations: { nodes: RecordedRecommendation[] }; allTargets: { nodes: { rowId: string; name: string }[] } };
};

export const recordedRows: readonly RecordedRecommendation[] = recorded.data.allRecommendations.nodes;
export const recordedTargets = recorded.data.allTargets.nodes;

/** The first recorded recommendation in `state`. */
export function recordedIn(state: string): RecordedRecommendation {
  const row = recordedRows.find((r) => r.state === state);
  if (!row) throw new Error(`no recorded recommendation is ${state}`);
  return structuredClone(row);
}

/**
 * The applied one as it was just after its validation (the demo's policy applied it by itself
 * within a second, so a validated row was never there to record).
 */
export function validatedRow(): RecordedRecommendation {
  return { ...recordedIn('applied'), state: 'validated', applyAt: null, stateReason: '1 statement(s) faster: 0.06 → 0.04 ms (median of 5)' };
}

/** A fresh proposal: no validation yet. */
export function proposedRow(): RecordedRecommendation {
  return { ...recordedIn('applied'), state: 'proposed', validation: null, validatedAt: null, measuredImprovementPct: null, applyAt: null, stateReason: null };
}
