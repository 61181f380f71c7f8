import { graphql, type ResultOf, type VariablesOf } from '../../graphql/graphql.ts';

/*
 * The AI panels' operations (migration 0016). Each panel reads the tenant's AI state with the
 * latest analysis in one request: `latest` is the newest of any status, `deterministic` the newest
 * the rewriter made alone (what a panel shows while AI is off). The field lists repeat rather than
 * share a fragment: every operation here is validated on its own (test/ui/operations.test.ts).
 */

export const AiStatusQuery = graphql(`
  query AiStatus {
    aiStatus {
      enabled
      provider
      model
      baseUrl
      sendLiterals
      tokensThisMonth
      monthlyTokenBudget
      reviewsLastHour
      reviewsPerHour
    }
  }
`);

/** A statement's analyses (by database and queryid). */
export const QueryAiAnalysis = graphql(`
  query QueryAiAnalysis($targetId: UUID!, $queryid: BigInt!) {
    aiStatus {
      enabled
      provider
      model
      baseUrl
      sendLiterals
      tokensThisMonth
      monthlyTokenBudget
      reviewsLastHour
      reviewsPerHour
    }
    latest: allAiAnalyses(condition: { targetId: $targetId, queryid: $queryid }, orderBy: [CREATED_AT_DESC], first: 1) {
      nodes {
        rowId
        status
        provider
        model
        explanation
        findings
        proposals
        error
        inputTokens
        outputTokens
        toolCalls
        createdAt
      }
    }
    deterministic: allAiAnalyses(condition: { targetId: $targetId, queryid: $queryid, status: "deterministic" }, orderBy: [CREATED_AT_DESC], first: 1) {
      nodes {
        rowId
        status
        provider
        model
        explanation
        findings
        proposals
        error
        inputTokens
        outputTokens
        toolCalls
        createdAt
      }
    }
  }
`);

/** The analyses that speak to a recommendation (the view has no token counts: AiAnalysisUsage reads them). */
export const RecommendationAiAnalysis = graphql(`
  query RecommendationAiAnalysis($recommendationId: UUID!) {
    aiStatus {
      enabled
      provider
      model
      baseUrl
      sendLiterals
      tokensThisMonth
      monthlyTokenBudget
      reviewsLastHour
      reviewsPerHour
    }
    latest: allRecommendationAiAnalyses(condition: { recommendationId: $recommendationId }, orderBy: [CREATED_AT_DESC], first: 1) {
      nodes {
        analysisId
        status
        provider
        model
        explanation
        findings
        proposals
        error
        createdAt
      }
    }
    deterministic: allRecommendationAiAnalyses(
      condition: { recommendationId: $recommendationId, status: "deterministic" }
      orderBy: [CREATED_AT_DESC]
      first: 1
    ) {
      nodes {
        analysisId
        status
        provider
        model
        explanation
        findings
        proposals
        error
        createdAt
      }
    }
  }
`);

/** What one analysis spent: tokens and tool calls. */
export const AiAnalysisUsage = graphql(`
  query AiAnalysisUsage($id: UUID!) {
    allAiAnalyses(condition: { rowId: $id }, first: 1) {
      nodes {
        rowId
        inputTokens
        outputTokens
        toolCalls
      }
    }
  }
`);

/** What an analysis sent to the model and every message exchanged (admins only: the API refuses others). */
export const AiAnalysisAudit = graphql(`
  query AiAnalysisAudit($id: UUID!) {
    allAiAnalysisAudits(condition: { rowId: $id }, first: 1) {
      nodes {
        rowId
        context
        transcript
      }
    }
  }
`);

/** The tenant's model settings (admins); the API key is never part of them. */
export const SetAiSettings = graphql(`
  mutation SetAiSettings($input: SetAiSettingsInput!) {
    setAiSettings(input: $input) {
      result {
        enabled
        provider
        model
        baseUrl
        sendLiterals
        tokensThisMonth
        monthlyTokenBudget
        reviewsLastHour
        reviewsPerHour
      }
    }
  }
`);

export type AiStatusRow = NonNullable<ResultOf<typeof AiStatusQuery>['aiStatus']>;
export type AiAnalysisRow = NonNullable<NonNullable<ResultOf<typeof QueryAiAnalysis>['latest']>['nodes'][number]>;
export type RecommendationAiAnalysisRow = NonNullable<NonNullable<ResultOf<typeof RecommendationAiAnalysis>['latest']>['nodes'][number]>;
export type AiAuditRow = NonNullable<NonNullable<ResultOf<typeof AiAnalysisAudit>['allAiAnalysisAudits']>['nodes'][number]>;
export type AiSettingsInput = VariablesOf<typeof SetAiSettings>['input'];
