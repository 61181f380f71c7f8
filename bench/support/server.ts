import type pg from 'pg';

/** One line naming the server and the settings a collector benchmark depends on. */
export async function describeServer(db: pg.ClientBase): Promise<string> {
  const { rows } = await db.query<Record<string, string>>(
    `select current_setting('server_version') as version,
            current_setting('shared_buffers') as shared_buffers,
            current_setting('pg_stat_statements.max') as pss_max,
            current_setting('pg_stat_statements.track') as pss_track,
            current_setting('track_io_timing') as io_timing,
            current_setting('shared_preload_libraries') as preload`,
  );
  const server = rows[0] ?? {};
  return (
    `PostgreSQL ${server.version}, shared_buffers ${server.shared_buffers}, pg_stat_statements.max ${server.pss_max}, ` +
    `pg_stat_statements.track ${server.pss_track}, track_io_timing ${server.io_timing}, preload ${server.preload}`
  );
}

/** The URL of another database on the same server. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
