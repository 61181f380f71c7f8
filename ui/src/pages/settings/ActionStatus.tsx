import type { ActionState } from './action-status.ts';

/** A form's outcome: the server's refusal as an alert, a confirmation as a polite status. */
export function ActionStatus({ state, what }: { state: ActionState; what: string }) {
  return (
    <>
      {state.error && (
        <p role="alert" className="error" data-testid="action-error">
          Could not {what}: {state.error}
        </p>
      )}
      <p role="status" className="ok" data-testid="action-done">
        {state.busy ? <span className="muted">Working…</span> : state.done}
      </p>
    </>
  );
}
