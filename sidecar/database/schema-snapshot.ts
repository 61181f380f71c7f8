import { findPgBinaries, program } from '../embedded/binaries.ts';
import { runCommand } from '../embedded/run-command.ts';

/**
 * The installed `optischema` schema as `pg_dump --schema-only` prints it, without the lines that
 * change from machine to machine (versions, SET commands), so `sql/schema.sql` shows schema changes
 * in review and a test notices when it is stale.
 */
export async function dumpSchema(url: string): Promise<string> {
  const binaries = await findPgBinaries();
  const result = await runCommand(program(binaries, 'pg_dump'), [
    '--schema-only',
    '--schema=optischema',
    '--schema=optischema_api',
    '--no-owner',
    '--no-privileges',
    '--dbname',
    url,
  ]);
  if (result.code !== 0) throw new Error(`pg_dump failed: ${result.stderr.trim()}`);
  return normalizeDump(result.stdout);
}

export function normalizeDump(dump: string): string {
  const kept = dump
    .split('\n')
    .filter((line) => !/^-- Dumped (from|by) /.test(line))
    .filter((line) => !/^SET |^SELECT pg_catalog\.set_config/.test(line))
    // pg_dump 17 adds \restrict lines with a random key.
    .filter((line) => !/^\\(un)?restrict /.test(line));
  return `${kept.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
