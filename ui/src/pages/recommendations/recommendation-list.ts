import { advisorLabel, riskLevel, ruleLabel, type RiskLevel } from './recommendation-kind.ts';

/** Every state a recommendation can be in (0014's check constraint), in the order of its life. */
export const RECOMMENDATION_STATES = [
  'proposed',
  'validating',
  'validated',
  'rejected',
  'inconclusive',
  'scheduled',
  'applying',
  'applied',
  'failed',
  'rolling_back',
  'rolled_back',
  'dismissed',
] as const;

/** A list row as the API gives it (the fields RecommendationList reads). */
export interface RecommendationListInput {
  rowId: string;
  kind?: string | null;
  rule?: string | null;
  risk?: string | null;
  title: string | null;
  statement: string | null;
  state: string | null;
  targetId: string | null;
  improvementPct: string | null;
  measuredImprovementPct: string | null;
  sizeBytes: string | null;
  createdAt: string | null;
  lastSeenAt: string | null;
}

export interface RecommendationListItem {
  id: string;
  /** The title, or the index SQL cut short when there is none. */
  label: string;
  /** Which advisor made it ("Index advisor", "Index hygiene"…). */
  advisor: string;
  /** A health advisor's rule in plain words ("unused index"); null for the index advisor. */
  rule: string | null;
  risk: RiskLevel | null;
  state: string | null;
  targetId: string | null;
  database: string;
  estimatedPct: number | null;
  measuredPct: number | null;
  sizeBytes: number | null;
  createdAt: string | null;
  lastSeenAt: string | null;
}

const SHORT = 80;

/** "CREATE INDEX CONCURRENTLY x ON demo.orders (created_at)" → "demo.orders (created_at)", at most 80 characters. */
export function shortSql(statement: string | null): string {
  if (!statement) return '(no statement)';
  const one = statement.replace(/\s+/g, ' ').trim();
  const on = /^create (?:unique )?index (?:concurrently )?(?:if not exists )?\S+ on (?:only )?(.*)$/i.exec(one);
  const shown = on ? on[1]! : one;
  return shown.length > SHORT ? `${shown.slice(0, SHORT - 1)}…` : shown;
}

const numberOf = (v: string | null): number | null => {
  if (v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/**
 * The list's rows, newest first, each with its database's name (`targets`: id → name; a target
 * the caller cannot read shows as "unknown database").
 */
export function listItems(rows: readonly RecommendationListInput[], targets: ReadonlyMap<string, string>): RecommendationListItem[] {
  return rows
    .map((r) => ({
      id: r.rowId,
      label: r.title?.trim() || shortSql(r.statement),
      advisor: advisorLabel(r.kind),
      rule: ruleLabel(r.rule),
      risk: riskLevel(r.risk),
      state: r.state,
      targetId: r.targetId,
      database: (r.targetId && targets.get(r.targetId)) || 'unknown database',
      estimatedPct: numberOf(r.improvementPct),
      measuredPct: numberOf(r.measuredImprovementPct),
      sizeBytes: numberOf(r.sizeBytes),
      createdAt: r.createdAt,
      lastSeenAt: r.lastSeenAt,
    }))
    .sort((a, b) => (Date.parse(b.createdAt ?? '') || 0) - (Date.parse(a.createdAt ?? '') || 0));
}

export function targetNames(targets: readonly { rowId: string; name: string | null }[]): Map<string, string> {
  return new Map(targets.map((t) => [t.rowId, t.name ?? t.rowId]));
}

/** A state filter from the URL: only a known state filters (anything else lists them all). */
export function stateFilter(state: string | undefined): string | undefined {
  return state && (RECOMMENDATION_STATES as readonly string[]).includes(state) ? state : undefined;
}
