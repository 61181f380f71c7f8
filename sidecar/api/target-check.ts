import pg from 'pg';
import { connectionError } from '../database/connection.ts';
import { describeQueryTimeout, targetClientConfig, targetSettings, type TargetSettings } from '../database/target-settings.ts';
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

/**
 * Connects to the target once and runs the doctor's read-only checks, with the check's bounds
 * (target-settings.ts): a target that accepts the connection and never answers gives a result
 * saying so within the connect or query timeout. Never throws.
 */
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
  let settings: TargetSettings;
  try {
    settings = targetSettings('check');
  } catch (error) {
    return failed(error); // a malformed OPTISCHEMA_TARGET_* variable: its UserError says which
  }
  const client = new pg.Client(targetClientConfig(url, 'check', settings));
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
    return { ...failed(describeQueryTimeout(error, settings)), reachable: true };
  } finally {
    await client.end().catch(() => undefined);
  }
}
