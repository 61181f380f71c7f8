import type pg from 'pg';

/**
 * A NOLOGIN role standing in for an application's own role: OptiSchema plans a statement with its
 * author's rights, and a superuser's writing statements cannot be planned (the analysis role only
 * reads), so tests that plan INSERT/UPDATE/DELETE give this role as the author.
 */
export const TEST_APP_ROLE = 'optischema_test_app';

/**
 * Makes role `name` (once per cluster: roles are cluster-wide, and test files race to create it)
 * and gives it every right on `schemas` of the connection's database. Returns its oid, as text, the
 * way pg_stat_statements' userid reads back.
 */
export async function appRole(db: pg.Pool | pg.ClientBase, schemas: readonly string[], name: string): Promise<string> {
  const role = `"${name.replaceAll('"', '""')}"`;
  try {
    await db.query(`create role ${role} nologin`);
  } catch (error) {
    // 42710 duplicate_object; 23505 when a concurrent create committed first.
    const code = (error as { code?: string }).code;
    if (code !== '42710' && code !== '23505') throw error;
  }
  for (const schema of schemas) {
    const s = `"${schema.replaceAll('"', '""')}"`;
    await db.query(`grant usage, create on schema ${s} to ${role};
      grant all on all tables in schema ${s} to ${role};
      grant all on all sequences in schema ${s} to ${role}`);
  }
  const { rows } = await db.query<{ oid: string }>(`select oid::text as oid from pg_roles where rolname = $1`, [name]);
  return rows[0]!.oid;
}

/** The tests' application role, with every right on `schema`. */
export function testAppRole(pool: pg.Pool, schema = 'public'): Promise<string> {
  return appRole(pool, [schema], TEST_APP_ROLE);
}
