import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { UserError } from '../errors.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../sql/migrations/', import.meta.url));

export interface Migration {
  id: number;
  /** The file name, e.g. `0001_optischema_schema.sql`. */
  name: string;
  sql: string;
  /** sha256 of the file: an applied migration whose file changed is refused. */
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  /** Id of the newest migration in the database after the run. */
  current: number;
}

// Any constant works, as long as nothing else takes this advisory lock: it serializes concurrent runners.
const LOCK_KEY = 7_021_991_337;
const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** Reads `NNNN_name.sql` files in order; ids must run 1, 2, 3… with no gap or repeat. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const [index, name] of files.entries()) {
    const match = FILE_NAME.exec(name);
    if (!match) throw new Error(`migration file ${name} is not named NNNN_lower_snake_name.sql`);
    const id = Number(match[1]);
    if (id !== index + 1) throw new Error(`migration ${name} should be number ${String(index + 1).padStart(4, '0')}: ids run 1, 2, 3… without gaps`);
    const sql = await readFile(path.join(dir, name), 'utf8');
    migrations.push({ id, name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/**
 * Applies pending migrations, each in its own transaction, recording each with its checksum.
 * Forward-only: an applied migration whose file changed, or one this code does not know, is an error.
 * Needs a dedicated client (not a pool): the advisory lock belongs to the session.
 */
export async function migrate(client: pg.ClientBase, migrations: Migration[]): Promise<MigrationResult> {
  await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await client.query(`
      create schema if not exists optischema;
      create table if not exists optischema.migrations (
        id int primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`);
    const { rows: done } = await client.query<{ id: number; name: string; checksum: string }>(
      'select id, name, checksum from optischema.migrations order by id',
    );
    checkHistory(done, migrations);
    const applied: string[] = [];
    for (const migration of migrations.slice(done.length)) {
      await applyOne(client, migration);
      applied.push(migration.name);
    }
    return { applied, current: migrations.length };
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
  }
}

function checkHistory(done: { id: number; name: string; checksum: string }[], migrations: Migration[]): void {
  for (const record of done) {
    const known = migrations[record.id - 1];
    if (!known) {
      throw new UserError(
        `the database has migration ${record.name}, which this OptiSchema does not have: it was migrated by a newer version; upgrade OptiSchema`,
      );
    }
    if (known.checksum !== record.checksum) {
      throw new UserError(
        `migration ${known.name} was edited after it was applied (checksum differs); migrations are forward-only: undo the edit and put the change in a new migration`,
      );
    }
  }
}

/**
 * PostgreSQL lets PUBLIC execute every new function, and only a global default (not one per schema)
 * can change that. A migration's functions must not be PUBLIC, but the installing role may be the
 * user's own application owner, whose other functions are none of OptiSchema's business: so the
 * global default is changed inside each migration's transaction only, and put back before commit
 * (0011_function_privileges.sql explains the grants; test/database/privileges.test.ts checks them).
 */
const PUBLIC_EXECUTES_NEW_FUNCTIONS = `
  select coalesce((select exists (select from pg_catalog.aclexplode(d.defaclacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE')
                     from pg_catalog.pg_default_acl d
                    where d.defaclrole = current_user::regrole and d.defaclnamespace = 0 and d.defaclobjtype = 'f'), true) as yes`;

async function applyOne(client: pg.ClientBase, migration: Migration): Promise<void> {
  await client.query('begin');
  try {
    const { rows } = await client.query<{ yes: boolean }>(PUBLIC_EXECUTES_NEW_FUNCTIONS);
    const restorePublic = rows[0]?.yes === true;
    if (restorePublic) await client.query('alter default privileges revoke execute on functions from public');
    await client.query(migration.sql);
    if (restorePublic) await client.query('alter default privileges grant execute on functions to public');
    await client.query('insert into optischema.migrations (id, name, checksum) values ($1, $2, $3)', [
      migration.id,
      migration.name,
      migration.checksum,
    ]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw new UserError(`migration ${migration.name} failed and was rolled back: ${(error as Error).message}`, { cause: error });
  }
}
