import { getRouteApi } from '@tanstack/react-router';
import { useCallback, useMemo, useState } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { can, useSession, type AppRole } from '../../app/session-context.tsx';
import { errorText, QueryState } from '../../components/QueryState.tsx';
import { useLiveEvents, useLiveQuery } from '../../graphql/live.ts';
import { nodesOf } from '../../graphql/nodes.ts';
import type { ActionRequest } from './recommendation-actions.ts';
import { noteItems } from './recommendation-notes.ts';
import { recommendationView } from './recommendation-view.ts';
import {
  AddRecommendationNote,
  ApplyRecommendation,
  DismissRecommendation,
  RecommendationDetail as DetailQuery,
  RecommendationNotes as NotesQuery,
  ReopenRecommendation,
  RollbackRecommendation,
  ValidateRecommendation,
} from './recommendations-queries.ts';
import { progressFor, type ValidationProgress } from './validation-progress.ts';
import { RecommendationDetail } from './RecommendationDetail.tsx';
import { RecommendationNotes } from './RecommendationNotes.tsx';

const route = getRouteApi('/recommendations/$id');

/** add_recommendation_note requires the analyst role (0003). */
const NOTE_ROLE: AppRole = 'analyst';

const refusal = (result: { error?: CombinedError | undefined }) => (result.error ? errorText(result.error) : null);

/** One recommendation, live: its state and validation progress follow the sidecar's events. */
export function RecommendationPage() {
  const { id } = route.useParams();
  const { role } = useSession();
  const [detail, refresh] = useLiveQuery({ query: DetailQuery, variables: { id } }, ['recommendation_state']);
  const [notes, refreshNotes] = useLiveQuery({ query: NotesQuery, variables: { id } }, [], 60_000);
  const [progress, setProgress] = useState<ValidationProgress | null>(null);
  useLiveEvents((event) => {
    if (event.kind !== 'validation_progress') return;
    const p = progressFor(event.data, id);
    if (p) setProgress(p);
  });

  const [, validate] = useMutation(ValidateRecommendation);
  const [, apply] = useMutation(ApplyRecommendation);
  const [, dismiss] = useMutation(DismissRecommendation);
  const [, rollback] = useMutation(RollbackRecommendation);
  const [, reopen] = useMutation(ReopenRecommendation);
  const [, addNote] = useMutation(AddRecommendationNote);

  const onAction = useCallback(
    async (request: ActionRequest): Promise<string | null> => {
      const result =
        request.action === 'validate' ? await validate({ id })
        : request.action === 'apply' ? await apply({ id, at: request.at, forceReason: request.forceReason })
        : request.action === 'dismiss' ? await dismiss({ id, reason: request.reason })
        : request.action === 'rollback' ? await rollback({ id })
        : await reopen({ id });
      const refused = refusal(result);
      if (!refused) {
        if (request.action === 'validate') setProgress(null);
        refresh();
      }
      return refused;
    },
    [id, validate, apply, dismiss, rollback, reopen, refresh],
  );
  const onAddNote = useCallback(
    async (body: string) => {
      const refused = refusal(await addNote({ id, body }));
      if (!refused) refreshNotes();
      return refused;
    },
    [id, addNote, refreshNotes],
  );

  // null inside: loaded, and not there (or not the caller's); undefined: not loaded yet.
  const loaded = useMemo(() => {
    if (!detail.data) return undefined;
    const row = detail.data.recommendationByRowId;
    return { view: row ? recommendationView(row) : null };
  }, [detail.data]);
  const noteList = useMemo(() => {
    const r = notes.data?.recommendationByRowId;
    if (!r) return undefined;
    return noteItems(nodesOf(r.recommendationNotesByRecommendationId.nodes) ?? [], nodesOf(notes.data?.allMembers?.nodes) ?? []);
  }, [notes.data]);

  return (
    <QueryState what="the recommendation" fetching={detail.fetching} error={detail.error} data={loaded}>
      {({ view: v }) =>
        v === null ? (
          <>
            <h1>Recommendation not found</h1>
            <p className="muted">No recommendation {id} is visible to you: it may belong to another tenant, or its database was removed.</p>
          </>
        ) : (
          <>
            <RecommendationDetail view={v} role={role} progress={progress} onAction={onAction} />
            <RecommendationNotes notes={noteList} canAdd={can(role, NOTE_ROLE)} onAdd={onAddNote} />
          </>
        )
      }
    </QueryState>
  );
}
