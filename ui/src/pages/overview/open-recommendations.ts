/** The states in which a recommendation still waits for someone (or the loop) to act. */
export const OPEN_STATES = ['proposed', 'validating', 'validated', 'inconclusive', 'scheduled'] as const;

export interface RecommendationRow {
  rowId: string;
  title: string | null;
  state: string | null;
  improvementPct: string | null;
  measuredImprovementPct: string | null;
  targetId: string | null;
}

/** The expected gain: measured on the sandbox when it was, else the estimate. */
export function expectedGain(r: RecommendationRow): { pct: number | null; source: 'measured' | 'estimated' } {
  if (r.measuredImprovementPct !== null) return { pct: Number(r.measuredImprovementPct), source: 'measured' };
  return { pct: r.improvementPct === null ? null : Number(r.improvementPct), source: 'estimated' };
}

/** Open recommendations, the largest expected gain first, at most `limit`. */
export function openByGain(rows: readonly RecommendationRow[], limit = 5): RecommendationRow[] {
  return rows
    .filter((r) => (OPEN_STATES as readonly (string | null)[]).includes(r.state))
    .sort((a, b) => (expectedGain(b).pct ?? -1) - (expectedGain(a).pct ?? -1))
    .slice(0, limit);
}
