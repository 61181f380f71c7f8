/**
 * The bench's one sandbox: a template clone of the bench database, made after every bench session
 * on it is closed. PostgreSQL copies a template only with nothing connected to it, and
 * cloneByTemplate refuses while pg_stat_activity still shows another session, which right after a
 * pool's end (its backends exit asynchronously) or during an autovacuum run is briefly true: so the
 * clone is retried for up to `waitMs` before giving up. CREATE DATABASE's own refusal for the same
 * cause, a session that arrived between the check and the copy, is OBJECT_IN_USE.
 */
import type pg from 'pg';
import { SandboxError } from '../../sidecar/sandbox/isolation.ts';
import { cloneByTemplate } from '../../sidecar/sandbox/template-clone.ts';

/** "source database … is being accessed by other users". */
const OBJECT_IN_USE = '55006';

export async function cloneWhenQuiet(server: pg.ClientBase, source: string, waitMs = 60_000): Promise<{ name: string; seconds: number }> {
  const started = performance.now();
  for (;;) {
    try {
      const name = await cloneByTemplate(server, source);
      return { name, seconds: (performance.now() - started) / 1000 };
    } catch (error) {
      const busy = error instanceof SandboxError || (error as { code?: string }).code === OBJECT_IN_USE;
      if (!busy || performance.now() - started > waitMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
