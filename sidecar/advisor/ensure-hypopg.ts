import type pg from 'pg';
import { UserError } from '../errors.ts';

/** Bounds on CREATE EXTENSION hypopg: it takes locks that another session's DDL may hold. */
export interface HypopgLimits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

export const HYPOPG_LIMITS: HypopgLimits = { statementTimeoutMs: 10_000, lockTimeoutMs: 2_000 };

/** SQLSTATEs of a bounded wait that ran out: 57014 query_canceled (statement_timeout), 55P03 lock_not_available (lock_timeout). */
const TIMED_OUT = new Set(['57014', '55P03']);

/**
 * The advisor needs hypopg in the database it advises on, and nothing else of OptiSchema's. When
 * the extension is available on the server but not created, it is created (hypopg only adds
 * functions; it changes no data), in a transaction of its own with SET LOCAL statement_timeout and
 * lock_timeout: a session whose own default has no timeout (psql's role, a pool given by a caller)
 * must not wait for ever behind another session's CREATE EXTENSION or DDL. When that is not
 * allowed, times out, or the package is missing, one error says what to do.
 */
export async function ensureHypopg(client: pg.ClientBase, limits: HypopgLimits = HYPOPG_LIMITS): Promise<void> {
  const { rows } = await client.query<{ available: boolean; installed: boolean }>(
    `select exists (select from pg_available_extensions where name = 'hypopg') as available,
            exists (select from pg_extension where extname = 'hypopg') as installed`,
  );
  if (rows[0]?.installed) return;
  const version = await client.query<{ major: string }>(`select current_setting('server_version_num')::int / 10000 as major`);
  if (!rows[0]?.available) {
    throw new UserError(`hypopg is not installed on the server: install postgresql-${version.rows[0]?.major}-hypopg (Debian/Ubuntu), then run CREATE EXTENSION hypopg;`);
  }
  try {
    await client.query('begin');
    await client.query(`select set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)`, [
      `${Math.round(limits.statementTimeoutMs)}ms`,
      `${Math.round(limits.lockTimeoutMs)}ms`,
    ]);
    await client.query('create extension if not exists hypopg');
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    const message = (error as Error).message;
    if (TIMED_OUT.has((error as { code?: string }).code ?? '')) {
      throw new UserError(`creating hypopg in this database timed out (${message}): another session may be creating extensions or running DDL; try again, or ask an owner to run CREATE EXTENSION hypopg;`, { cause: error });
    }
    throw new UserError(`hypopg is available but not created in this database, and this role may not create it (${message}): ask an owner to run CREATE EXTENSION hypopg;`, { cause: error });
  }
}
