import { randomBytes } from 'node:crypto';
import { Logger } from 'graphile-worker';
import type pg from 'pg';

/**
 * Registers a target in OptiSchema's database whose connection string is read from an environment
 * variable of this test process (secret_ref env:NAME), as an operator would configure one.
 */
export async function addEnvTarget(
  system: pg.Pool,
  url: string,
  settings: { snapshotIntervalS?: number; activityIntervalS?: number } = {},
): Promise<{ id: string; envName: string }> {
  const suffix = randomBytes(4).toString('hex');
  const envName = `OPTISCHEMA_TEST_TARGET_${suffix.toUpperCase()}`;
  process.env[envName] = url;
  // As an operator would: the reference is listed for the worker (makeTargetResolver reads the list per use).
  process.env.OPTISCHEMA_TARGET_SECRET_REFS = [process.env.OPTISCHEMA_TARGET_SECRET_REFS, `env:${envName}`].filter(Boolean).join(',');
  const { rows: [tenant] } = await system.query<{ id: string }>(
    `insert into optischema.tenants (name, slug) values ($1, $1) returning id`,
    [`t-${suffix}`],
  );
  const { rows: [target] } = await system.query<{ id: string }>(
    `insert into optischema.targets (tenant_id, name, secret_ref, snapshot_interval_s, activity_interval_s)
     values ($1, $2, $3, $4, $5) returning id`,
    [tenant!.id, `target-${suffix}`, `env:${envName}`, settings.snapshotIntervalS ?? 30, settings.activityIntervalS ?? 10],
  );
  return { id: target!.id, envName };
}

export async function targetRow(system: pg.Pool, id: string) {
  const { rows } = await system.query<{ status: string; status_message: string | null; last_seen_at: Date | null; last_snapshot_at: Date | null }>(
    'select status, status_message, last_seen_at, last_snapshot_at from optischema.targets where id = $1',
    [id],
  );
  return rows[0]!;
}

/** The calls stored in statement_history for statements of a target whose text matches `like`. */
export async function callsOf(system: pg.Pool, targetId: string, like: string): Promise<number[]> {
  const { rows } = await system.query<{ calls: number }>(
    `select h.calls::int from optischema.statement_history h
       join optischema.query_texts q on q.target_id = h.target_id and q.queryid = h.queryid
      where h.target_id = $1 and q.query like $2 order by h.id`,
    [targetId, like],
  );
  return rows.map((row) => row.calls);
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** graphile-worker's logger, silenced (set OPTISCHEMA_TEST_WORKER_LOG=1 to see it). */
export const quietLogger = new Logger((scope) => (level, message) => {
  if (process.env.OPTISCHEMA_TEST_WORKER_LOG) console.log(`[${level}] ${scope.label ?? ''} ${message}`);
});
