import type pg from 'pg';
import { ANALYSIS_ROLE } from '../../plv8/engine/guard/planners.ts';

/**
 * OptiSchema plans a superuser's statements as optischema_analysis, a NOLOGIN role that may read
 * every table (pg_read_all_data) and nothing more (docs/security.md). A session that is itself a
 * superuser (the embedded cluster, a DBA's laptop) creates that role when it is missing, so advice
 * works at once; any other session leaves roles alone, and planning refuses a superuser's
 * statements with the GRANTs to run. Roles are cluster-wide: two sessions may race to create it,
 * and the loser's "already exists" is success.
 */
export async function ensureAnalysisRole(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ exists: boolean; superuser: boolean }>(
    `select exists (select from pg_catalog.pg_roles where rolname = $1) as exists,
            (select rolsuper from pg_catalog.pg_roles where rolname = current_user) as superuser`,
    [ANALYSIS_ROLE],
  );
  if (rows[0]?.exists || !rows[0]?.superuser) return;
  try {
    await client.query(`create role ${ANALYSIS_ROLE} nologin`);
  } catch (error) {
    // 42710 duplicate_object, 23505 a concurrent create that committed first.
    const code = (error as { code?: string }).code;
    if (code !== '42710' && code !== '23505') throw error;
  }
  await client.query(`grant pg_read_all_data to ${ANALYSIS_ROLE}`);
}
