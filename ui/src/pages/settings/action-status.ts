import { useCallback, useState } from 'react';
import type { Outcome } from './outcome.ts';

export interface ActionState {
  busy: boolean;
  /** The server's message when it refused. */
  error: string | null;
  /** What was done, once it was. */
  done: string | null;
}

/**
 * Runs one mutation at a time for a form and keeps what to say about it: busy, the server's
 * refusal, or a confirmation. `fail` shows a message of the form's own (a field that is wrong).
 */
export function useActionStatus() {
  const [state, setState] = useState<ActionState>({ busy: false, error: null, done: null });
  const run = useCallback(async <T>(action: () => Promise<Outcome<T>>, doneText: (data: T) => string): Promise<Outcome<T>> => {
    setState({ busy: true, error: null, done: null });
    const outcome = await action();
    setState(outcome.ok ? { busy: false, error: null, done: doneText(outcome.data) } : { busy: false, error: outcome.message, done: null });
    return outcome;
  }, []);
  const reset = useCallback(() => setState({ busy: false, error: null, done: null }), []);
  return { state, run, reset };
}
