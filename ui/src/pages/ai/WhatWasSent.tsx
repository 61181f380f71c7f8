import { useState } from 'react';
import { useQuery } from 'urql';
import { QueryState } from '../../components/QueryState.tsx';
import { formatCount } from '../../format.ts';
import { nodesOf } from '../../graphql/nodes.ts';
import { auditView, type AuditView } from './ai-audit.ts';
import { AiAnalysisAudit } from './ai-queries.ts';

/**
 * "What was sent" (admins): collapsed, and read only when opened: the context can be thousands of
 * tokens, and most visits do not need it.
 */
export function WhatWasSent({ analysisId }: { analysisId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="ai-audit" data-testid="ai-audit" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>What was sent to the model</summary>
      {open && <AuditLoader analysisId={analysisId} />}
    </details>
  );
}

function AuditLoader({ analysisId }: { analysisId: string }) {
  const [result] = useQuery({ query: AiAnalysisAudit, variables: { id: analysisId } });
  const row = nodesOf(result.data?.allAiAnalysisAudits?.nodes)?.[0];
  const view = result.data ? (row ? auditView(row.context, row.transcript) : null) : undefined;
  return (
    <QueryState
      what="what was sent"
      fetching={result.fetching}
      error={result.error}
      data={view === undefined ? undefined : { view }}
      empty={(d) => d.view === null}
      emptyText="Nothing was recorded of what this analysis sent."
    >
      {({ view: v }) => (v ? <AuditContent audit={v} /> : null)}
    </QueryState>
  );
}

/** The context, its sections with their token counts, and every message exchanged, as text. */
export function AuditContent({ audit }: { audit: AuditView }) {
  const c = audit.context;
  return (
    <div className="stack ai-audit-body" data-testid="ai-audit-body">
      {c ? (
        <>
          <p className="muted">
            {c.tokens !== null && <>{formatCount(c.tokens)} tokens of context. </>}
            {c.literalsAllowed === null ? null : c.literalsAllowed ? 'Literal values were allowed.' : 'Literal values were not sent (replaced by $n and left out of the statistics).'}
          </p>
          {c.sections.length > 0 && (
            <ul className="ai-sections" aria-label="Sections of the context">
              {c.sections.map((s) => (
                <li key={s.name}>
                  {s.name}: {s.tokens === null ? '–' : `${formatCount(s.tokens)} tokens`}
                  {s.included ? '' : ' (left out: over the token budget)'}
                </li>
              ))}
            </ul>
          )}
          <h4>Context</h4>
          <pre className="ai-pre" tabIndex={0} data-testid="ai-context-text">{c.text}</pre>
        </>
      ) : (
        <p className="muted">No context was recorded (the analysis made no model call).</p>
      )}
      {audit.messages.length > 0 && (
        <>
          <h4>Messages exchanged ({audit.messages.length})</h4>
          <ol className="ai-transcript">
            {audit.messages.map((m, i) => (
              <li key={i}>
                <p className="muted ai-role">{m.role}{m.name ? ` · ${m.name}` : ''}</p>
                {m.content && <pre className="ai-pre" tabIndex={0}>{m.content}</pre>}
                {m.toolCalls.map((t, j) => (
                  <pre key={j} className="ai-pre" tabIndex={0}>
                    calls {t}
                  </pre>
                ))}
              </li>
            ))}
          </ol>
        </>
      )}
      {audit.unreadableMessages > 0 && <p className="muted">{audit.unreadableMessages} message(s) could not be read and are not shown.</p>}
    </div>
  );
}
