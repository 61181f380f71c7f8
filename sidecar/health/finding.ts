/**
 * What every health advisor returns: one finding per problem, in the shape the recommendation store
 * keeps (optischema.recommendations, kind = the advisor). Advisors are pure rules over facts that
 * one catalog query each reads; the runner (run-health.ts) hands them their database.
 *
 * Glossary.
 *  - advisor: one family of checks, named by `kind`: plan_insight, index_hygiene, schema, pooling, setting.
 *  - rule: one check inside an advisor (`unused_index`, `column_padding`, `work_mem`…): one module each.
 *  - subject: what the finding is about, stable across runs (`public.orders_status_idx`,
 *    `public.events`, `work_mem`): kind + rule + subject identify a finding, so a repeat refreshes
 *    the stored recommendation instead of adding one.
 */
import type { Queryable } from '../database/queryable.ts';

export type HealthKind = 'plan_insight' | 'index_hygiene' | 'schema' | 'pooling' | 'setting';
export const HEALTH_KINDS: readonly HealthKind[] = ['plan_insight', 'index_hygiene', 'schema', 'pooling', 'setting'];

export type Risk = 'low' | 'medium' | 'high';

export interface Finding {
  kind: HealthKind;
  rule: string;
  subject: string;
  /** One line: "Unused index public.orders_status_idx (48 MB)". */
  title: string;
  /** Plain English with the numbers it rests on and where they come from. */
  rationale: string;
  /**
   * What applies the fix: runnable SQL (statements end in `;`, one per line group), or, where no
   * statement can do it (a pooler, a migration with steps), the steps as SQL comments (`-- …`).
   */
  sql: string;
  /** What undoes `sql` exactly (the CREATE INDEX a DROP removes, the setting's old value); null when nothing can. */
  rollbackSql: string | null;
  risk: Risk;
  /** `schema.table` as the catalog names it (unquoted), when the finding is about one table. */
  table?: string;
  /** For settings: a server restart is needed before the change takes effect. */
  needsRestart?: boolean;
  /** The facts behind it (sizes, counts, thresholds, the statistics reset time…), JSON-safe. */
  evidence: Record<string, unknown>;
}

/** What an advisor is handed. */
export interface HealthInput {
  /**
   * The database being checked. Every read runs here inside one READ ONLY transaction the runner
   * opened; advisors only read the catalog and statistics views, never user tables' rows (except
   * pgstattuple's approximate scan where installed and allowed).
   */
  target: Queryable;
  /** OptiSchema's store and the target's id there, when the target is monitored (history, captured plans, activity samples). */
  store?: { db: Queryable; targetId: string };
  /** The server's RAM in bytes, when known (memory formulas need it; PostgreSQL cannot tell). */
  memoryBytes?: number | null;
  /** The server's CPU cores, when known (pool sizes). */
  cores?: number | null;
  /** What the data sits on, when known (random_page_cost). */
  storage?: 'ssd' | 'hdd' | null;
  /** Read replicas to check as well (an index used only on a replica is not unused). */
  replicas?: readonly { name: string; db: Queryable }[];
}

export interface Advisor {
  kind: HealthKind;
  /** Never throws for a missing optional source (no pg_stat_statements, no samples): it returns fewer findings and says so in `notes`. */
  run(input: HealthInput): Promise<AdvisorResult>;
}

export interface AdvisorResult {
  findings: Finding[];
  /** What the advisor could not look at and why, one line each ("pgstattuple not installed: bloat is estimated"). */
  notes: string[];
}
