import { graphql } from '../../graphql/graphql.ts';

/** Every applied change, newest first, and the databases' names (the change view carries only the id). */
export const AppliedChanges = graphql(`
  query AppliedChanges {
    allAppliedChanges(orderBy: [APPLIED_AT_DESC]) {
      nodes {
        rowId
        recommendationId
        targetId
        title
        state
        appliedAt
        rolledBackAt
        buildMs
        forced
        forceReason
        estimatedPct
        measuredPct
        realizedPct
        realized
        realizedAt
      }
    }
    allTargets {
      nodes {
        rowId
        name
      }
    }
  }
`);

/** A change's gain is measured later (realized_gain) and a rollback moves its state. */
export const APPLIED_CHANGE_EVENTS = ['realized_gain', 'recommendation_state'] as const;
