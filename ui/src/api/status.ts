import { useCallback, useEffect, useState } from 'react';
import type { StartStatus } from '../../../sidecar/server/start-status.ts';
import { authHeaders } from './session.ts';

export type { StartStatus };

export type Loadable<T> =
  | { state: 'loading' }
  | { state: 'sign-in' }
  | { state: 'failed'; error: string }
  | { state: 'ready'; data: T };

class SignInRequired extends Error {}

/** How often the start page reads the status again. */
const REFRESH_MS = 3_000;

/** Fetches /api/status: the connected database, its version, the extensions and the demo dataset. */
export async function fetchStatus(signal?: AbortSignal): Promise<StartStatus> {
  const response = await fetch('/api/status', { signal, headers: authHeaders() });
  if (response.status === 401) throw new SignInRequired();
  const body = (await response.json().catch(() => ({}))) as StartStatus & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `the server answered ${response.status}`);
  return body;
}

/** The status and a function to load it again (after signing in). */
export function useStatus(): [Loadable<StartStatus>, () => void] {
  const [status, setStatus] = useState<Loadable<StartStatus>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Read again every few seconds while it answers: the loop's progress changes by itself.
    const load = () =>
      fetchStatus(abort.signal).then(
        (data) => {
          setStatus({ state: 'ready', data });
          timer = setTimeout(load, REFRESH_MS);
        },
        (error: Error) => {
          if (abort.signal.aborted) return;
          setStatus(error instanceof SignInRequired ? { state: 'sign-in' } : { state: 'failed', error: error.message });
        },
      );
    void load();
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [attempt]);
  return [status, useCallback(() => setAttempt((n) => n + 1), [])];
}
