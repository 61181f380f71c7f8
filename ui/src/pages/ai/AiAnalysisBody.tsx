import type { ReactNode } from 'react';
import { can, type AppRole } from '../../app/session-context.tsx';
import type { PanelContent } from './ai-analysis.ts';
import { AnalysisDetails } from './AnalysisDetails.tsx';

export interface AiAnalysisBodyProps {
  content: PanelContent;
  role: AppRole;
  /** What was sent for an analysis (admins only: the API grants it to no other role). */
  audit?: (analysisId: string) => ReactNode;
  /** What the analysis is of, for the empty line. */
  subject?: 'statement' | 'recommendation';
  now?: number;
}

/** The panel's content once loaded: AI off, nothing yet, or the latest analysis (and, for admins, what was sent). */
export function AiAnalysisBody({ content, role, audit, subject = 'statement', now }: AiAnalysisBodyProps) {
  const showAudit = (id: string) => (audit && can(role, 'admin') ? audit(id) : null);
  if (content.kind === 'empty') {
    return (
      <p className="muted" data-testid="empty-state">
        No AI analysis yet for this {subject}: OptiSchema asks the model after the engine, for each slow statement, within the hourly rate and the monthly token budget.
      </p>
    );
  }
  if (content.kind === 'off') {
    return (
      <div className="stack">
        <p data-testid="ai-off">
          <strong>AI is off — OptiSchema runs in deterministic mode.</strong>{' '}
          <span className="muted">No language model is configured or it is turned off; the engine, the sandbox and the rewriter work as always.</span>
        </p>
        {content.deterministic ? (
          <>
            <AnalysisDetails analysis={content.deterministic} {...(now !== undefined ? { now } : {})} />
            {showAudit(content.deterministic.id)}
          </>
        ) : (
          <p className="muted">The deterministic rewriter has no proposal for this {subject}.</p>
        )}
      </div>
    );
  }
  return (
    <>
      <AnalysisDetails analysis={content.analysis} {...(now !== undefined ? { now } : {})} />
      {showAudit(content.analysis.id)}
    </>
  );
}
