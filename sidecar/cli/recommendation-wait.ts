/**
 * Follows a recommendation's job to its end for the CLI's `--wait`: its progress events on
 * stderr, until its state leaves the one the job works in. With a sidecar running, the sidecar does
 * the work; without one, this process runs the due recommendation jobs itself.
 */
import pg from 'pg';
import { eventChannel } from '../api/events-plugin.ts';
import { loadKey, SECRET_KEY } from '../secrets/key-files.ts';
import { SecretBox } from '../secrets/secret-box.ts';
import { runDueRecommendationJobs } from '../worker/recommendations/recommendation-tasks.ts';
import { makeTargetResolver } from '../worker/resolve-target.ts';

/** The states a job is still working on, per state the wait started in. */
const WORKING: Record<string, readonly string[]> = {
  validating: ['validating'],
  scheduled: ['scheduled', 'applying'],
  applying: ['scheduled', 'applying'],
  rolling_back: ['rolling_back'],
};

interface StateRow {
  state: string;
  state_reason: string | null;
  tenant_id: string;
  apply_at: Date | null;
}

export async function followRecommendation(pool: pg.Pool, url: string, id: string, note: (line: string) => void): Promise<StateRow> {
  let current = await stateOf(pool, id);
  const working = WORKING[current.state];
  if (!working) return current;
  if (current.state === 'scheduled' && current.apply_at && current.apply_at.getTime() > Date.now() + 5_000) {
    note(`scheduled for ${current.apply_at.toISOString()}: not waiting (the sidecar applies it then)`);
    return current;
  }
  const listener = new pg.Client({ connectionString: url });
  listener.on('error', () => undefined);
  await listener.connect();
  let wake: () => void = () => undefined;
  listener.on('notification', (message) => {
    const event = safeJson(message.payload);
    if (event?.recommendationId !== id) return;
    if (event.kind === 'validation_progress') note(`  ${event.stage}${event.total ? ` ${event.done} of ${event.total}` : ''}`);
    if (event.kind === 'recommendation_state') note(`  ${event.state}`);
    wake();
  });
  try {
    await listener.query(`listen "${eventChannel(current.tenant_id)}"`);
    const sidecar = (await pool.query<{ running: boolean }>('select optischema.sidecar_is_running() as running')).rows[0]?.running;
    let runHere: (() => Promise<void>) | null = null;
    if (!sidecar) {
      note('no sidecar is running: this process runs the job');
      const secretBox = new SecretBox(await loadKey(SECRET_KEY));
      const context = { system: pool, systemUrl: url, resolveTarget: makeTargetResolver(pool, secretBox), secretBox };
      runHere = () => runDueRecommendationJobs(context);
      await runHere();
    }
    // The state is read again at every event of this recommendation, and every 2 s in case the
    // sidecar's job retries silently.
    while (working.includes((current = await stateOf(pool, id)).state)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2_000);
        wake = () => (clearTimeout(timer), resolve());
      });
      // A retry graphile-worker put off (a lock that timed out) runs once it is due.
      await runHere?.();
    }
    return current;
  } finally {
    await listener.end().catch(() => undefined);
  }
}

async function stateOf(pool: pg.Pool, id: string): Promise<StateRow> {
  const { rows } = await pool.query<StateRow>('select state, state_reason, tenant_id, apply_at from optischema.recommendations where id = $1', [id]);
  return rows[0]!;
}

function safeJson(text: string | undefined): Record<string, unknown> | null {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
