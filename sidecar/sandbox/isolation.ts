/**
 * A sandbox the user provides (`url`: a restored snapshot, a promoted replica, a branch, a thin
 * clone) must not be the production target under another name: OptiSchema builds and drops indexes
 * there. Host names, ports and even the cluster's system identifier cannot tell (a proxy hides the
 * server; a promoted replica keeps its primary's identifier), so the check is a fact: a random
 * token written in the sandbox must not be readable in the target.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';

export class SandboxError extends Error {}

const MARKER_SCHEMA = 'optischema_sandbox';

/**
 * Throws SandboxError with the reason when `sandbox` cannot serve as a sandbox for `target`: it is
 * a standby (read-only, no index can be built), or it is the target's own database. Leaves a small
 * `optischema_sandbox.marker` table in the sandbox, without rows.
 *
 * @example
 *   await checkSandbox(targetPool, sandboxPool); // or SandboxError: the sandbox is the target's own database …
 */
export async function checkSandbox(target: pg.ClientBase | pg.Pool, sandbox: pg.ClientBase | pg.Pool): Promise<void> {
  const recovery = await sandbox.query<{ standby: boolean }>('select pg_is_in_recovery() as standby');
  if (recovery.rows[0]?.standby) throw new SandboxError('the sandbox is a standby in recovery: it is read-only, so no index can be built there (promote it, or give another sandbox)');
  const token = randomBytes(16).toString('hex');
  await sandbox.query(`create schema if not exists ${MARKER_SCHEMA}`);
  await sandbox.query(`create table if not exists ${MARKER_SCHEMA}.marker (token text primary key, written_at timestamptz not null default now())`);
  await sandbox.query(`insert into ${MARKER_SCHEMA}.marker (token) values ($1)`, [token]);
  try {
    const present = await target.query<{ present: boolean }>(`select to_regclass('${MARKER_SCHEMA}.marker') is not null as present`);
    const seen = present.rows[0]?.present
      ? await target.query<{ same: boolean }>(`select exists (select from ${MARKER_SCHEMA}.marker where token = $1) as same`, [token])
      : { rows: [{ same: false }] };
    if (seen.rows[0]?.same) throw new SandboxError('the sandbox is the target\'s own database (a token written in the sandbox is readable in the target): give a copy, not the production database');
  } finally {
    await sandbox.query(`delete from ${MARKER_SCHEMA}.marker where token = $1`, [token]);
  }
}
