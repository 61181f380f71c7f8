import { QueryState } from '../../components/QueryState.tsx';
import { useLiveQuery } from '../../graphql/live.ts';
import { QueryStats } from './overview-queries.ts';
import type { RANGES } from './ranges.ts';
import { toQueryStatRows } from './query-stat-rows.ts';
import { TopQueriesTable } from './TopQueriesTable.tsx';

export function TopQueriesSection({ targetId, range }: { targetId: string; range: (typeof RANGES)[number] }) {
  const [result] = useLiveQuery({ query: QueryStats, variables: { targetId, since: range.since, buckets: range.buckets } }, ['slow_query'], 30_000);
  return (
    <section aria-labelledby="top-heading">
      <h2 id="top-heading">Top statements by total time, {range.label}</h2>
      <QueryState
        what="statements"
        fetching={result.fetching}
        error={result.error}
        data={result.data?.queryStats?.nodes}
        empty={(d) => d.length === 0}
        emptyText="No statement has run in this range yet: the first snapshot counts what runs after it."
      >
        {(data) => <TopQueriesTable rows={toQueryStatRows(data)} targetId={targetId} rangeLabel={range.label} />}
      </QueryState>
    </section>
  );
}
