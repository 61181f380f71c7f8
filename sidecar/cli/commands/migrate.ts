import type { Command } from 'commander';
import { openPool } from '../../database/connection.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { print } from '../output.ts';

export function registerMigrate(program: Command): void {
  addDatabaseOptions(program.command('migrate').description("install or upgrade OptiSchema's schema in the database")).action(
    async (options: DatabaseOptions) => {
      const database = await openDatabase(options);
      try {
        const result = await runMigrations(database.url);
        for (const name of result.applied) print(`applied ${name}`);
        print(result.applied.length === 0 ? `schema is up to date (migration ${result.current})` : `schema is at migration ${result.current}`);
        print(result.plv8.installed ? 'plv8 engine installed: the advisor also runs inside PostgreSQL' : `plv8 engine not installed: ${result.plv8.reason}`);
      } finally {
        await database.release();
      }
    },
  );
}

/**
 * Applies pending migrations on a dedicated connection (the migration lock belongs to it), then
 * installs the plv8 build of the advisor engine where the server has plv8.
 */
export async function runMigrations(url: string) {
  const pool = await openPool(url, { max: 1, statementTimeoutMs: 10 * 60_000 });
  const client = await pool.connect();
  try {
    const [{ installPlv8Engine }, { migrate, readMigrations }] = await Promise.all([import('../../advisor/install-plv8.ts'), import('../../database/migrations.ts')]);
    const result = await migrate(client, await readMigrations());
    return { ...result, plv8: await installPlv8Engine(client) };
  } finally {
    client.release();
    await pool.end();
  }
}
