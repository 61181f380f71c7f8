import { useEffect, useRef, useState } from 'react';
import { QueryState } from '../../components/QueryState.tsx';
import { useLiveQuery } from '../../graphql/live.ts';
import { ALL_ROWS, FIRST_ROWS, QueryStats } from './overview-queries.ts';
import type { RANGES } from './ranges.ts';
import { toQueryStatRows } from './query-stat-rows.ts';
import { TopQueriesTable } from './TopQueriesTable.tsx';

export function TopQueriesSection({ targetId, range }: { targetId: string; range: (typeof RANGES)[number] }) {
  const [top, setTop] = useState(FIRST_ROWS);
  useEffect(() => setTop(FIRST_ROWS), [targetId, range.key]);
  const [result] = useLiveQuery({ query: QueryStats, variables: { targetId, since: range.since, buckets: range.buckets, top } }, ['slow_query'], 30_000);
  const nodes = result.data?.queryStats?.nodes;
  // A full first page means there may be more: ask for the whole list once it is on screen.
  useEffect(() => {
    if (top === FIRST_ROWS && nodes?.length === FIRST_ROWS) setTop(ALL_ROWS);
  }, [top, nodes]);
  // While the longer list loads, the first page stays on screen (never another database's).
  const key = `${targetId}/${range.key}`;
  const shown = useRef<{ key: string; nodes: typeof nodes }>({ key, nodes });
  if (nodes) shown.current = { key, nodes };
  return (
    <section aria-labelledby="top-heading">
      <h2 id="top-heading">Top statements by total time, {range.label}</h2>
      <QueryState
        what="statements"
        fetching={result.fetching}
        error={result.error}
        data={nodes ?? (result.fetching && shown.current.key === key ? shown.current.nodes : undefined)}
        empty={(d) => d.length === 0}
        emptyText="No statement has run in this range yet: the first snapshot counts what runs after it."
      >
        {(data) => <TopQueriesTable rows={toQueryStatRows(data)} targetId={targetId} rangeLabel={range.label} />}
      </QueryState>
    </section>
  );
}
