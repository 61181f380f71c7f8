/**
 * Loads the SaaS benchmark database (schema saas: schema.sql, data.sql, keys.sql, vacuum.sql beside
 * this module) on one session, deterministically: the same scale gives the same rows.
 */
import pg from 'pg';
import { readSqlSteps } from '../../sidecar/demo/sql-steps.ts';

/** Rows per table at scale 1: sized so that a load takes about a minute on 2 cores. */
export const SCALE_1_ROWS = {
  accounts: 2_000,
  users: 50_000,
  projects: 20_000,
  tasks: 1_000_000,
  comments: 1_500_000,
  audit_events: 1_000_000,
} as const;

export type SaasSizes = Record<keyof typeof SCALE_1_ROWS, number>;

/** The tables reported after a load, as they are named in SQL. */
const TABLES = ['saas.plans', 'saas.accounts', 'saas.users', 'saas.projects', 'saas.tasks', 'saas.comments', 'saas."AuditEvents"', 'saas.user_presence'];

export interface SaasLoad {
  sizes: SaasSizes;
  /** Exact row counts after the load, per table. */
  tables: { name: string; rows: number }[];
  /** Seconds per step, in order. */
  steps: { name: string; seconds: number }[];
  seconds: number;
}

export function saasSizes(scale: number): SaasSizes {
  // At least a few rows of each: the power-law draws need more than one account or project.
  const at = (rows: number) => Math.max(20, Math.round(rows * scale));
  return {
    accounts: at(SCALE_1_ROWS.accounts),
    users: Math.max(at(SCALE_1_ROWS.users), at(SCALE_1_ROWS.accounts)),
    projects: at(SCALE_1_ROWS.projects),
    tasks: at(SCALE_1_ROWS.tasks),
    comments: at(SCALE_1_ROWS.comments),
    audit_events: at(SCALE_1_ROWS.audit_events),
  };
}

/**
 * Drops and recreates schema saas and fills it. Then VACUUM ANALYZE, and the tables' write
 * counters are reset: the load's inserts are not the workload's writes, and the workload advisor
 * charges indexes for the writes it finds there.
 */
export async function loadSaas(client: pg.ClientBase, scale: number, progress: (message: string) => void = () => {}): Promise<SaasLoad> {
  const sizes = saasSizes(scale);
  const started = performance.now();
  const files = await Promise.all(['schema.sql', 'data.sql', 'keys.sql', 'vacuum.sql'].map((file) => readSqlSteps(new URL(`./${file}`, import.meta.url))));
  // Session settings, not a transaction: VACUUM cannot run in one, and a failed load of a
  // throwaway cluster needs no rollback.
  await client.query(
    `select set_config('synchronous_commit', 'off', false), set_config('maintenance_work_mem', '256MB', false),
            set_config('work_mem', '128MB', false)`,
  );
  for (const [name, rows] of Object.entries(sizes)) await client.query(`select set_config($1, $2, false)`, [`bench_saas.${name}`, String(rows)]);
  const steps: SaasLoad['steps'] = [];
  for (const step of files.flat()) {
    const t0 = performance.now();
    try {
      await client.query(step.sql);
    } catch (error) {
      throw new Error(`loading the SaaS database failed at step "${step.name}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const seconds = (performance.now() - t0) / 1000;
    steps.push({ name: step.name, seconds });
    progress(`${step.name}: ${seconds.toFixed(1)} s`);
  }
  await client.query(`reset synchronous_commit; reset maintenance_work_mem; reset work_mem`);
  await resetWriteCounters(client);
  const { rows } = await client.query<Record<string, string>>(`select ${TABLES.map((t, n) => `(select count(*) from ${t}) as c${n}`).join(', ')}`);
  const tables = TABLES.map((name, n) => ({ name, rows: Number(rows[0]?.[`c${n}`]) }));
  return { sizes, tables, steps, seconds: (performance.now() - started) / 1000 };
}

/**
 * Zeroes the write counters of schema saas (partitions included) and so restarts the database's
 * statistics clock (pg_stat_database.stats_reset), which the advisor divides them by. The first
 * query flushes this session's pending counts so none arrive after the reset.
 */
export async function resetWriteCounters(client: pg.ClientBase): Promise<void> {
  await client.query('select pg_stat_force_next_flush()');
  await client.query(
    `select count(pg_stat_reset_single_table_counters(c.oid))
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'saas' and c.relkind in ('r', 'p')`,
  );
}
