import Markdown, { type Components } from 'react-markdown';

/*
 * A model's explanation is text someone else wrote (and a statement it quotes came from any user
 * of the database), so it is rendered as markdown with react-markdown and nothing more:
 * - no rehype-raw: react-markdown turns raw HTML in the text into plain text, so `<script>` or
 *   `<img onerror=…>` reads as the characters it is and never becomes an element;
 * - only the elements below are made; images are dropped (a model could point one at any server)
 *   and links show their text and address without being links (nothing to click from a model);
 * - no remark-gfm: no tables or autolinks, which an explanation does not need.
 * It is loaded on its own (AiExplanation.tsx) so the pages' chunks stay small.
 */
const ALLOWED = ['p', 'strong', 'em', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'br', 'a'];

// The panel's heading is an h2: the model's headings sit below it, whatever level it chose.
const components: Components = {
  h1: ({ children }) => <h3>{children}</h3>,
  h2: ({ children }) => <h3>{children}</h3>,
  h3: ({ children }) => <h4>{children}</h4>,
  h4: ({ children }) => <h4>{children}</h4>,
  h5: ({ children }) => <h4>{children}</h4>,
  h6: ({ children }) => <h4>{children}</h4>,
  a: ({ children, href }) => (
    <span className="ai-link">
      {children}
      {href ? <> (<code>{href}</code>)</> : null}
    </span>
  ),
};

export default function AiMarkdown({ text }: { text: string }) {
  return (
    <div className="ai-markdown" data-testid="ai-explanation">
      <Markdown allowedElements={ALLOWED} unwrapDisallowed components={components}>
        {text}
      </Markdown>
    </div>
  );
}
