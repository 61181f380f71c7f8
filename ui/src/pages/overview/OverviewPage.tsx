import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { LoopCard } from '../../components/LoopCard.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useSession } from '../../app/session-context.tsx';
import { rangeOf, RANGES } from './ranges.ts';
import { TargetHealthTable } from './TargetHealthTable.tsx';
import { TopQueriesSection } from './TopQueriesSection.tsx';
import { SlowQueriesSection } from './SlowQueriesSection.tsx';
import { OpenRecommendationsSection } from './OpenRecommendationsSection.tsx';
import { useTargetOverviews } from './overview-queries.ts';
import { nodesOf } from '../../graphql/nodes.ts';

const route = getRouteApi('/');

/** The first screen: every database's health, then one database's workload, slow queries and advice. */
export function OverviewPage() {
  const { status } = useSession();
  const search = route.useSearch();
  const navigate = useNavigate({ from: '/' });
  const [targets] = useTargetOverviews();
  const nodes = nodesOf(targets.data?.allTargetOverviews?.nodes);
  const rows = nodes ?? [];
  const targetId = rows.find((t) => t.targetId === search.target)?.targetId ?? rows[0]?.targetId;
  const range = rangeOf(search.range);
  return (
    <>
      <h1>Overview</h1>
      {status.loop && <LoopCard loop={status.loop} />}
      <section aria-labelledby="targets-heading">
        <h2 id="targets-heading">Databases</h2>
        <QueryState
          what="databases"
          fetching={targets.fetching}
          error={targets.error}
          data={nodes}
          empty={(d) => d.length === 0}
          emptyText={<>No database is monitored yet: add one in <Link to="/settings">Settings</Link>.</>}
        >
          {(data) => (
            <TargetHealthTable rows={data} selected={targetId} onSelect={(id) => void navigate({ search: (s) => ({ ...s, target: id }) })} />
          )}
        </QueryState>
      </section>
      {targetId && (
        <>
          <div className="filters">
            <label>
              Range
              <select value={range.key} onChange={(e) => void navigate({ search: (s) => ({ ...s, range: e.target.value }) })}>
                {RANGES.map((r) => (
                  <option key={r.key} value={r.key}>{r.label}</option>
                ))}
              </select>
            </label>
          </div>
          <TopQueriesSection targetId={targetId} range={range} />
          <div className="grid">
            <SlowQueriesSection targetId={targetId} />
            <OpenRecommendationsSection targetId={targetId} />
          </div>
        </>
      )}
    </>
  );
}
