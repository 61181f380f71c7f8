import type { Queryable } from '../database/queryable.ts';

/**
 * OptiSchema's own monitoring of the database `db` is connected to, when it is installed there and
 * monitors it (the local target: the embedded demo, `optischema start` on that database): the
 * health advisors then also read its captured plans, activity samples and history. Null elsewhere,
 * including when the role may not read OptiSchema's tables.
 */
export async function localStore(db: Queryable): Promise<{ db: Queryable; targetId: string } | null> {
  try {
    const { rows } = await db.query<{ id: string }>(
      `select t.id::text from optischema.targets t where t.secret_ref = 'local'`,
    );
    return rows[0] ? { db, targetId: rows[0].id } : null;
  } catch {
    return null;
  }
}
