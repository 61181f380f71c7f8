/**
 * Plan insights → findings: one finding per problem, not per plan. An insight about a table
 * (stale statistics, correlated columns, heap fetches) is one finding however many queries show
 * it, listing them; an insight about one query's plan is that query's (`<queryid>:<relation or
 * node type>`). Pure.
 */
import type { PlanInsight, Severity } from '../../../plv8/plan/insights/index.ts';
import type { EvidenceQuery } from '../../validation/measured-statements.ts';
import type { Finding, Risk } from '../finding.ts';

/** One insight with the plan it came from. */
export interface PlacedInsight {
  insight: PlanInsight;
  queryid: string;
  query: string | null;
  capturedAt: string;
  /** The statement with the values it was captured with, for the validation to run it again. */
  statement: EvidenceQuery | null;
}

/** What applying each rule's fix risks: statistics and vacuum change no data or query; a setting or a rewrite changes behaviour. */
const RISK: Record<string, Risk> = {
  stale_statistics: 'low',
  correlated_columns: 'low',
  heap_fetches: 'low',
  disk_spill: 'medium',
  lossy_bitmap: 'medium',
  jit_on_short_query: 'low',
  large_offset: 'medium',
};

const TITLES: Record<string, string> = {
  row_misestimate: 'Row misestimate',
  stale_statistics: 'Stale statistics',
  correlated_columns: 'Correlated columns',
  filter_discards_rows: 'Filter discards most rows read',
  disk_spill: 'Spill to disk',
  lossy_bitmap: 'Lossy bitmap scan',
  heap_fetches: 'Index-only scan visits the table',
  large_offset: 'Large OFFSET',
  nested_loop_misestimate: 'Nested loop over a misestimated outer side',
  parallel_not_launched: 'Parallel workers not launched',
  jit_on_short_query: 'JIT on a short query',
};

/** What to do where no statement can do it, as SQL comments. */
function adviceSql(placed: PlacedInsight): string {
  const { insight } = placed;
  const where = insight.node.relation ?? insight.node.nodeType;
  switch (insight.rule) {
    case 'row_misestimate':
      return `-- Find why the planner misjudged the rows of ${where} (query ${placed.queryid}): ANALYZE it if its statistics are old,\n-- CREATE STATISTICS on columns filtered together, or write the condition so it can be estimated (no functions over columns).`;
    case 'filter_discards_rows':
      return `-- Index the columns the filter on ${where} tests (query ${placed.queryid}), or a partial index matching it: the index advisor proposes one.`;
    case 'nested_loop_misestimate':
      return `-- Fix the row estimate of the nested loop's outer side, ${where} (query ${placed.queryid}): see its row_misestimate and cause;\n-- the planner then chooses a hash or merge join by itself.`;
    case 'parallel_not_launched':
      return '-- Raise max_parallel_workers (within max_worker_processes, which needs a restart) or run fewer parallel queries at once.';
    default:
      return `-- ${insight.message.replace(/\n/g, ' ')}`;
  }
}

/** The finding's subject: stable across runs, so a repeat refreshes the stored recommendation. */
export function subjectOf(placed: PlacedInsight): string {
  const { insight } = placed;
  const relation = insight.node.relation;
  if ((insight.rule === 'stale_statistics' || insight.rule === 'heap_fetches') && relation) return relation;
  if (insight.rule === 'correlated_columns' && relation) {
    const columns = Array.isArray(insight.evidence.columns) ? insight.evidence.columns : [];
    return `${relation}(${columns.join(',')})`;
  }
  return `${placed.queryid}:${relation ?? insight.node.nodeType}`;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Groups the insights by rule and subject and makes one finding of each group, the worst occurrence first. */
export function insightFindings(placed: readonly PlacedInsight[]): Finding[] {
  const groups = new Map<string, PlacedInsight[]>();
  for (const p of placed) {
    const key = `${p.insight.rule}\u0000${subjectOf(p)}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => RANK[b.insight.severity] - RANK[a.insight.severity]);
    const worst = sorted[0]!;
    const { insight } = worst;
    const subject = subjectOf(worst);
    const queryids = [...new Set(sorted.map((p) => p.queryid))];
    const relation = insight.node.relation;
    const seenOn = queryids.length === 1 ? `query ${queryids[0]}` : `${queryids.length} queries (${queryids.join(', ')})`;
    return {
      kind: 'plan_insight',
      rule: insight.rule,
      subject,
      title: `${TITLES[insight.rule] ?? insight.rule}: ${relation ?? subject}${queryids.length > 1 ? ` (${queryids.length} queries)` : ''}`,
      rationale: `${insight.message} Seen in the captured EXPLAIN ANALYZE plan of ${seenOn}, captured ${worst.capturedAt}.`,
      sql: insight.fix?.sql ?? adviceSql(worst),
      rollbackSql: insight.fix?.rollbackSql ?? null,
      risk: RISK[insight.rule] ?? 'low',
      ...(relation?.includes('.') ? { table: relation } : {}),
      evidence: {
        ...insight.evidence,
        severity: insight.severity,
        queryid: worst.queryid,
        query: worst.query,
        nodeType: insight.node.nodeType,
        path: insight.node.path,
        ...(insight.node.index === undefined ? {} : { index: insight.node.index }),
        capturedAt: worst.capturedAt,
        ...(insight.fix ? { why: insight.fix.why } : {}),
        queryids,
        // The store keeps evidence.queries as the recommendation's queries (migration 0017): validation reruns them.
        queries: dedupeQueries(sorted.map((p) => p.statement)),
        occurrences: sorted.map((p) => ({
          queryid: p.queryid,
          query: p.query,
          capturedAt: p.capturedAt,
          nodeType: p.insight.node.nodeType,
          path: p.insight.node.path,
          severity: p.insight.severity,
          evidence: p.insight.evidence,
        })),
      },
    };
  });
}

function dedupeQueries(statements: readonly (EvidenceQuery | null)[]): EvidenceQuery[] {
  const seen = new Set<string>();
  return statements.filter((s): s is EvidenceQuery => {
    if (s === null || seen.has(String(s.queryid))) return false;
    seen.add(String(s.queryid));
    return true;
  });
}
