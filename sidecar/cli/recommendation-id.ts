import type pg from 'pg';
import { UserError } from '../errors.ts';

/**
 * A recommendation's id from what a user typed: the whole UUID, or a unique prefix of it of at
 * least 4 characters (the listing shows 8), as git takes commit ids.
 */
export async function resolveRecommendationId(pool: pg.Pool, given: string): Promise<string> {
  const text = given.trim().toLowerCase();
  if (!/^[0-9a-f-]{4,36}$/.test(text)) throw new UserError(`${given} is not a recommendation id (a UUID, or its first characters as \`optischema recommendations\` shows them)`);
  const { rows } = await pool.query<{ id: string }>(
    `select id::text from optischema.recommendations where id::text like $1 || '%' order by id limit 2`,
    [text],
  );
  if (rows.length === 0) throw new UserError(`no recommendation ${given}; \`optischema recommendations\` lists them`);
  if (rows.length > 1) throw new UserError(`${given} names more than one recommendation: give more of its id`);
  return rows[0]!.id;
}
