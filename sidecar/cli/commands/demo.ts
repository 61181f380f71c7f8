import { Option, type Command } from 'commander';
import { openPool } from '../../database/connection.ts';
import { DEFAULT_SCALE } from '../../demo/dataset.ts';
import { UsageError } from '../../errors.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { note, print } from '../output.ts';

export function registerDemo(program: Command): void {
  const demo = program.command('demo').description('the demo e-commerce database (schema "demo") and its workload');

  addDatabaseOptions(demo.command('load').description('create (or re-create) the demo dataset in schema "demo"'))
    .addOption(new Option('--scale <n>', 'dataset size; 1 is the default size, 0.01 a tiny one').argParser(positiveNumber('--scale')).default(DEFAULT_SCALE))
    .action(async (options: DatabaseOptions & { scale: number }) => {
      const database = await openDatabase(options);
      try {
        const summary = await loadDemoInto(database.url, options.scale);
        for (const table of summary.tables) print(`demo.${table.name}: ${table.rows} rows`);
        print(`loaded scale ${summary.scale} in ${summary.seconds.toFixed(1)} s`);
      } finally {
        await database.release();
      }
    });

  addDatabaseOptions(demo.command('workload').description("run the demo application's queries so pg_stat_statements fills"))
    .addOption(new Option('--seconds <n>', 'how long to run').argParser(positiveNumber('--seconds')).default(30))
    .addOption(new Option('--concurrency <n>', 'parallel sessions').argParser(positiveInteger('--concurrency')).default(2))
    .action(async (options: DatabaseOptions & { seconds: number; concurrency: number }) => {
      const database = await openDatabase(options);
      const pool = await openPool(database.url, { max: options.concurrency, applicationName: 'optischema-demo-workload' });
      const stop = new AbortController();
      const interrupt = () => stop.abort();
      process.once('SIGINT', interrupt);
      try {
        const { runWorkload } = await import('../../demo/workload.ts');
        const summary = await runWorkload(pool, { seconds: options.seconds, concurrency: options.concurrency, onProgress: note, signal: stop.signal });
        for (const statement of summary.statements) {
          print(`${statement.kind.padEnd(28)} ${String(statement.calls).padStart(7)} calls${statement.errors ? `, ${statement.errors} errors` : ''}`);
        }
        print(`ran for ${summary.seconds.toFixed(1)} s`);
      } finally {
        process.off('SIGINT', interrupt);
        await pool.end();
        await database.release();
      }
    });
}

/** Loads the demo on one dedicated session (the generator seeds random() per session). */
export async function loadDemoInto(url: string, scale: number) {
  // Loading is a long, trusted write: a generous statement timeout instead of the usual one.
  const pool = await openPool(url, { max: 1, statementTimeoutMs: 30 * 60_000, applicationName: 'optischema-demo-load' });
  const client = await pool.connect();
  try {
    const { loadDemo } = await import('../../demo/load.ts');
    return await loadDemo(client, { scale, onProgress: note });
  } finally {
    client.release();
    await pool.end();
  }
}

function positiveInteger(flag: string) {
  return (value: string): number => {
    const number = positiveNumber(flag)(value);
    if (!Number.isInteger(number)) throw new UsageError(`${flag} must be a whole number, not "${value}"`);
    return number;
  };
}

function positiveNumber(flag: string) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) throw new UsageError(`${flag} must be a positive number, not "${value}"`);
    return number;
  };
}
