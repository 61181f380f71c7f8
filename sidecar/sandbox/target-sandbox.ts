/**
 * The sandbox of a target (issue 11 §1): made by the target's strategy the first time a validation
 * needs one, kept in optischema.sandboxes and reused by every validation after it, rebuilt on
 * refresh, dropped with its target.
 *
 * Strategies (targets.sandbox_strategy):
 * - embedded (default): a database in OptiSchema's own cluster, copied from the target with
 *   pg_dump/pg_restore. For the local target (OptiSchema's own database, where the demo lives) only
 *   the application's schemas are copied, never OptiSchema's own.
 * - clone: a database on the target's own server, by CREATE DATABASE … TEMPLATE when the target has
 *   no other sessions, else by pg_dump/pg_restore; needs CREATEDB there.
 * - sample: a foreign-key-consistent sample (targets.sandbox_sample_fraction, default 10 %) in
 *   OptiSchema's own cluster; plans there may differ from production's, so validation compares them.
 * - url: a database the user gives (sealed in targets.sandbox_secret_ciphertext).
 * Whatever the strategy, the sandbox is checked to be another database than the target
 * (isolation.ts) before anything is built in it.
 */
import type pg from 'pg';
import { messageOf } from '../errors.ts';
import { findPgBinaries, type PgBinaries } from '../embedded/binaries.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { cloneByDump } from './dump-clone.ts';
import { checkSandbox, SandboxError } from './isolation.ts';
import { sampleInto } from './sample.ts';
import { databaseNameOf, databaseUrlOn, withClient } from './sandbox-database.ts';
import { cloneByTemplate, dropSandboxDatabase } from './template-clone.ts';

export type SandboxStrategy = 'embedded' | 'clone' | 'sample' | 'url';

/** OptiSchema's own schemas: never copied into a sandbox of the local target. */
export const OPTISCHEMA_SCHEMAS = ['optischema', 'optischema_api', 'graphile_worker', 'optischema_sandbox'];

export interface SandboxContext {
  /** OptiSchema's own database, as the role that installed it. */
  system: pg.Pool;
  /** Its URL: embedded and sample sandboxes are made on its server. */
  systemUrl: string;
  /** Opens the url strategy's sealed connection string and seals a clone's server URL. */
  secretBox?: SecretBox;
  binaries?: PgBinaries;
}

export interface SandboxProgress {
  phase: string;
  done: number;
  total: number;
}

export interface ReadySandbox {
  url: string;
  strategy: SandboxStrategy;
  /** The database OptiSchema made (null for url). */
  database: string | null;
  /** false: made by this call. */
  reused: boolean;
}

interface TargetRow {
  tenant_id: string;
  local: boolean;
  sandbox_strategy: SandboxStrategy;
  sandbox_sample_fraction: number;
  sandbox_secret_ciphertext: Buffer | null;
}

interface SandboxRow {
  id: string;
  strategy: SandboxStrategy;
  server: 'own' | 'target' | 'url';
  database: string | null;
  server_secret_ciphertext: Buffer | null;
  state: string;
}

/**
 * The target's sandbox, ready: the one it has (when it still answers and the strategy has not
 * changed), else a new one. `targetUrl` is the target's own connection (OptiSchema's URL for the
 * local target). Throws SandboxError with the reason when none can be made.
 *
 * @example
 *   const sandbox = await ensureSandbox(context, targetId, targetUrl, { onProgress: (p) => … });
 */
