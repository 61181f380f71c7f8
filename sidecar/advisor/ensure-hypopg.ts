import type pg from 'pg';
import { UserError } from '../errors.ts';

/**
 * The advisor needs hypopg in the database it advises on, and nothing else of OptiSchema's. When
 * the extension is available on the server but not created, it is created (hypopg only adds
 * functions; it changes no data). When that is not allowed or the package is missing, one error
 * says what to run.
 */
export async function ensureHypopg(client: pg.ClientBase): Promise<void> {
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
    await client.query('create extension if not exists hypopg');
  } catch (error) {
    throw new UserError(`hypopg is available but not created in this database, and this role may not create it (${(error as Error).message}): ask an owner to run CREATE EXTENSION hypopg;`);
  }
}
