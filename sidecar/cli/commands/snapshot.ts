import type { Command } from 'commander';
import { openPool } from '../../database/connection.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { print, printJson } from '../output.ts';

interface SnapshotRow {
  snapshot_id: string;
  statements: number;
  changed: number;
  resets: number;
  new_slow_queries: number;
  duration_ms: number;
}

export function registerSnapshot(program: Command): void {
  addDatabaseOptions(
    program.command('snapshot').description("take one snapshot of the database's query statistics (optischema.snapshot())"),
  )
    .option('--json', 'print the result as JSON')
    .action(async (options: DatabaseOptions & { json?: boolean }) => {
      const database = await openDatabase(options);
      try {
        const pool = await openPool(database.url, { max: 1 });
        const { rows } = await pool.query<SnapshotRow>('select * from optischema.snapshot()').finally(() => pool.end());
        const row = rows[0]!;
        if (options.json) return printJson(row);
        print(
          `snapshot ${row.snapshot_id}: ${row.statements} statements, ${row.changed} changed, ${row.resets} reset, ` +
            `${row.new_slow_queries} newly slow, ${Number(row.duration_ms).toFixed(1)} ms`,
        );
      } finally {
        await database.release();
      }
    });
}
