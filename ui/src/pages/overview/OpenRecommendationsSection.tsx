import { Link } from '@tanstack/react-router';
import { QueryState } from '../../components/QueryState.tsx';
import { StateBadge } from '../../components/StateBadge.tsx';
import { formatPct } from '../../format.ts';
import { useLiveQuery } from '../../graphql/live.ts';
import { expectedGain, openByGain } from './open-recommendations.ts';
import { TargetRecommendations } from './overview-queries.ts';
import { nodesOf } from '../../graphql/nodes.ts';

export function OpenRecommendationsSection({ targetId }: { targetId: string }) {
  const [result] = useLiveQuery({ query: TargetRecommendations, variables: { targetId } }, ['recommendation_created', 'recommendation_state']);
  const rows = nodesOf(result.data?.allRecommendations?.nodes);
  return (
    <section aria-labelledby="open-heading">
      <h2 id="open-heading">Open recommendations</h2>
      <QueryState
        what="recommendations"
        fetching={result.fetching}
        error={result.error}
        data={rows && openByGain(rows)}
        empty={(d) => d.length === 0}
        emptyText="Nothing to do: OptiSchema recommends an index once a slow query would gain from one."
      >
        {(open) => (
          <>
            <ul className="stack" style={{ listStyle: 'none', padding: 0, gap: '0.5rem' }} data-testid="open-recommendations">
              {open.map((r) => {
                const gain = expectedGain(r);
                return (
                  <li key={r.rowId} className="row">
                    <StateBadge state={r.state} />
                    <Link to="/recommendations/$id" params={{ id: r.rowId }}>{r.title}</Link>
                    <span className="muted">{formatPct(gain.pct)} {gain.source === 'measured' ? 'measured on the sandbox' : 'estimated'}</span>
                  </li>
                );
              })}
            </ul>
            <Link to="/recommendations" search={{ target: targetId }}>All recommendations</Link>
          </>
        )}
      </QueryState>
    </section>
  );
}
