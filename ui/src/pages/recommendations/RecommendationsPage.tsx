import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { useLiveQuery } from '../../graphql/live.ts';
import { nodesOf } from '../../graphql/nodes.ts';
import { kindFilter } from './recommendation-kind.ts';
import { listItems, stateFilter, targetNames } from './recommendation-list.ts';
import { RecommendationList, RecommendationTargets } from './recommendations-queries.ts';
import { RecommendationsList, type RecommendationFilter } from './RecommendationsList.tsx';

const route = getRouteApi('/recommendations');

/** Every recommendation, filtered by state, advisor and database through the URL (a filtered list is a link). */
export function RecommendationsPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: '/recommendations' });
  const state = stateFilter(search.state);
  const kind = kindFilter(search.kind);
  const [list] = useLiveQuery(
    { query: RecommendationList, variables: { state, targetId: search.target, kind } },
    ['recommendation_created', 'recommendation_state'],
  );
  const [targets] = useQuery({ query: RecommendationTargets });
  const names = useMemo(() => targetNames(nodesOf(targets.data?.allTargets?.nodes) ?? []), [targets.data]);
  const items = useMemo(() => {
    const rows = nodesOf(list.data?.allRecommendations?.nodes);
    return rows && listItems(rows, names);
  }, [list.data, names]);
  const targetOptions = useMemo(() => [...names].map(([id, name]) => ({ id, name })), [names]);
  const onFilterChange = (filter: RecommendationFilter) => void navigate({ search: (s) => ({ ...s, state: filter.state, target: filter.target, kind: filter.kind }) });
  return (
    <>
      <h1>Recommendations</h1>
      <section aria-labelledby="recommendations-heading">
        <h2 id="recommendations-heading">All recommendations</h2>
        <RecommendationsList
          items={items}
          fetching={list.fetching}
          error={list.error}
          targets={targetOptions}
          filter={{ state, target: search.target, kind }}
          onFilterChange={onFilterChange}
        />
      </section>
    </>
  );
}
