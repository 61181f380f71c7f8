import pg from 'pg';
import { UserError } from '../errors.ts';
import { DEMO_DATA_END, DEMO_SCHEMA, DEMO_TABLES, demoRowCounts, validateScale } from './dataset.ts';
import { readSqlSteps, type SqlStep } from './sql-steps.ts';
import { assertDemoSchemaReplaceable } from './schema-owner.ts';

export interface DemoLoadOptions {
  /** 1 is the default size (about 2 million customers); fractions give smaller sets, e.g. 0.01. */
  scale: number;
  onProgress?: (message: string) => void;
}

export interface DemoSummary {
  scale: number;
  /** Exact row counts after the load (`count(*)`), per table of schema `demo` (names unqualified). */
  tables: { name: string; rows: number }[];
  /** Wall-clock seconds of the whole load, counts included. */
  seconds: number;
}

/** Run in the load's transaction, in this order. */
const TRANSACTION_FILES = ['schema.sql', 'data.sql', 'constraints.sql'] as const;

/** DROP refused because other objects depend on the demo tables or schema. */
const DEPENDENT_OBJECTS_STILL_EXIST = '2BP01';
/** lock_timeout expired: another session holds the demo tables (a running workload, an open transaction). */
const LOCK_NOT_AVAILABLE = '55P03';
/** statement_timeout (or a cancel request) stopped a statement; large scales need long statements. */
const QUERY_CANCELED = '57014';

/**
 * Drops and recreates schema `demo` and fills it with the demo shop, deterministically: the same
 * scale gives the same rows. Refuses (UserError) when a `demo` schema exists that the loader did not
 * create. Everything up to the indexes runs in one transaction, so a failed load leaves the previous
 * state; VACUUM ANALYZE follows the commit.
 *
 * @example
 *   const summary = await loadDemo(client, { scale: 0.1, onProgress: console.log });
 *   summary.tables // [{ name: 'countries', rows: 20 }, { name: 'customers', rows: 200000 }, …]
 */
export async function loadDemo(client: pg.ClientBase, options: DemoLoadOptions): Promise<DemoSummary> {
  validateScale(options.scale);
  const counts = demoRowCounts(options.scale);
  const progress = options.onProgress ?? (() => {});
  const started = performance.now();

  const files = await Promise.all(TRANSACTION_FILES.map((file) => readSqlSteps(new URL(`./${file}`, import.meta.url))));
  const [vacuum] = await readSqlSteps(new URL('./vacuum.sql', import.meta.url));

  await client.query('begin');
  try {
    await assertDemoSchemaReplaceable(client);
    // Local to this transaction: nothing outlives the load. Bulk builds and FK checks get memory;
    // losing the last commit in a crash only loses a demo load.
    await client.query(
      `select set_config('synchronous_commit', 'off', true),
              set_config('maintenance_work_mem', '256MB', true),
              set_config('work_mem', '128MB', true),
              set_config('optischema.demo_customers', $1, true),
              set_config('optischema.demo_products', $2, true),
              set_config('optischema.demo_orders', $3, true),
              set_config('optischema.demo_events', $4, true),
              set_config('optischema.demo_end', $5, true)`,
      [String(counts.customers), String(counts.products), String(counts.orders), String(counts.events), DEMO_DATA_END],
    );
    for (const step of files.flat()) await runStep(client, step, progress);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
  if (vacuum) await runStep(client, vacuum, progress);
  await resetWriteCounters(client);

  const tables = await countRows(client);
  return { scale: options.scale, tables, seconds: (performance.now() - started) / 1000 };
}

/**
 * The load's own inserts are not the demo application's writes: left in the tables' counters they
 * would read as a heavy write load (which, for one, makes the index advisor charge every index for
 * it). The write counters of the demo tables start again from zero; pg_stat_statements is untouched.
 * The first query sends this session's pending counts to the shared statistics, so none arrive after
 * the reset.
 */
async function resetWriteCounters(client: pg.ClientBase): Promise<void> {
  await client.query('select pg_stat_force_next_flush()');
  await client.query(
    `select count(pg_stat_reset_single_table_counters(c.oid))
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'demo' and c.relkind in ('r', 'p')`,
  );
}

async function runStep(client: pg.ClientBase, step: SqlStep, progress: (message: string) => void): Promise<void> {
  const started = performance.now();
  try {
    await client.query(step.sql);
  } catch (error) {
    throw explainStepFailure(step, error);
  }
  progress(`${step.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Turns the failures a user can act on into a UserError that says what to do; wraps the rest. */
function explainStepFailure(step: SqlStep, error: unknown): Error {
  const pgError = error as Partial<pg.DatabaseError>;
  const message = error instanceof Error ? error.message : String(error);
  switch (pgError.code) {
    case DEPENDENT_OBJECTS_STILL_EXIST:
      return new UserError(
        `cannot replace schema "${DEMO_SCHEMA}": objects the demo loader did not create depend on it ` +
          `(${pgError.detail ?? message}); drop them, then load again`,
        { cause: error },
      );
    case LOCK_NOT_AVAILABLE:
      return new UserError(
        `cannot replace schema "${DEMO_SCHEMA}": another session is using its tables (${message}); ` +
          `stop it (a running demo workload?), then load again`,
        { cause: error },
      );
    case QUERY_CANCELED:
      return new UserError(
        `loading the demo dataset was cancelled at step "${step.name}" (${message}); ` +
          `the session's statement_timeout may be too short for this scale: raise it or load a smaller scale`,
        { cause: error },
      );
    default:
      return new Error(`loading the demo dataset failed at step "${step.name}": ${message}`, { cause: error });
  }
}

async function countRows(client: pg.ClientBase): Promise<DemoSummary['tables']> {
  // One round trip, one column per table; names come from the fixed DEMO_TABLES list, quoted anyway.
  const columns = DEMO_TABLES.map(
    (table, index) => `(select count(*) from ${pg.escapeIdentifier(DEMO_SCHEMA)}.${pg.escapeIdentifier(table)}) as c${index}`,
  );
  const { rows } = await client.query<Record<string, string>>(`select ${columns.join(', ')}`);
  const counts = rows[0] ?? {};
  return DEMO_TABLES.map((table, index) => ({ name: table, rows: Number(counts[`c${index}`]) }));
}
