import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations, type Migration } from '../../sidecar/database/migrations.ts';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database.ts';

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'optischema-migrations-'));
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

describe('migrations', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.close();
  });

  it("applies the project's migrations once and records each with its checksum", async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    const first = await withClient(db.url, (client) => migrate(client, migrations));
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const second = await withClient(db.url, (client) => migrate(client, migrations));
    expect(second.applied).toEqual([]);
    const { rows } = await db.pool.query('select name, checksum from optischema.migrations order by id');
    expect(rows).toEqual(migrations.map((m) => ({ name: m.name, checksum: m.checksum })));
    const extensions = await db.pool.query(`select extname from pg_extension where extname in ('pg_stat_statements', 'hypopg') order by 1`);
    expect(extensions.rows.map((r) => r.extname)).toEqual(['hypopg', 'pg_stat_statements']);
  });

  it('refuses an applied migration whose file was edited', async () => {
    const original = await readMigrations(await migrationsDir({ '0001_a.sql': 'create table a (id int);' }));
    await withClient(db.url, (client) => migrate(client, original));
    const edited = await readMigrations(await migrationsDir({ '0001_a.sql': 'create table a (id bigint);' }));
    await expect(withClient(db.url, (client) => migrate(client, edited))).rejects.toThrow(/0001_a\.sql was edited after it was applied/);
  });

  it('refuses a database migrated by a newer version', async () => {
    const two = await readMigrations(await migrationsDir({ '0001_a.sql': 'select 1;', '0002_b.sql': 'select 2;' }));
    await withClient(db.url, (client) => migrate(client, two));
    await expect(withClient(db.url, (client) => migrate(client, two.slice(0, 1)))).rejects.toThrow(/0002_b\.sql, which this OptiSchema does not have/);
  });

  it('rolls a failing migration back whole and keeps the ones before it', async () => {
    const migrations = await readMigrations(
      await migrationsDir({
        '0001_ok.sql': 'create table kept (id int);',
        '0002_broken.sql': 'create table half (id int);\nselect no_such_function();',
      }),
    );
    await expect(withClient(db.url, (client) => migrate(client, migrations))).rejects.toThrow(/0002_broken\.sql failed and was rolled back/);
    const { rows } = await db.pool.query(`select to_regclass('kept') is not null as kept, to_regclass('half') is not null as half`);
    expect(rows[0]).toEqual({ kept: true, half: false });
    const ledger = await db.pool.query('select name from optischema.migrations');
    expect(ledger.rows.map((r) => r.name)).toEqual(['0001_ok.sql']);
  });

  it('serializes concurrent runners on the advisory lock', async () => {
    const migrations: Migration[] = await readMigrations(
      await migrationsDir({ '0001_slow.sql': 'select pg_sleep(0.5);\ncreate table once (id int);' }),
    );
    const results = await Promise.all([1, 2, 3].map(() => withClient(db.url, (client) => migrate(client, migrations))));
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, 1]);
    const { rows } = await db.pool.query('select count(*)::int as n from optischema.migrations');
    expect(rows[0].n).toBe(1);
  });

  it('rejects misnamed and gapped migration files before touching a database', async () => {
    await expect(readMigrations(await migrationsDir({ '1_a.sql': '' }))).rejects.toThrow(/not named NNNN_lower_snake_name\.sql/);
    await expect(readMigrations(await migrationsDir({ '0001_a.sql': '', '0003_c.sql': '' }))).rejects.toThrow(/should be number 0002/);
  });
});
