import { Link } from '@tanstack/react-router';
import { QueryState } from '../../components/QueryState.tsx';
import { formatAgo, formatCount, formatMs } from '../../format.ts';
import { useLiveQuery } from '../../graphql/live.ts';
import { SlowQueries } from './overview-queries.ts';

const REASON: Record<string, string> = { mean_time: 'slow on average', top_total_time: 'most total time' };

/** Slow queries as the collector finds them: a `slow_query` event brings each one in. */
export function SlowQueriesSection({ targetId }: { targetId: string }) {
  const [result] = useLiveQuery({ query: SlowQueries, variables: { targetId } }, ['slow_query']);
  return (
    <section aria-labelledby="slow-heading">
      <h2 id="slow-heading">Slow queries, as they are found</h2>
      <QueryState
        what="slow queries"
        fetching={result.fetching}
        error={result.error}
        data={result.data?.allSlowQueries?.nodes}
        empty={(d) => d.length === 0}
        emptyText="No slow query found yet: OptiSchema compares each snapshot with the database's thresholds (Settings)."
      >
        {(nodes) => (
          <ul className="stack" style={{ listStyle: 'none', padding: 0, gap: '0.5rem' }} data-testid="slow-queries">
            {nodes.flatMap((q) =>
              q?.queryid
                ? [
                    <li key={q.rowId}>
                      <Link to="/databases/$targetId/queries/$queryid" params={{ targetId, queryid: q.queryid }} className="sql-inline">
                        {q.query ?? `query ${q.queryid}`}
                      </Link>
                      <span className="muted">
                        {REASON[q.reason ?? ''] ?? q.reason} · mean {formatMs(q.meanExecMs)} · {formatCount(q.calls)} calls · {formatAgo(q.lastFoundAt)}
                      </span>
                    </li>,
                  ]
                : [],
            )}
          </ul>
        )}
      </QueryState>
    </section>
  );
}
