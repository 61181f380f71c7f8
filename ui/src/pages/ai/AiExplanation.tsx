import { lazy, Suspense } from 'react';

// react-markdown and its parser are a chunk of their own, fetched when an explanation is shown.
const AiMarkdown = lazy(() => import('./AiMarkdown.tsx'));

/** The model's explanation: markdown once its renderer has loaded, the plain text (escaped by React) until then. */
export function AiExplanation({ text }: { text: string }) {
  if (!text.trim()) return null;
  return (
    <Suspense fallback={<p className="ai-plain-text" data-testid="ai-explanation-plain">{text}</p>}>
      <AiMarkdown text={text} />
    </Suspense>
  );
}