export async function ensureSandbox(
  context: SandboxContext,
  targetId: string,
  targetUrl: string,
  options: { refresh?: boolean; onProgress?: (progress: SandboxProgress) => void; signal?: AbortSignal } = {},
): Promise<ReadySandbox> {
  const target = await targetRow(context.system, targetId);
  const existing = await sandboxRow(context.system, targetId);
  if (existing && existing.state === 'ready' && existing.strategy === target.sandbox_strategy && !options.refresh) {
    const url = sandboxUrl(context, target, existing);
    if (url && (await answers(url))) {
      await withClient(targetUrl, (t) => withClient(url, (s) => checkSandbox(t, s)));
      return { url, strategy: existing.strategy, database: existing.database, reused: true };
    }
  }
  const started = performance.now();
  const server = target.sandbox_strategy === 'url' ? 'url' : target.sandbox_strategy === 'clone' ? 'target' : 'own';
  await context.system.query(
    `insert into optischema.sandboxes (tenant_id, target_id, strategy, server, state, progress, error)
     values ($1, $2, $3, $4, 'building', null, null)
     on conflict (target_id) do update set strategy = excluded.strategy, server = excluded.server, state = 'building', progress = null, error = null`,
    [target.tenant_id, targetId, target.sandbox_strategy, server],
  );
  const progress = (p: SandboxProgress) => {
    void context.system.query('update optischema.sandboxes set progress = $2 where target_id = $1', [targetId, JSON.stringify(p)]).catch(() => undefined);
    options.onProgress?.(p);
  };
  try {
    const made = await build(context, target, targetUrl, progress, options.signal);
    await withClient(targetUrl, (t) => withClient(made.url, (s) => checkSandbox(t, s)));
    const size = made.database ? await databaseSize(made.url) : null;
    await context.system.query(
      `update optischema.sandboxes set state = 'ready', database = $2, server_secret_ciphertext = $3, built_at = now(),
              build_ms = $4, size_bytes = $5, progress = null, error = null
        where target_id = $1`,
      [targetId, made.database, server === 'target' && context.secretBox ? context.secretBox.seal(targetUrl) : null, performance.now() - started, size],
    );
    // The old copy goes once the new one is ready (a refresh never leaves the target without one).
    if (existing?.database && existing.database !== made.database) await dropDatabaseOf(context, existing).catch(() => undefined);
    return { url: made.url, strategy: target.sandbox_strategy, database: made.database, reused: false };
  } catch (error) {
    const reason = `the ${target.sandbox_strategy} sandbox could not be made: ${messageOf(error)}`;
    await context.system.query(`update optischema.sandboxes set state = 'failed', error = $2, progress = null where target_id = $1`, [targetId, reason]);
    throw new SandboxError(reason, { cause: error });
  }
}

/**
 * Keeps a ready sandbox's indexes as production's after an apply or a rollback, so the next
 * validations measure against the indexes production has (a copy made before the apply lacks
 * it). `sql` is the index's plain CREATE INDEX IF NOT EXISTS or its DROP INDEX IF EXISTS. A sandbox
 * that is not ready, or a failure here, changes nothing: the next refresh copies production again.
 */
export async function followProduction(context: SandboxContext, targetId: string, sql: string): Promise<boolean> {
  const row = await sandboxRow(context.system, targetId);
  if (!row || row.state !== 'ready') return false;
  const target = await targetRow(context.system, targetId);
  const url = sandboxUrl(context, target, row);
  if (!url) return false;
  return withClient(url, async (sandbox) => (await sandbox.query(sql), true)).catch(() => false);
}

/**
 * Drops the sandbox database of a target (or of a deleted target: target_id null) and its row.
 * A url sandbox is the user's: only forgotten.
 */
export async function dropSandbox(context: SandboxContext, sandboxId: string): Promise<void> {
  const { rows } = await context.system.query<SandboxRow>('select * from optischema.sandboxes where id = $1', [sandboxId]);
  const row = rows[0];
  if (!row) return;
  await dropDatabaseOf(context, row);
  await context.system.query('delete from optischema.sandboxes where id = $1', [sandboxId]);
}

