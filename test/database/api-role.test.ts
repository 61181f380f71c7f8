import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { API_ROLE, apiDatabaseUrl } from '../../sidecar/database/api-role.ts';
import { runMigrations } from '../../sidecar/cli/commands/migrate.ts';
import { privateCluster } from '../support/cluster.ts';

// A cluster of its own: the API role is cluster-wide, and this test changes its password.
let server: Awaited<ReturnType<typeof privateCluster>>;
let db: { url: string; pool: pg.Pool };
beforeAll(async () => {
  server = await privateCluster();
  await runMigrations(server.url);
  db = { url: server.url, pool: new pg.Pool({ connectionString: server.url }) };
});
afterAll(async () => {
  await db.pool.end();
  await server.close();
});

it('gives the API role a fresh password and connects as a role that is neither superuser nor owner', async () => {
  const url = await apiDatabaseUrl(db.pool, db.url, {});
  expect(new URL(url).username).toBe(API_ROLE);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`
      select r.rolsuper, r.rolbypassrls,
             (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where n.nspname like 'optischema%' and c.relowner = r.oid) as owned
      from pg_roles r where r.rolname = current_user`);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
    // Without the request settings PostgreSQL sees no tenant, so no tenant-owned row is visible.
    await client.query('set role optischema_admin');
    const targets = await client.query('select count(*)::int as n from optischema_api.targets');
    expect(targets.rows[0].n).toBe(0);
  } finally {
    await client.end();
  }
  // The password was never sent as text: the server holds a SCRAM verifier.
  const stored = await db.pool.query(`select rolpassword from pg_authid where rolname = $1`, [API_ROLE]);
  expect(stored.rows[0].rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
});

it('sets a shared OPTISCHEMA_API_PASSWORD only when it does not work yet', async () => {
  const env = { OPTISCHEMA_API_PASSWORD: 'shared-password' };
  const url = await apiDatabaseUrl(db.pool, db.url, env);
  expect(new URL(url).password).toBe('shared-password');
  const before = await db.pool.query(`select rolpassword from pg_authid where rolname = $1`, [API_ROLE]);
  expect(await apiDatabaseUrl(db.pool, db.url, env)).toBe(url);
  const after = await db.pool.query(`select rolpassword from pg_authid where rolname = $1`, [API_ROLE]);
  expect(after.rows[0].rolpassword).toBe(before.rows[0].rolpassword);
});

it('connects as the API role even when the sidecar’s URL carries ?user= and ?password=', async () => {
  const system = new URL(db.url);
  const inQuery = new URL(`postgres://${system.host}${system.pathname}`);
  inQuery.searchParams.set('user', decodeURIComponent(system.username));
  inQuery.searchParams.set('password', decodeURIComponent(system.password));
  const url = await apiDatabaseUrl(db.pool, inQuery.toString(), {});
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    expect((await client.query('select current_user as who')).rows[0].who).toBe(API_ROLE);
  } finally {
    await client.end();
  }
});

it('uses OPTISCHEMA_API_DATABASE_URL as given', async () => {
  expect(await apiDatabaseUrl(db.pool, db.url, { OPTISCHEMA_API_DATABASE_URL: 'postgres://x:y@h/d' })).toBe('postgres://x:y@h/d');
});
