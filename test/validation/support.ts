import { randomBytes } from 'node:crypto';
import { runMigrations } from 'graphile-worker';
import { SecretBox } from '../../sidecar/secrets/secret-box.ts';
import type pg from 'pg';
import { storeIndexRecommendations } from '../../sidecar/advisor/store-recommendations.ts';
import type { RecommendationTaskContext } from '../../sidecar/worker/recommendations/context.ts';
import { runDueRecommendationJobs } from '../../sidecar/worker/recommendations/recommendation-tasks.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/** graphile-worker's messages stay out of the test output. */
export const quietLogger = { scope: () => quietLogger, error() {}, warn() {}, info() {}, debug() {} } as never;

/**
 * OptiSchema's own database with an application table in `public` beside it: the local target,
 * whose embedded sandbox is a pg_dump copy of everything but OptiSchema's schemas.
 */
export interface LoopDatabase {
  db: TestDatabase;
  targetId: string;
  context: RecommendationTaskContext;
  /** Runs the due recommendation jobs in this process until none is left. */
  runJobs(): Promise<void>;
  /** Other targets the test adds: target id → connection URL. */
  remoteTargets: Map<string, string>;
  /** Drops the sandbox databases the test made, then the database. */
  close(): Promise<void>;
}

export async function loopDatabase(): Promise<LoopDatabase> {
  const db = await createTestDatabase({ migrated: true });
  // graphile-worker asks for an error listener on each session of a pool it is given.
  db.pool.on('connect', (client) => client.on('error', () => undefined));
  await runMigrations({ pgPool: db.pool, logger: quietLogger });
  await db.pool.query(`
    create table public.orders (id bigint primary key, customer_id int not null, status text not null, total numeric not null);
    insert into public.orders select g, g % 5000, case when g % 10 = 0 then 'open' else 'done' end, g % 70 from generate_series(1, 200000) g;
    analyze public.orders;`);
  const targetId = (await db.pool.query<{ id: string }>('select optischema.local_target() as id')).rows[0]!.id;
  const remoteTargets = new Map<string, string>();
  const context: RecommendationTaskContext = {
    system: db.pool,
    systemUrl: db.url,
    resolveTarget: async (id) => (id === targetId ? 'local' : remoteTargets.get(id) ?? null),
    secretBox: new SecretBox(randomBytes(32)),
    validationRuns: 3,
    // A held lock fails an attempt after 1 s rather than the default 5 s.
    applyLockTimeoutMs: 1_000,
  };
  const close = async () => {
    const { rows } = await db.pool.query<{ database: string }>('select database from optischema.sandboxes where database is not null');
    for (const row of rows) await db.pool.query(`drop database if exists "${row.database}" with (force)`).catch(() => undefined);
    await db.close();
  };
  return { db, targetId, context, remoteTargets, close, runJobs: () => runDueRecommendationJobs(context, quietLogger) };
}

/** The advisor's recommendation for `customer_id = $1`, stored as the advise_query job stores it. */
export async function recommend(db: pg.Pool, targetId: string, ddl: string, query: string, values: string[]): Promise<string> {
  const index = /index\s+(?:concurrently\s+)?(\S+)/i.exec(ddl)![1]!;
  const [stored] = await storeIndexRecommendations(db, targetId, 'advise_query', [{
    sql: ddl,
    rollbackSql: `DROP INDEX CONCURRENTLY IF EXISTS public.${index}`,
    table: 'public.orders',
    costBefore: 4000,
    costAfter: 40,
    improvementPct: 99,
    sizeBytes: 4_000_000,
    rationale: 'test',
    queries: [{ queryid: '42', query, costBefore: 4000, costAfter: 40, improvementPct: 99, parameters: { source: 'statistics', typing: 'as written', sets: [{ label: 'typical', weight: 1, values }] } }],
  }]);
  return stored!.id;
}

export async function stateOf(db: pg.Pool, id: string): Promise<{ state: string; state_reason: string | null }> {
  return (await db.query('select state, state_reason from optischema.recommendations where id = $1', [id])).rows[0];
}

export async function indexesOn(db: pg.Pool, table: string): Promise<{ indexname: string; valid: boolean }[]> {
  const { rows } = await db.query(
    `select c.relname as indexname, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = $1::regclass and not i.indisprimary order by 1`,
    [table],
  );
  return rows;
}