async function build(context: SandboxContext, target: TargetRow, targetUrl: string, progress: (p: SandboxProgress) => void, signal: AbortSignal | undefined): Promise<{ url: string; database: string | null }> {
  const schemas = { ...(target.local ? { excludeSchemas: OPTISCHEMA_SCHEMAS } : {}), ...(signal ? { signal } : {}) };
  switch (target.sandbox_strategy) {
    case 'url': {
      if (!target.sandbox_secret_ciphertext || !context.secretBox) throw new SandboxError('the target has the url strategy but no sandbox URL is stored for it');
      return { url: context.secretBox.open(target.sandbox_secret_ciphertext), database: null };
    }
    case 'clone': {
      const source = databaseNameOf(targetUrl);
      // A template copy needs a session on another database of that server, and none on the source.
      const quiet = await withClient(databaseUrlOn(targetUrl, 'postgres'), async (server) => {
        try {
          return await cloneByTemplate(server, source);
        } catch (error) {
          if (error instanceof SandboxError) return null;
          throw error;
        }
      }).catch(() => null);
      if (quiet) return { url: databaseUrlOn(targetUrl, quiet), database: quiet };
      const made = await cloneByDump({ sourceUrl: targetUrl, serverUrl: targetUrl, binaries: await binaries(context), keepOwners: true, ...schemas, onProgress: progress });
      return { url: databaseUrlOn(targetUrl, made.database), database: made.database };
    }
    case 'sample': {
      const made = await sampleInto({ sourceUrl: targetUrl, serverUrl: context.systemUrl, binaries: await binaries(context), fraction: target.sandbox_sample_fraction, ...schemas, onProgress: progress });
      return { url: databaseUrlOn(context.systemUrl, made.database), database: made.database };
    }
    case 'embedded': {
      // Same cluster (the local target): owners and grants exist there, so statements can still
      // be run as their authors.
      const made = await cloneByDump({ sourceUrl: targetUrl, serverUrl: context.systemUrl, binaries: await binaries(context), keepOwners: target.local, ...schemas, onProgress: progress });
      return { url: databaseUrlOn(context.systemUrl, made.database), database: made.database };
    }
  }
}

async function dropDatabaseOf(context: SandboxContext, row: SandboxRow): Promise<void> {
  if (!row.database) return;
  const serverUrl = row.server === 'target'
    ? row.server_secret_ciphertext && context.secretBox ? context.secretBox.open(row.server_secret_ciphertext) : null
    : context.systemUrl;
  if (!serverUrl) throw new SandboxError(`the server of sandbox ${row.database} is not known any more: drop it by hand`);
  await withClient(databaseUrlOn(serverUrl, 'postgres'), (server) => dropSandboxDatabase(server, row.database!));
}

function sandboxUrl(context: SandboxContext, target: TargetRow, row: SandboxRow): string | null {
  if (row.server === 'url') return target.sandbox_secret_ciphertext && context.secretBox ? context.secretBox.open(target.sandbox_secret_ciphertext) : null;
  if (!row.database) return null;
  if (row.server === 'own') return databaseUrlOn(context.systemUrl, row.database);
  return row.server_secret_ciphertext && context.secretBox ? databaseUrlOn(context.secretBox.open(row.server_secret_ciphertext), row.database) : null;
}

async function targetRow(system: pg.Pool, targetId: string): Promise<TargetRow> {
  const { rows } = await system.query<TargetRow>(
    `select tenant_id, secret_ref = 'local' as local, sandbox_strategy, sandbox_sample_fraction, sandbox_secret_ciphertext
       from optischema.targets where id = $1`,
    [targetId],
  );
  if (!rows[0]) throw new SandboxError(`no target ${targetId}`);
  return { ...rows[0], local: rows[0].local === true };
}

async function sandboxRow(system: pg.Pool, targetId: string): Promise<SandboxRow | null> {
  const { rows } = await system.query<SandboxRow>('select id, strategy, server, database, server_secret_ciphertext, state from optischema.sandboxes where target_id = $1', [targetId]);
  return rows[0] ?? null;
}

async function answers(url: string): Promise<boolean> {
  return withClient(url, async (c) => (await c.query('select 1')).rowCount === 1).catch(() => false);
}

async function databaseSize(url: string): Promise<number | null> {
  return withClient(url, async (c) => Number((await c.query<{ bytes: string }>('select pg_database_size(current_database())::text as bytes')).rows[0]!.bytes)).catch(() => null);
}

async function binaries(context: SandboxContext): Promise<PgBinaries> {
  return (context.binaries ??= await findPgBinaries());
}
