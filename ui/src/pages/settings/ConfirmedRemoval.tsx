import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useActionStatus } from './action-status.ts';
import { ActionStatus } from './ActionStatus.tsx';
import type { Outcome } from './outcome.ts';

/**
 * Removing something after a confirmation (a member, an API key): which one is being asked about,
 * and the outcome. The dialog closes only when the removal succeeded; a refusal stays in it.
 */
export function useConfirmedRemoval<T>(remove: (item: T) => Promise<Outcome<unknown>>, doneText: (item: T) => string) {
  const [pending, setPending] = useState<T | null>(null);
  const status = useActionStatus();
  return {
    pending,
    status,
    ask(item: T) {
      status.reset();
      setPending(item);
    },
    cancel: () => setPending(null),
    async confirm(item: T) {
      const outcome = await status.run(() => remove(item), () => doneText(item));
      if (outcome.ok) setPending(null);
    },
  };
}

interface ConfirmedRemovalProps<T> {
  removal: ReturnType<typeof useConfirmedRemoval<T>>;
  /** "remove the member": for the status line. */
  what: string;
  title(item: T): string;
  confirmLabel: string;
  /** "Could not remove them": before the server's reason. */
  failure: string;
  children: ReactNode;
}

/** The outcome line and, while one is asked about, the confirmation with its own refusal. */
export function ConfirmedRemoval<T>({ removal, what, title, confirmLabel, failure, children }: ConfirmedRemovalProps<T>) {
  const { pending, status } = removal;
  return (
    <>
      {/* While the dialog is open, its own alert says why a removal failed. */}
      <ActionStatus state={pending ? { ...status.state, error: null } : status.state} what={what} />
      {pending && (
        <ConfirmDialog
          open
          danger
          title={title(pending)}
          confirmLabel={confirmLabel}
          busy={status.state.busy}
          onConfirm={() => void removal.confirm(pending)}
          onCancel={removal.cancel}
        >
          {children}
          {status.state.error && (
            <p role="alert" className="error">
              {failure}: {status.state.error}
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
