import { getRouteApi, Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { QueryState } from '../../components/QueryState.tsx';
import { SqlBlock } from '../../components/SqlBlock.tsx';
import { StateBadge } from '../../components/StateBadge.tsx';
import { TimeChart } from '../../components/TimeChart.tsx';
import { formatAgo, formatMs, formatPct, formatTime } from '../../format.ts';
import { useLiveQuery } from '../../graphql/live.ts';
import { nodesOf } from '../../graphql/nodes.ts';
import { PlanComparison } from '../../plan/PlanComparison.tsx';
import { PlanTree } from '../../plan/PlanTree.tsx';
import { RANGES, rangeOf } from '../overview/ranges.ts';
import { QueryAiPanel } from '../ai/QueryAiPanel.tsx';
import { historySeries } from './history-series.ts';
import { QueryDetail, QueryHistory, QueryRecommendations } from './query-page-queries.ts';
import { measuredPlansFor } from './validation-plans.ts';

const route = getRouteApi('/databases/$targetId/queries/$queryid');

/** One statement: its text, its history, its latest plan, and what OptiSchema advises for it. */
export function QueryPage() {
  const { targetId, queryid } = route.useParams();
  const [rangeKey, setRangeKey] = useState<string>('24h');
  const range = rangeOf(rangeKey);
  const [detail] = useQuery({ query: QueryDetail, variables: { targetId, queryid } });
  const [history] = useLiveQuery({ query: QueryHistory, variables: { targetId, queryid, since: range.since } }, [], 30_000);
  const [recommendations] = useLiveQuery({ query: QueryRecommendations, variables: { targetId, queryid } }, ['recommendation_created', 'recommendation_state']);
  const text = detail.data?.queryTextByTargetIdAndQueryid;
  const slow = nodesOf(detail.data?.allSlowQueries?.nodes)?.[0];
  const plan = nodesOf(detail.data?.allQueryPlans?.nodes)?.[0];
  const points = nodesOf(history.data?.queryHistory?.nodes);
  const chart = useMemo(() => (points ? historySeries(points) : null), [points]);
  return (
    <>
      <p><Link to="/" search={{ target: targetId }}>← Overview</Link></p>
      <h1>Statement {queryid}</h1>
      <QueryState what="the statement" fetching={detail.fetching} error={detail.error} data={detail.data} empty={(d) => !d.queryTextByTargetIdAndQueryid} emptyText="OptiSchema has not seen this statement on this database.">
        {() => (
          <section aria-labelledby="sql-heading">
            <h2 id="sql-heading">Normalized SQL</h2>
            <p className="muted">
              On {detail.data?.targetByRowId?.name}; first seen {formatTime(text?.firstSeenAt)}, last seen {formatAgo(text?.lastSeenAt)}.
              {slow && <> Found slow {formatAgo(slow.lastFoundAt)}: mean {formatMs(slow.meanExecMs)} (threshold {formatMs(detail.data?.targetByRowId?.slowThresholdMs)}).</>}
            </p>
            <SqlBlock text={text?.query ?? ''} label="statement" />
          </section>
        )}
      </QueryState>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <div className="filters">
          <label>
            Range
            <select value={range.key} onChange={(e) => setRangeKey(e.target.value)}>
              {RANGES.map((r) => <option key={r.key} value={r.key}>{r.label}</option>)}
            </select>
          </label>
        </div>
        <QueryState what="history" fetching={history.fetching} error={history.error} data={chart} empty={(c) => c.times.length === 0} emptyText="No snapshot has counted this statement in this range.">
          {(c) => <TimeChart times={c.times} series={c.series} title={`mean time, calls and rows per snapshot, ${range.label}`} />}
        </QueryState>
      </section>
      <section aria-labelledby="advice-heading">
        <h2 id="advice-heading">Recommendations for this statement</h2>
        <QueryState what="recommendations" fetching={recommendations.fetching} error={recommendations.error} data={nodesOf(recommendations.data?.recommendationsForQuery?.nodes)} empty={(d) => d.length === 0} emptyText="No recommendation names this statement.">
          {(recs) => (
            <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
              {recs.map((r) => {
                const measured = measuredPlansFor(r.validation, queryid);
                return (
                  <li key={r.rowId} className="stack" style={{ gap: '0.4rem' }}>
                    <div className="row">
                      <StateBadge state={r.state} />
                      <Link to="/recommendations/$id" params={{ id: r.rowId }}>{r.title}</Link>
                      <span className="muted">estimated {formatPct(r.improvementPct)}{r.measuredImprovementPct !== null && <>, measured {formatPct(r.measuredImprovementPct)}</>}</span>
                    </div>
                    {r.rationale && <p className="muted" style={{ margin: 0 }}>{r.rationale}</p>}
                    {measured && (
                      <PlanComparison
                        before={measured.planBefore}
                        after={measured.planAfter}
                        beforeTitle={`Sandbox, before (median ${formatMs(measured.beforeMs)})`}
                        afterTitle={`Sandbox, with the index (median ${formatMs(measured.afterMs)})`}
                      />
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </QueryState>
      </section>
      <section aria-labelledby="plan-heading">
        <h2 id="plan-heading">Latest plan</h2>
        {plan ? (
          <>
            <p className="muted">
              {plan.kind === 'analyze' ? 'Measured with EXPLAIN ANALYZE (read-only statement, rolled back)' : 'Generic plan (estimates only)'}, captured {formatAgo(plan.capturedAt)}.
            </p>
            <PlanTree plan={plan.plan} title="Latest captured plan" />
          </>
        ) : (
          <p className="muted">No plan captured yet: OptiSchema captures one when it finds the statement slow.</p>
        )}
      </section>
      <QueryAiPanel targetId={targetId} queryid={queryid} />
    </>
  );
}
