import { useContext, useMemo } from 'react';
import { useQuery } from 'urql';
import { SessionContext, type AppRole } from '../../app/session-context.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useLiveQuery } from '../../graphql/live.ts';
import { nodesOf } from '../../graphql/nodes.ts';
import { analysisView, panelContent } from './ai-analysis.ts';
import { AiAnalysisUsage, RecommendationAiAnalysis, type RecommendationAiAnalysisRow } from './ai-queries.ts';
import { AI_REFRESH_MS } from './ai-refresh.ts';
import { statusView } from './ai-status.ts';
import { AiAnalysisBody } from './AiAnalysisBody.tsx';
import { AiPanelFrame } from './AiPanelFrame.tsx';
import { WhatWasSent } from './WhatWasSent.tsx';

const audit = (id: string) => <WhatWasSent analysisId={id} />;

/** The recommendation page's AI panel: the latest analysis that speaks to this recommendation. */
export function RecommendationAiPanel({ recommendationId, role }: { recommendationId: string; role?: AppRole }) {
  return (
    <AiPanelFrame>
      <RecommendationAiContent recommendationId={recommendationId} role={role} />
    </AiPanelFrame>
  );
}

function RecommendationAiContent({ recommendationId, role }: { recommendationId: string; role: AppRole | undefined }) {
  const session = useContext(SessionContext);
  const [result] = useLiveQuery({ query: RecommendationAiAnalysis, variables: { recommendationId } }, ['recommendation_state'], AI_REFRESH_MS);
  const latest = nodesOf(result.data?.latest?.nodes)?.[0];
  const deterministic = nodesOf(result.data?.deterministic?.nodes)?.[0];
  const enabled = result.data?.aiStatus?.enabled === true;
  const shownId = (enabled ? latest : deterministic)?.analysisId ?? null;
  // The recommendation's view has no token counts: they are read from the analysis itself.
  const [usage] = useQuery({ query: AiAnalysisUsage, variables: { id: shownId ?? '' }, pause: shownId === null });
  const usageRow = shownId ? nodesOf(usage.data?.allAiAnalyses?.nodes)?.find((n) => n.rowId === shownId) : undefined;
  const content = useMemo(() => {
    const d = result.data;
    if (!d) return undefined;
    const view = (row: RecommendationAiAnalysisRow | undefined) =>
      row?.analysisId
        ? analysisView(row.analysisId, {
            ...row,
            ...(usageRow && row.analysisId === usageRow.rowId ? { inputTokens: usageRow.inputTokens, outputTokens: usageRow.outputTokens, toolCalls: usageRow.toolCalls } : {}),
          })
        : null;
    return panelContent(statusView(d.aiStatus), view(latest), view(deterministic));
  }, [result.data, latest, deterministic, usageRow]);
  return (
    <QueryState what="the AI analysis" fetching={result.fetching} error={result.error} data={content}>
      {(c) => <AiAnalysisBody content={c} role={role ?? session?.role ?? 'viewer'} audit={audit} subject="recommendation" />}
    </QueryState>
  );
}
