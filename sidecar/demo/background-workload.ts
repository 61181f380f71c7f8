/**
 * The demo application's traffic while `optischema start` serves the embedded demo (issue 12 §1):
 * so that the demo comes alive by itself — slow queries, then recommendations, validations and
 * applied indexes — without a second terminal. Bounded: two sessions, at most 10 statements a
 * second in all (the demo's reads take 100–300 ms each before their indexes exist, so most of the
 * time far fewer); it stops with OptiSchema.
 */
import { openPool } from '../database/connection.ts';
import { messageOf } from '../errors.ts';
import { runWorkload } from './workload.ts';

export const BACKGROUND_RATE_PER_SECOND = 10;
const SESSIONS = 2;
/** Longer than any run: the signal stops it. */
const UNTIL_STOPPED_S = 7 * 24 * 3600;

export interface BackgroundWorkload {
  stop(): Promise<void>;
}

export async function startBackgroundWorkload(url: string, log: (line: string) => void): Promise<BackgroundWorkload> {
  const pool = await openPool(url, { max: SESSIONS, applicationName: 'optischema-demo-workload' });
  const stopping = new AbortController();
  const running = runWorkload(pool, { seconds: UNTIL_STOPPED_S, concurrency: SESSIONS, ratePerSecond: BACKGROUND_RATE_PER_SECOND, signal: stopping.signal })
    .then(
      () => undefined,
      (error: unknown) => log(`the demo workload stopped: ${messageOf(error)}`),
    );
  return {
    stop: async () => {
      stopping.abort();
      await running;
      await pool.end().catch(() => undefined);
    },
  };
}
