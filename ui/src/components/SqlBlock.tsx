import { useEffect, useMemo, useRef } from 'react';
import { sql, PostgreSQL } from '@codemirror/lang-sql';
import { syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { format } from 'sql-formatter';
import { CopyButton } from './CopyButton.tsx';

/**
 * SQL as a reader wants it: formatted (sql-formatter, PostgreSQL dialect) and highlighted
 * (CodeMirror 6, read-only, selectable). Text the formatter cannot parse is shown as it came:
 * normalized statements carry `$1` placeholders and odd syntax, and the original is never lost.
 */
export function SqlBlock({ text, label, formatted = true, copy = true }: { text: string; label: string; formatted?: boolean; copy?: boolean }) {
  const shown = useMemo(() => (formatted ? formatSql(text) : text), [text, formatted]);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = box.current;
    if (!host) return;
    // In a shadow root, CodeMirror's styles are adopted style sheets; in the document it would add
    // a <style> element, which the app's Content-Security-Policy refuses.
    const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    const view = new EditorView({
      root: shadow,
      parent: shadow,
      state: EditorState.create({
        doc: shown,
        extensions: [
          EditorState.readOnly.of(true),
          EditorView.editable.of(false),
          EditorView.lineWrapping,
          lineNumbers(),
          sql({ dialect: PostgreSQL }),
          syntaxHighlighting(defaultHighlightStyle),
          // The page's styles stop at the shadow root; its colour variables pass through.
          EditorView.theme({
            '&': { backgroundColor: 'var(--bg)', color: 'var(--fg)', maxHeight: '24rem', fontSize: '0.85rem' },
            '.cm-gutters': { backgroundColor: 'var(--card)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
            '.cm-scroller': { fontFamily: 'ui-monospace, monospace' },
          }),
          // Focusable though read-only: a long statement scrolls, and a keyboard must reach it.
          EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
        ],
      }),
    });
    return () => view.destroy();
  }, [shown, label]);
  return (
    <div className="stack" style={{ gap: '0.3rem' }}>
      <div className="sql-block" ref={box} data-testid="sql" data-sql={shown} />
      {copy && (
        <div className="row">
          <CopyButton text={text} label={`Copy ${label}`} />
        </div>
      )}
    </div>
  );
}

export function formatSql(text: string): string {
  try {
    return format(text, { language: 'postgresql', keywordCase: 'preserve', paramTypes: { numbered: ['$'] } });
  } catch {
    return text;
  }
}
