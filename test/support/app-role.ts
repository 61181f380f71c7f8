import type pg from 'pg';

/**
 * A NOLOGIN role standing in for an application's own role: OptiSchema plans a statement with its
 * author's rights, and a superuser's writing statements cannot be planned (the analysis role only
 * reads), so tests that plan INSERT/UPDATE/DELETE give this role as the author.
 */
export const TEST_APP_ROLE = 'optischema_test_app';

/**
 * Makes the role (once per cluster: roles are cluster-wide, and test files race to create it) and
 * gives it every right on schema `schema` of the pool's database. Returns its oid, as text, the
 * way pg_stat_statements' userid reads back.
 */
export async function testAppRole(pool: pg.Pool, schema = 'public'): Promise<string> {
  try {
    await pool.query(`create role ${TEST_APP_ROLE} nologin`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '42710' && code !== '23505') throw error;
  }
  const s = `"${schema.replaceAll('"', '""')}"`;
  await pool.query(`grant usage, create on schema ${s} to ${TEST_APP_ROLE};
    grant all on all tables in schema ${s} to ${TEST_APP_ROLE};
    grant all on all sequences in schema ${s} to ${TEST_APP_ROLE}`);
  const { rows } = await pool.query<{ oid: string }>(`select oid::text as oid from pg_roles where rolname = $1`, [TEST_APP_ROLE]);
  return rows[0]!.oid;
}
