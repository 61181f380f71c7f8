/**
 * Runs the SaaS workload for real, as the application's role, so that pg_stat_statements holds its
 * statements normalized (one entry per statement, `$n` for constants, the role as their author) and
 * the tables' write counters hold its writes. Both are reset first: the advisor reads
 * pg_stat_statements since its reset and divides write counters by the time since theirs.
 *
 * Calls are shuffled (seeded: the same run each time) and shared by `sessions` connections, each
 * `SET ROLE`d to the application role (a NOLOGIN role, test/support/app-role.ts).
 */
import pg from 'pg';
import { seededDraw } from '../../sidecar/demo/random.ts';
import { resetWriteCounters } from './load.ts';
import { WORKLOAD, type Call, type WorkloadContext } from './workload.ts';

export interface WorkloadRun {
  seconds: number;
  calls: number;
  /** Per action: calls made and calls that failed (with the first error). */
  actions: { action: string; calls: number; errors: number; firstError?: string }[];
}

const SEED = 20250701;

export async function runSaasWorkload(
  admin: pg.ClientBase,
  url: string,
  role: string,
  ctx: WorkloadContext,
  options: { callsFactor: number; sessions: number; onProgress?: (message: string) => void },
): Promise<WorkloadRun> {
  const draw = seededDraw(SEED);
  const queue: { action: string; call: Call }[] = [];
  for (const spec of WORKLOAD) {
    const calls = Math.max(1, Math.round(spec.calls * options.callsFactor));
    for (let n = 0; n < calls; n++) queue.push({ action: spec.action, call: spec.make(draw, ctx) });
  }
  for (let i = queue.length - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [queue[i], queue[j]] = [queue[j]!, queue[i]!];
  }

  await admin.query('select pg_stat_statements_reset()');
  await resetWriteCounters(admin);

  const tally = new Map(WORKLOAD.map((s) => [s.action, { action: s.action, calls: 0, errors: 0, firstError: undefined as string | undefined }]));
  let next = 0;
  const started = performance.now();
  let reported = started;
  const session = async () => {
    const client = new pg.Client({ connectionString: url, application_name: 'optischema-bench-saas-app' });
    await client.connect();
    try {
      await client.query(`set role ${pg.escapeIdentifier(role)}`);
      while (next < queue.length) {
        const { action, call } = queue[next++]!;
        const entry = tally.get(action)!;
        entry.calls++;
        try {
          await (typeof call === 'string' ? client.query(call) : client.query(call.text, call.values));
        } catch (error) {
          entry.errors++;
          entry.firstError ??= error instanceof Error ? error.message : String(error);
        }
        if (options.onProgress && performance.now() - reported > 15_000) {
          reported = performance.now();
          options.onProgress(`workload: ${next} of ${queue.length} calls, ${((reported - started) / 1000).toFixed(0)} s`);
        }
      }
    } finally {
      // Closing the session sends its statistics to the shared counters.
      await client.end();
    }
  };
  await Promise.all(Array.from({ length: options.sessions }, session));
  const seconds = (performance.now() - started) / 1000;
  // Statistics of ended sessions reach the shared counters asynchronously; give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return { seconds, calls: queue.length, actions: [...tally.values()] };
}
