import { graphql, type ResultOf } from '../../graphql/graphql.ts';

/** The list, filtered in the database (condition) and newest first. */
export const RecommendationList = graphql(`
  query RecommendationList($state: String, $targetId: UUID, $kind: String) {
    allRecommendations(condition: { state: $state, targetId: $targetId, kind: $kind }, orderBy: [CREATED_AT_DESC], first: 500) {
      totalCount
      nodes {
        rowId
        kind
        rule
        risk
        title
        statement
        state
        targetId
        improvementPct
        measuredImprovementPct
        sizeBytes
        createdAt
        lastSeenAt
      }
    }
  }
`);

/** The databases' names, for the filter and the list's database column. */
export const RecommendationTargets = graphql(`
  query RecommendationTargets {
    allTargets(orderBy: [NAME_ASC]) {
      nodes {
        rowId
        name
      }
    }
  }
`);

export const RecommendationDetail = graphql(`
  query RecommendationDetail($id: UUID!) {
    recommendationByRowId(rowId: $id) {
      rowId
      kind
      rule
      subject
      risk
      needsRestart
      manual
      title
      statement
      rollbackStatement
      rationale
      state
      stateReason
      targetId
      targetByTargetId {
        name
      }
      tableName
      improvementPct
      measuredImprovementPct
      costBefore
      costAfter
      sizeBytes
      evidence
      validation
      validatedAt
      applyAt
      forceReason
      createdAt
      lastSeenAt
      seenCount
    }
  }
`);

export const RecommendationNotes = graphql(`
  query RecommendationNotes($id: UUID!) {
    recommendationByRowId(rowId: $id) {
      rowId
      recommendationNotesByRecommendationId(orderBy: [CREATED_AT_ASC]) {
        nodes {
          rowId
          body
          createdAt
          authorId
        }
      }
    }
    allMembers {
      nodes {
        userId
        email
        displayName
      }
    }
  }
`);

export const AddRecommendationNote = graphql(`
  mutation AddRecommendationNote($id: UUID!, $body: String!) {
    addRecommendationNote(input: { recommendationId: $id, body: $body }) {
      result {
        rowId
      }
    }
  }
`);

export const ValidateRecommendation = graphql(`
  mutation ValidateRecommendation($id: UUID!) {
    validateRecommendation(input: { recommendationId: $id }) {
      result {
        rowId
        state
      }
    }
  }
`);

export const ApplyRecommendation = graphql(`
  mutation ApplyRecommendation($id: UUID!, $at: Datetime, $forceReason: String) {
    applyRecommendation(input: { recommendationId: $id, at: $at, forceReason: $forceReason }) {
      result {
        rowId
        state
        applyAt
      }
    }
  }
`);

export const DismissRecommendation = graphql(`
  mutation DismissRecommendation($id: UUID!, $reason: String!) {
    dismissRecommendation(input: { recommendationId: $id, reason: $reason }) {
      result {
        rowId
        state
      }
    }
  }
`);

export const RollbackRecommendation = graphql(`
  mutation RollbackRecommendation($id: UUID!) {
    rollbackRecommendation(input: { recommendationId: $id }) {
      result {
        rowId
        state
      }
    }
  }
`);

export const ReopenRecommendation = graphql(`
  mutation ReopenRecommendation($id: UUID!) {
    setRecommendationState(input: { recommendationId: $id, state: "proposed" }) {
      result {
        rowId
        state
      }
    }
  }
`);

export type RecommendationListRow = NonNullable<NonNullable<ResultOf<typeof RecommendationList>['allRecommendations']>['nodes'][number]>;
export type TargetName = NonNullable<NonNullable<ResultOf<typeof RecommendationTargets>['allTargets']>['nodes'][number]>;
export type RecommendationDetailRow = NonNullable<ResultOf<typeof RecommendationDetail>['recommendationByRowId']>;
export type NoteRow = NonNullable<NonNullable<ResultOf<typeof RecommendationNotes>['recommendationByRowId']>['recommendationNotesByRecommendationId']['nodes'][number]>;
export type MemberRow = NonNullable<NonNullable<ResultOf<typeof RecommendationNotes>['allMembers']>['nodes'][number]>;
