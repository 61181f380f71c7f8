import pg from 'pg';
import { targetClientConfig, targetSettings } from '../../database/target-settings.ts';
import type { PgBinaries } from '../../embedded/binaries.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';
import type { ResolveTarget } from '../resolve-target.ts';

/** What the recommendation jobs (validate, apply, roll back, realized gain) are handed. */
export interface RecommendationTaskContext {
  /** OptiSchema's own database, as the role that installed it. */
  system: pg.Pool;
  /** Its URL: the local target's, and the server embedded and sample sandboxes are made on. */
  systemUrl: string;
  resolveTarget: ResolveTarget;
  secretBox?: SecretBox;
  binaries?: PgBinaries;
  /** Statement runs per measurement in the sandbox (default 5). */
  validationRuns?: number;
  /** The apply's lock_timeout (default 5 s, sidecar/apply/apply-session.ts). */
  applyLockTimeoutMs?: number;
}

/** The target's URL as the jobs open it: OptiSchema's own for the local target; null when it is gone. */
export async function targetUrlOf(context: RecommendationTaskContext, targetId: string): Promise<string | null> {
  const location = await context.resolveTarget(targetId);
  return location === 'local' ? context.systemUrl : location;
}

/**
 * Runs `work` on a new session on the target for an apply or a rollback (the apply use's bounds,
 * target-settings.ts), closed afterwards. A sidecar shutting down (`signal`) ends the session:
 * PostgreSQL cancels a build in progress, and the INVALID index it leaves is dropped by the retry
 * the next sidecar runs.
 */
export async function withApplyClient<T>(targetUrl: string, signal: AbortSignal, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(targetClientConfig(targetUrl, 'apply', targetSettings('apply')));
  client.on('error', () => undefined);
  const abort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
    return await work(client);
  } finally {
    signal.removeEventListener('abort', abort);
    await client.end().catch(() => undefined);
  }
}

