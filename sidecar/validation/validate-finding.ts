/**
 * A health recommendation validated in the sandbox, where a sandbox can test it (issue 14):
 *  - an index drop (unused, duplicate, redundant): the workload's statements on its table replayed
 *    with and without the index (validate-drop-index.ts); an invalid index needs no replay, no plan
 *    can use it;
 *  - a missing foreign-key index: measured like the index advisor's (validate-index.ts) on the
 *    workload's statements on its table;
 *  - extended statistics for correlated columns: the statement re-planned with them (validate-statistics.ts);
 *  - work_mem for a statement that spills, and any setting a session may SET: the statements
 *    measured with the new value SET LOCAL (validate-setting.ts).
 * Everything else — a pooler, a table rewrite, a setting that needs a reload or restart of the
 * whole server, ANALYZE or VACUUM (a sandbox has fresh statistics and visibility maps of its own) —
 * is inconclusive, with the reason: it is applied only with an admin's written override.
 */
import type pg from 'pg';
import type { Queryable } from '../database/queryable.ts';
import { parseRollbackSql } from '../apply/rollback-index.ts';
import type { RecommendationRow } from '../worker/recommendations/recommendation-state.ts';
import { measuredStatements, type ChosenStatement } from './measured-statements.ts';
import { busiestStatements } from './table-statements.ts';
import { validateDropIndex } from './validate-drop-index.ts';
import { validateIndex } from './validate-index.ts';
import { validateSetting } from './validate-setting.ts';
import { validateStatistics } from './validate-statistics.ts';

export type FindingVerdict = 'validated' | 'rejected' | 'inconclusive';

export interface FindingValidation {
  verdict: { state: FindingVerdict; reason: string };
  /** What was measured, as the validator reported it (stored in recommendations.validation). */
  report: Record<string, unknown>;
  measuredImprovementPct: number | null;
}

export interface ValidateFindingInput {
  sandbox: pg.ClientBase;
  /** OptiSchema's store: the workload's statements come from the target's collected history. */
  system: Queryable;
  rec: Pick<RecommendationRow, 'id' | 'target_id' | 'kind' | 'rule' | 'subject' | 'statement' | 'rollback_statement' | 'table_name' | 'evidence'>;
  runs?: number;
}

const inconclusive = (reason: string): FindingValidation => ({ verdict: { state: 'inconclusive', reason }, report: {}, measuredImprovementPct: null });

/** The rules whose fix is one session setting, read from the evidence (plan insights) or the ALTER SYSTEM statement. */
const WORK_MEM_RULES = new Set(['disk_spill', 'lossy_bitmap']);

export async function validateFinding(input: ValidateFindingInput): Promise<FindingValidation> {
  const { rec, sandbox } = input;
  const runs = input.runs === undefined ? {} : { runs: input.runs };
  const tableStatements = () => (rec.table_name ? busiestStatements(input.system, rec.target_id, { table: rec.table_name }) : Promise.resolve([]));
  if (rec.kind === 'index_hygiene') {
    if (rec.rule === 'invalid_index') {
      return { verdict: { state: 'validated', reason: 'an invalid index is never used by a plan: dropping it cannot slow a statement (nothing to measure)' }, report: {}, measuredImprovementPct: null };
    }
    if (rec.rule === 'missing_fk_index') {
      const served = await tableStatements();
      if (served.length === 0) return inconclusive(`no statement on ${rec.table_name} in the collected workload to measure the index on`);
      const validation = await validateIndex({ sandbox, ddl: rec.statement, served, others: [], skipped: [], ...runs });
      return { verdict: validation.verdict, report: validation.report as unknown as Record<string, unknown>, measuredImprovementPct: validation.measuredImprovementPct };
    }
    const { schema, index } = parseRollbackSql(rec.statement);
    const statements = await tableStatements();
    const result = await validateDropIndex({ sandbox, schema, index, statements, ...runs });
    return { verdict: { state: result.verdict, reason: result.reason }, report: { statements: result.statements }, measuredImprovementPct: null };
  }
  const evidence = (rec.evidence.finding ?? {}) as Record<string, unknown>;
  const own = findingStatements(rec);
  if (rec.kind === 'plan_insight' && rec.rule === 'correlated_columns' && rec.table_name) {
    if (own.length === 0) return inconclusive('the statement the misestimate was seen on cannot be run (no values for its parameters)');
    // validateStatistics parses the statement itself and accepts only CREATE STATISTICS (and ANALYZE) on this table.
    const result = await validateStatistics({ sandbox, createSql: rec.statement, table: rec.table_name, statements: own });
    return { verdict: { state: result.verdict, reason: result.reason }, report: { before: result.before, after: result.after }, measuredImprovementPct: null };
  }
  const setting = rec.kind === 'plan_insight' && WORK_MEM_RULES.has(rec.rule ?? '')
    ? { name: String(evidence.setting ?? 'work_mem'), value: typeof evidence.value === 'string' ? evidence.value : null }
    : rec.kind === 'setting' ? alterSystemValue(rec.statement) : null;
  if (setting?.value) {
    const statements = rec.kind === 'plan_insight' ? own : await busiestStatements(input.system, rec.target_id);
    if (statements.length === 0) return inconclusive('no runnable statement in the collected workload to measure the setting on');
    const result = await validateSetting({ sandbox, setting: setting.name, value: setting.value, statements, ...runs });
    return { verdict: { state: result.verdict, reason: result.reason }, report: { setting: setting.name, value: setting.value, statements: result.statements }, measuredImprovementPct: null };
  }
  return inconclusive(untestableReason(rec.kind, rec.rule));
}

/** The statements a plan insight was found on, with the values the collector planned them with. */
function findingStatements(rec: ValidateFindingInput['rec']): ChosenStatement[] {
  return measuredStatements(rec.evidence.queries ?? []).statements;
}

/** `ALTER SYSTEM SET name = 'value'` → { name, value }; null for anything else. */
export function alterSystemValue(statement: string): { name: string; value: string } | null {
  const m = /^\s*alter\s+system\s+set\s+([a-z_][a-z0-9_.]*)\s*(?:=|to)\s*'((?:[^']|'')*)'/i.exec(statement);
  return m ? { name: m[1]!.toLowerCase(), value: m[2]!.replace(/''/g, "'") } : null;
}

function untestableReason(kind: string, rule: string | null): string {
  if (kind === 'pooling') return 'a sandbox cannot test a connection pooler: its effect is on the application\'s connections, not on a statement';
  if (kind === 'schema') return 'a sandbox test of a table rewrite is not built yet: follow the steps on a copy first';
  if (rule === 'stale_statistics' || rule === 'heap_fetches') return 'a sandbox has fresh statistics and visibility maps of its own, so it cannot show what ANALYZE or VACUUM changes on production';
  return `a sandbox cannot test ${rule ?? kind}`;
}
