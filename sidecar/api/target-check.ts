import pg from 'pg';
import { connectionError } from '../database/connection.ts';
import { runDoctor } from '../doctor/doctor.ts';
import type { Check } from '../doctor/checks.ts';
import { messageOf, UserError } from '../errors.ts';

/** One "test connection" of a target, as stored in targets.last_check and returned by the API. */
export interface TargetCheckResult {
  reachable: boolean;
  /** True when OptiSchema can run on the target (no failed check). */
  ready: boolean;
  /** Why the target could not be checked (unreachable, bad credentials, missing secret). */
  error: string | null;
  serverVersion: string | null;
  checks: Check[];
  checkedAt: string;
}

const CONNECT_TIMEOUT_MS = 5_000;
const STATEMENT_TIMEOUT_MS = 10_000;

/** Connects to the target once and runs the doctor's read-only checks. Never throws. */
export async function checkTarget(url: string | Error): Promise<TargetCheckResult> {
  const checkedAt = new Date().toISOString();
  const failed = (error: unknown): TargetCheckResult => ({
    reachable: false,
    ready: false,
    error: error instanceof UserError ? error.message : `the check failed: ${messageOf(error)}`,
    serverVersion: null,
    checks: [],
    checkedAt,
  });
  if (url instanceof Error) return failed(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'optischema-check',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    // connectionError names the server with the password redacted.
    return failed(connectionError(error, url));
  }
  try {
    const report = await runDoctor(client, { mode: 'target' });
    return { reachable: true, ready: report.ready, error: null, serverVersion: report.serverVersion, checks: report.checks, checkedAt };
  } catch (error) {
    return { ...failed(error), reachable: true };
  } finally {
    await client.end().catch(() => undefined);
  }
}
