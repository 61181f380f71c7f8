import { formatCount, formatMs } from '../../format.ts';
import { findingOf, type Fact } from './finding-facts.ts';
import { findingValidation, type FindingValidationView } from './finding-validation.ts';
import { parseEvidence, type Evidence } from './recommendation-evidence.ts';
import { advisorLabel, isHealthKind, riskLevel, ruleLabel, type RiskLevel } from './recommendation-kind.ts';
import { measuredOverhead, parseValidation, type ValidationReport } from './validation-report.ts';

/** The detail row as the API gives it (the fields RecommendationDetail reads). */
export interface RecommendationDetailInput {
  rowId: string;
  kind: string | null;
  /** The health advisors' columns (0017); absent on rows recorded before them. */
  rule?: string | null;
  subject?: string | null;
  risk?: string | null;
  needsRestart?: boolean | null;
  manual?: boolean | null;
  title: string | null;
  statement: string | null;
  rollbackStatement: string | null;
  rationale: string | null;
  state: string | null;
  stateReason: string | null;
  targetId: string | null;
  targetByTargetId?: { name: string | null } | null;
  tableName: string | null;
  improvementPct: string | null;
  measuredImprovementPct: string | null;
  costBefore: number | null;
  costAfter: number | null;
  sizeBytes: string | null;
  evidence: unknown;
  validation: unknown;
  validatedAt: string | null;
  applyAt: string | null;
  forceReason: string | null;
  createdAt: string | null;
  lastSeenAt: string | null;
  seenCount: number | null;
}

export interface RecommendationView {
  id: string;
  kind: string | null;
  /** A health advisor's finding (kind plan_insight, index_hygiene, schema, pooling, setting), not the index advisor's. */
  health: boolean;
  /** "Index advisor", "Pooling"… */
  advisor: string;
  /** The rule in plain words ("unused index"); null for the index advisor. */
  rule: string | null;
  /** What the finding is about: schema.index, schema.table, a setting, 'server'. */
  subject: string | null;
  risk: RiskLevel | null;
  /** The change takes effect only after a restart of PostgreSQL. */
  needsRestart: boolean;
  /** The statement is steps to follow by hand (only SQL comments): OptiSchema never applies it. */
  manual: boolean;
  /** What the statement is called on the page: "Steps" for a manual one, else "SQL to apply". */
  statementLabel: string;
  /** A health finding's numbers (evidence.finding), as a definition list. */
  finding: Fact[];
  /** A health recommendation's sandbox report, read generically (the index advisor's is `validation`). */
  findingValidation: FindingValidationView | null;
  title: string;
  state: string | null;
  stateReason: string | null;
  targetId: string | null;
  database: string;
  tableName: string | null;
  statement: string | null;
  rollbackStatement: string | null;
  rationale: string | null;
  /** The hypothetical-index estimate (hypopg planner costs), never a measurement. */
  estimate: { pct: number | null; costBefore: number | null; costAfter: number | null };
  /** Median time saved over the served statements in the sandbox. */
  measuredPct: number | null;
  /** hypopg's estimated size; the sandbox's real size once validated. */
  size: { estimatedBytes: number | null; measuredBytes: number | null };
  writeOverhead: { source: 'measured' | 'estimated'; text: string } | null;
  evidence: Evidence;
  validation: ValidationReport | null;
  validatedAt: string | null;
  applyAt: string | null;
  forceReason: string | null;
  createdAt: string | null;
  lastSeenAt: string | null;
  seenCount: number | null;
}

const numberOf = (v: string | number | null | undefined): number | null => {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
};

export function recommendationView(r: RecommendationDetailInput): RecommendationView {
  const health = isHealthKind(r.kind);
  const evidence = parseEvidence(r.evidence);
  // A health row's report has shapes of its own: it is read by findingValidation, never as an index's.
  const validation = health ? null : parseValidation(r.validation);
  const manual = isManual(r.manual, r.statement);
  return {
    id: r.rowId,
    kind: r.kind,
    health,
    advisor: advisorLabel(r.kind),
    rule: ruleLabel(r.rule),
    subject: r.subject ?? null,
    risk: riskLevel(r.risk),
    needsRestart: r.needsRestart === true,
    manual,
    statementLabel: manual ? 'Steps' : 'SQL to apply',
    finding: health ? findingOf(r.evidence) : [],
    findingValidation: health ? findingValidation(r.validation, { state: r.state, stateReason: r.stateReason }) : null,
    title: r.title?.trim() || r.statement || 'Recommendation',
    state: r.state,
    stateReason: r.stateReason,
    targetId: r.targetId,
    database: r.targetByTargetId?.name ?? 'unknown database',
    tableName: r.tableName,
    statement: r.statement,
    rollbackStatement: r.rollbackStatement,
    rationale: r.rationale,
    estimate: { pct: numberOf(r.improvementPct), costBefore: numberOf(r.costBefore), costAfter: numberOf(r.costAfter) },
    measuredPct: numberOf(r.measuredImprovementPct),
    size: { estimatedBytes: numberOf(r.sizeBytes), measuredBytes: validation?.sizeBytes ?? null },
    writeOverhead: writeOverheadOf(validation, evidence),
    evidence,
    validation,
    validatedAt: r.validatedAt,
    applyAt: r.applyAt,
    forceReason: r.forceReason,
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    seenCount: r.seenCount,
  };
}

/**
 * The API's `manual` (a statement of only SQL comments, 0017's generated column); for a row read
 * without it, the same test on the statement.
 *
 * @example
 *   isManual(null, '-- 1. Install PgBouncer\n-- 2. Point the application at it'); // true
 *   isManual(undefined, 'DROP INDEX CONCURRENTLY public.x_idx;');                // false
 */
export function isManual(manual: boolean | null | undefined, statement: string | null): boolean {
  if (typeof manual === 'boolean') return manual;
  return statement !== null && statement.replace(/--[^\n]*/g, '').trim() === '';
}

/**
 * The write overhead, measured in the sandbox when it was (rows inserted into a copy of the table
 * with and without the index), else the engine's estimate from the table's write rate.
 */
export function writeOverheadOf(validation: ValidationReport | null, evidence: Evidence): RecommendationView['writeOverhead'] {
  const measured = measuredOverhead(validation);
  if (measured) {
    const perRowUs = measured.msPerRow * 1000;
    const how = `${formatCount(measured.rows)} rows inserted into a copy of the table: ${formatMs(measured.msWithout)} without the index, ${formatMs(measured.msWith)} with it`;
    return {
      source: 'measured',
      text: perRowUs <= 0 ? `none measurable (${how})` : `about ${perRowUs < 10 ? perRowUs.toFixed(2) : perRowUs.toFixed(0)} µs per row written (${how})`,
    };
  }
  if (evidence.writeOverhead?.summary) return { source: 'estimated', text: evidence.writeOverhead.summary };
  if (evidence.writeOverhead?.indexWritesPerSecond !== null && evidence.writeOverhead?.indexWritesPerSecond !== undefined) {
    return { source: 'estimated', text: `about ${formatCount(evidence.writeOverhead.indexWritesPerSecond)} index writes/s` };
  }
  return null;
}
