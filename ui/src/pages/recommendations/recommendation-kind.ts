/**
 * Which advisor made a recommendation, and its rule in plain words.
 *
 * Glossary (sidecar/health/finding.ts):
 *  - kind: the advisor. 'index' is the index advisor (hypothetical indexes for slow queries); the
 *    health advisors are 'plan_insight', 'index_hygiene', 'schema', 'pooling' and 'setting';
 *    'query' is a query rewrite.
 *  - rule: one check inside a health advisor (unused_index, column_padding…); null for the index advisor.
 *  - subject: what a health finding is about (schema.index, schema.table, a setting, 'server').
 */

/** The advisor filter's choices, in the order the list offers them (recommendations_kind_check, 0017). */
export const ADVISORS = [
  { kind: 'index', label: 'Index advisor' },
  { kind: 'plan_insight', label: 'Plan insights' },
  { kind: 'index_hygiene', label: 'Index hygiene' },
  { kind: 'schema', label: 'Schema' },
  { kind: 'pooling', label: 'Pooling' },
  { kind: 'setting', label: 'Settings' },
] as const;

const ADVISOR_LABEL: ReadonlyMap<string, string> = new Map<string, string>([...ADVISORS.map((a) => [a.kind, a.label] as const), ['query', 'Query rewrite']]);

/** The health advisors' kinds: their rows carry a rule, a subject, a risk, and a finding as evidence. */
const HEALTH_KINDS: ReadonlySet<string> = new Set(['plan_insight', 'index_hygiene', 'schema', 'pooling', 'setting']);

/** "plan_insight" → "Plan insights"; an unknown kind in words ("new_thing" → "New thing"); none → the index advisor (older rows). */
export function advisorLabel(kind: string | null | undefined): string {
  if (!kind) return 'Index advisor';
  return ADVISOR_LABEL.get(kind) ?? capitalize(words(kind));
}

export function isHealthKind(kind: string | null | undefined): boolean {
  return !!kind && HEALTH_KINDS.has(kind);
}

/** An advisor filter from the URL: only a known kind filters (anything else lists them all). */
export function kindFilter(kind: string | undefined): string | undefined {
  return kind && ADVISORS.some((a) => a.kind === kind) ? kind : undefined;
}

/** The rules whose name alone reads badly; every other rule reads as its words. */
const RULE_LABEL: Readonly<Record<string, string>> = {
  missing_fk_index: 'foreign key without an index',
  column_padding: 'column order wastes space on padding',
  disk_spill: 'sort or hash spills to disk',
  connection_pooler: 'a connection pooler is needed',
  memory_setting: 'memory setting',
  autovacuum_table: 'autovacuum settings of a table',
  jit_on_short_query: 'JIT on a short query',
  key_overflow: 'key close to its type’s limit',
  missing_primary_key: 'table without a primary key',
  idle_in_transaction: 'sessions idle in a transaction',
  worst_case_memory: 'worst-case memory use',
  heap_fetches: 'heap fetches in index-only scans',
  row_misestimate: 'row count misestimated',
  nested_loop_misestimate: 'nested loop on a misestimate',
  filter_discards_rows: 'filter discards most rows',
  large_offset: 'large OFFSET',
  lossy_bitmap: 'lossy bitmap heap scan',
  parallel_not_launched: 'parallel workers not launched',
};

/**
 * @example
 *   ruleLabel('disk_spill');   // 'sort or hash spills to disk'
 *   ruleLabel('unused_index'); // 'unused index'
 *   ruleLabel(null);           // null (the index advisor has no rules)
 */
export function ruleLabel(rule: string | null | undefined): string | null {
  if (!rule) return null;
  return RULE_LABEL[rule] ?? words(rule);
}

export type RiskLevel = 'low' | 'medium' | 'high';

/** The stored risk, or null when there is none or it is not one of the three levels. */
export function riskLevel(risk: string | null | undefined): RiskLevel | null {
  return risk === 'low' || risk === 'medium' || risk === 'high' ? risk : null;
}

/** "unused_index" → "unused index"; "tableWritesSinceReset" → "table writes since reset". */
export function words(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\s-]+/g, ' ')
    .trim()
    .toLowerCase();
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
