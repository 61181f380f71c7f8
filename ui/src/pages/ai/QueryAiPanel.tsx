import { useContext, useMemo } from 'react';
import { SessionContext, type AppRole } from '../../app/session-context.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useLiveQuery } from '../../graphql/live.ts';
import { nodesOf } from '../../graphql/nodes.ts';
import { analysisView, panelContent } from './ai-analysis.ts';
import { QueryAiAnalysis } from './ai-queries.ts';
import { AI_REFRESH_MS } from './ai-refresh.ts';
import { statusView } from './ai-status.ts';
import { AiAnalysisBody } from './AiAnalysisBody.tsx';
import { AiPanelFrame } from './AiPanelFrame.tsx';
import { WhatWasSent } from './WhatWasSent.tsx';


const audit = (id: string) => <WhatWasSent analysisId={id} />;

/** The statement page's AI panel: the latest analysis of one statement on one database. */
export function QueryAiPanel({ targetId, queryid, role }: { targetId: string; queryid: string; role?: AppRole }) {
  return (
    <AiPanelFrame>
      <QueryAiContent targetId={targetId} queryid={queryid} role={role} />
    </AiPanelFrame>
  );
}

function QueryAiContent({ targetId, queryid, role }: { targetId: string; queryid: string; role: AppRole | undefined }) {
  // Read without useSession: the panel is also shown where no session is provided (it then shows a viewer's view).
  const session = useContext(SessionContext);
  const [result] = useLiveQuery({ query: QueryAiAnalysis, variables: { targetId, queryid } }, ['recommendation_created'], AI_REFRESH_MS);
  const content = useMemo(() => {
    const d = result.data;
    if (!d) return undefined;
    const latest = nodesOf(d.latest?.nodes)?.[0];
    const deterministic = nodesOf(d.deterministic?.nodes)?.[0];
    return panelContent(
      statusView(d.aiStatus),
      latest?.rowId ? analysisView(latest.rowId, latest) : null,
      deterministic?.rowId ? analysisView(deterministic.rowId, deterministic) : null,
    );
  }, [result.data]);
  return (
    <QueryState what="the AI analysis" fetching={result.fetching} error={result.error} data={content}>
      {(c) => <AiAnalysisBody content={c} role={role ?? session?.role ?? 'viewer'} audit={audit} subject="statement" />}
    </QueryState>
  );
}
