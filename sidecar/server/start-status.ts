import type { Queryable } from '../database/queryable.ts';
import { redactUrl } from '../database/connection.ts';
import { runDoctor } from '../doctor/doctor.ts';
import { demoStatus } from '../demo/status.ts';
import { loopStatus } from './loop-status.ts';

/** What the start page shows: the connected database, its version, the extensions, the demo, what the loop is doing. */
export async function startStatus(db: Queryable, url: string, embedded: boolean) {
  const [report, demo, loop] = await Promise.all([runDoctor(db), demoStatus(db), loopStatus(db).catch(() => null)]);
  return {
    database: { url: redactUrl(url), name: report.database, user: report.user, serverVersion: report.serverVersion, embedded },
    ready: report.ready,
    extensions: report.extensions,
    checks: report.checks,
    demo,
    loop,
  };
}

export type StartStatus = Awaited<ReturnType<typeof startStatus>>;
