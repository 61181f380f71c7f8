import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Queryable } from '../database/queryable.ts';

/** The generated functions (scripts/build-plv8.ts writes it; `npm run build:plv8`). */
export const ENGINE_SQL_FILE = fileURLToPath(new URL('../../sql/plv8/engine.sql', import.meta.url));

export type Plv8InstallResult =
  | { installed: true }
  | { installed: false; reason: string };

/** SQLSTATE 42501: the role may not create the extension (e.g. not rds_superuser / azure_pg_admin). */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Installs the advisor engine's plv8 functions (optischema.engine_…) when the server can: plv8
 * listed in pg_available_extensions. Otherwise the advisor runs in the sidecar only, which is not
 * an error: the result says why nothing was installed. Expects the optischema schema (migrations).
 *
 * `create extension` and the generated file go in one simple-protocol query (the file holds
 * several statements, which is also why this does not go through an engine host): PostgreSQL runs
 * a multi-statement simple query as one implicit transaction, so it installs everything or nothing
 * (unless the caller already has a transaction open, which then decides).
 *
 * @example
 *   const result = await installPlv8Engine(client); // { installed: false, reason: 'plv8 is not available …' }
 */
export async function installPlv8Engine(client: Queryable, engineSql?: string): Promise<Plv8InstallResult> {
  const { rows } = await client.query<{ available: boolean }>(
    `select exists (select from pg_available_extensions where name = $1) as available`,
    ['plv8'],
  );
  if (rows[0]?.available !== true) {
    return {
      installed: false,
      reason: 'plv8 is not available on this server (not in pg_available_extensions): the advisor runs in the sidecar only',
    };
  }
  const sql = engineSql ?? (await readFile(ENGINE_SQL_FILE, 'utf8'));
  try {
    await client.query(`create extension if not exists plv8;\n${sql}`);
  } catch (error) {
    if ((error as { code?: unknown }).code === INSUFFICIENT_PRIVILEGE) {
      return {
        installed: false,
        reason: `plv8 is available but this role may not install it or the engine functions (${(error as Error).message}): ask an administrator to run "create extension plv8", then migrate again`,
      };
    }
    throw new Error(`installing the plv8 advisor engine failed: ${(error as Error).message}`, { cause: error });
  }
  return { installed: true };
}
