import { graphql } from '../../graphql/graphql.ts';
import { useLiveQuery } from '../../graphql/live.ts';

const TargetOverviews = graphql(`
  query OverviewTargets {
    allTargetOverviews(orderBy: [NAME_ASC]) {
      nodes {
        targetId
        name
        status
        statusMessage
        lastSnapshotAt
        statements
        slowQueries
        openRecommendations
        bestOpenGainPct
        appliedChanges
      }
    }
  }
`);

/** Health changes with every snapshot (no event): read again every 15 s, and on advice events. */
export function useTargetOverviews() {
  return useLiveQuery({ query: TargetOverviews }, ['slow_query', 'recommendation_created', 'recommendation_state'], 15_000);
}

/** The first screenful arrives fast; the rest of the list (up to ALL_ROWS) follows in a second request. */
export const FIRST_ROWS = 200;
export const ALL_ROWS = 1000;

export const QueryStats = graphql(`
  query OverviewQueryStats($targetId: UUID!, $since: IntervalInput!, $buckets: Int!, $top: Int!) {
    queryStats(targetId: $targetId, since: $since, buckets: $buckets, top: $top) {
      nodes {
        queryid
        query
        calls
        totalTimeMs
        meanTimeMs
        rows
        sharePct
        sparkline
        slowReason
        openRecommendations
      }
    }
  }
`);

export const SlowQueries = graphql(`
  query OverviewSlowQueries($targetId: UUID!) {
    allSlowQueries(condition: { targetId: $targetId }, orderBy: [LAST_FOUND_AT_DESC], first: 10) {
      nodes {
        rowId
        queryid
        query
        reason
        meanExecMs
        calls
        lastFoundAt
      }
    }
  }
`);

export const TargetRecommendations = graphql(`
  query OverviewRecommendations($targetId: UUID!) {
    allRecommendations(condition: { targetId: $targetId }, orderBy: [UPDATED_AT_DESC], first: 200) {
      nodes {
        rowId
        title
        state
        improvementPct
        measuredImprovementPct
        targetId
      }
    }
  }
`);
