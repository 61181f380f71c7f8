import { useId, useState } from 'react';
import { formatTime } from '../../format.ts';
import type { NoteItem } from './recommendation-notes.ts';

export interface RecommendationNotesProps {
  notes: readonly NoteItem[] | undefined;
  /** Whether the reader may write notes (analysts and admins). */
  canAdd: boolean;
  /** Adds a note; resolves to the server's message when it refused, else null. */
  onAdd(body: string): Promise<string | null>;
}

/** What people wrote about the recommendation, oldest first, and a form for a new note. */
export function RecommendationNotes({ notes, canAdd, onAdd }: RecommendationNotesProps) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = async () => {
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    const refused = await onAdd(body.trim()).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    setBusy(false);
    if (refused) setError(refused);
    else setBody('');
  };
  return (
    <section aria-labelledby="notes-heading">
      <h2 id="notes-heading">Notes</h2>
      {notes === undefined ? (
        <p className="muted" role="status">Loading notes…</p>
      ) : notes.length === 0 ? (
        <p className="muted">No notes yet.{canAdd ? ' Write what you found or decided for the next reader.' : ''}</p>
      ) : (
        <ul className="notes stack" data-testid="notes">
          {notes.map((n) => (
            <li key={n.id}>
              <p className="note-body">{n.body}</p>
              <p className="muted">
                {n.author}, {formatTime(n.createdAt)}
              </p>
            </li>
          ))}
        </ul>
      )}
      {canAdd && (
        <form
          className="stack note-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label htmlFor={id}>
            New note
            <textarea id={id} rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
          </label>
          {error && <p role="alert" className="error">Could not add the note: {error}</p>}
          <div className="row">
            <button type="submit" disabled={busy || !body.trim()}>{busy ? 'Adding…' : 'Add note'}</button>
          </div>
        </form>
      )}
    </section>
  );
}
