import { useId, type ReactNode } from 'react';
import { AiPanelBoundary } from './AiPanelBoundary.tsx';

/** The panel's box and heading, the same on the statement and the recommendation page. */
export function AiPanelFrame({ children }: { children: ReactNode }) {
  const id = useId();
  return (
    <section className="ai-panel" aria-labelledby={`${id}-heading`} data-testid="ai-panel">
      <h2 id={`${id}-heading`}>AI analysis</h2>
      <AiPanelBoundary>{children}</AiPanelBoundary>
    </section>
  );
}
