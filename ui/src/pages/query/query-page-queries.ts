import { graphql } from '../../graphql/graphql.ts';

export const QueryDetail = graphql(`
  query QueryDetail($targetId: UUID!, $queryid: BigInt!) {
    queryTextByTargetIdAndQueryid(targetId: $targetId, queryid: $queryid) {
      query
      firstSeenAt
      lastSeenAt
    }
    targetByRowId(rowId: $targetId) {
      name
      slowThresholdMs
    }
    allSlowQueries(condition: { targetId: $targetId, queryid: $queryid }, orderBy: [LAST_FOUND_AT_DESC], first: 1) {
      nodes {
        reason
        meanExecMs
        lastFoundAt
      }
    }
    allQueryPlans(condition: { targetId: $targetId, queryid: $queryid }, orderBy: [CAPTURED_AT_DESC], first: 1) {
      nodes {
        rowId
        capturedAt
        kind
        plan
        parameters
      }
    }
  }
`);

export const QueryHistory = graphql(`
  query QueryHistory($targetId: UUID!, $queryid: BigInt!, $since: IntervalInput!) {
    queryHistory(targetId: $targetId, queryid: $queryid, since: $since) {
      nodes {
        capturedAt
        calls
        meanTimeMs
        rows
        totalTimeMs
      }
    }
  }
`);

export const QueryRecommendations = graphql(`
  query QueryRecommendations($targetId: UUID!, $queryid: BigInt!) {
    recommendationsForQuery(targetId: $targetId, queryid: $queryid) {
      nodes {
        rowId
        title
        state
        rationale
        improvementPct
        measuredImprovementPct
        validation
      }
    }
  }
`);
