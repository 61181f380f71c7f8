import { useEffect, useState } from 'react';
import type { StartStatus } from '../../../sidecar/server/start-status.ts';

export type { StartStatus };

export type Loadable<T> = { state: 'loading' } | { state: 'failed'; error: string } | { state: 'ready'; data: T };

/** Fetches /api/status: the connected database, its version, the extensions and the demo dataset. */
export async function fetchStatus(signal?: AbortSignal): Promise<StartStatus> {
  const response = await fetch('/api/status', { signal });
  const body = (await response.json().catch(() => ({}))) as StartStatus & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `the server answered ${response.status}`);
  return body;
}

export function useStatus(): Loadable<StartStatus> {
  const [status, setStatus] = useState<Loadable<StartStatus>>({ state: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    fetchStatus(abort.signal).then(
      (data) => setStatus({ state: 'ready', data }),
      (error: Error) => {
        if (!abort.signal.aborted) setStatus({ state: 'failed', error: error.message });
      },
    );
    return () => abort.abort();
  }, []);
  return status;
}
