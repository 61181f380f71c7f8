/**
 * The plan-insight advisor (kind 'plan_insight', issue 14 §1): the problems the captured EXPLAIN
 * ANALYZE plans of a monitored target show (plv8/plan/insights/), as findings. Two reads: the
 * latest analyze plan of each statement from OptiSchema's store (captured-plans.sql), and the
 * statistics of the tables those plans scan from the target (table-stats.sql), which tell a
 * misestimate's cause. Without captured plans it has nothing to read, and says so.
 *
 * @example
 *   const { findings } = await planInsightAdvisor.run({ target, store: { db: store, targetId } });
 *   // [{ kind: 'plan_insight', rule: 'correlated_columns', subject: 'public.orders(region,zone)', sql: 'CREATE STATISTICS …', … }]
 */
import { readFileSync } from 'node:fs';
import { planInsights, EXCLUDED_SCHEMAS, type TableStats } from '../../../plv8/plan/insights/index.ts';
import { EXPLAIN } from '../../../plv8/plan/explain-keys.ts';
import { messageOf } from '../../errors.ts';
import { parseExplainOutput, type ExplainRoot } from '../../plans/explain-output.ts';
import type { Advisor, AdvisorResult, HealthInput } from '../finding.ts';
import { CapturedPlanRow, evidenceQueryOf, TableStatsRow, tableStatsOf } from './facts.ts';
import { insightFindings, type PlacedInsight } from './insight-findings.ts';

const CAPTURED_PLANS_SQL = readFileSync(new URL('./captured-plans.sql', import.meta.url), 'utf8');
const TABLE_STATS_SQL = readFileSync(new URL('./table-stats.sql', import.meta.url), 'utf8');

/** How far back a captured plan still speaks for the statement: a week covers weekly batch jobs (OptiSchema's choice). */
export const PLAN_MAX_AGE_DAYS = 7;
/** Statements read per run: the most recently captured; each plan is a few kB of JSON. */
export const MAX_PLANS = 100;

const NO_PLANS_NOTE = 'plan insights need captured plans: the collector captures EXPLAIN ANALYZE plans of slow queries';

export const planInsightAdvisor: Advisor = {
  kind: 'plan_insight',
  async run(input: HealthInput): Promise<AdvisorResult> {
    if (!input.store) return { findings: [], notes: [`${NO_PLANS_NOTE}, and this target is not monitored`] };
    const { rows } = await input.store.db.query(CAPTURED_PLANS_SQL, [input.store.targetId, PLAN_MAX_AGE_DAYS, MAX_PLANS]);
    const notes: string[] = [];
    const plans: { row: CapturedPlanRow; root: ExplainRoot }[] = [];
    for (const raw of rows) {
      const row = CapturedPlanRow.parse(raw);
      try {
        plans.push({ row, root: parseExplainOutput(row.plan) });
      } catch (error) {
        notes.push(`query ${row.queryid}: its stored plan was skipped (${messageOf(error)})`);
      }
    }
    if (plans.length === 0) return { findings: [], notes: [`no EXPLAIN ANALYZE plan of this target captured in the last ${PLAN_MAX_AGE_DAYS} days: ${NO_PLANS_NOTE}`, ...notes] };

    const tables = await readTableStats(input, plans.map((p) => p.root));
    const placed: PlacedInsight[] = plans.flatMap(({ row, root }) =>
      planInsights(root, { queryid: row.queryid, ...(row.query === null ? {} : { query: row.query }), tables }).map((insight) => ({
        insight,
        queryid: row.queryid,
        query: row.query,
        capturedAt: row.captured_at.toISOString(),
        statement: evidenceQueryOf(row),
      })),
    );
    return { findings: insightFindings(placed), notes };
  },
};

/** The target's statistics on every user table the plans scan (one read). */
async function readTableStats(input: HealthInput, roots: readonly ExplainRoot[]): Promise<TableStats[]> {
  const wanted = new Map<string, [string, string]>();
  const visit = (node: Record<string, unknown>): void => {
    const schema = node[EXPLAIN.schema];
    const table = node[EXPLAIN.relationName];
    if (typeof schema === 'string' && typeof table === 'string' && !EXCLUDED_SCHEMAS.includes(schema)) wanted.set(`${schema}\u0000${table}`, [schema, table]);
    const children = node[EXPLAIN.plans];
    if (Array.isArray(children)) children.forEach((child) => typeof child === 'object' && child !== null && visit(child as Record<string, unknown>));
  };
  roots.forEach((root) => visit(root[EXPLAIN.plan]));
  if (wanted.size === 0) return [];
  const pairs = [...wanted.values()];
  const { rows } = await input.target.query(TABLE_STATS_SQL, [pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
  return rows.map((row) => tableStatsOf(TableStatsRow.parse(row)));
}
