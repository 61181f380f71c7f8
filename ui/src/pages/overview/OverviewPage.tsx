import { useQuery } from 'urql';
import { graphql } from '../../graphql/graphql.ts';

const Targets = graphql(`
  query OverviewTargets {
    allTargetOverviews(orderBy: NAME_ASC) {
      nodes { targetId name status lastSnapshotAt statements slowQueries openRecommendations bestOpenGainPct appliedChanges }
    }
  }
`);

export function OverviewPage() {
  const [result] = useQuery({ query: Targets });
  const first = result.data?.allTargetOverviews?.nodes[0];
  return <h1>Overview {first?.name} {first?.slowQueries}</h1>;
}
