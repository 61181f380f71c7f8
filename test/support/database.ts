import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The password of the API login role on the shared test cluster (set by the global set-up). */
export const API_ROLE_TEST_PASSWORD = process.env.OPTISCHEMA_API_PASSWORD ?? 'optischema-api-test-password';

export interface TestDatabase {
  url: string;
  /** The same database as the API login role optischema_api (not superuser, owns nothing). */
  apiUrl: string;
  /** Superuser pool on the new database. */
  pool: pg.Pool;
  /** Ends the pool and drops the database. */
  close(): Promise<void>;
}

/**
 * A fresh database on the shared throwaway cluster. `migrated: true` clones the template that has
 * OptiSchema's migrations applied (fast: a file copy); otherwise the database is empty.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const clusterUrl = inject('clusterUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated ? 'optischema_template' : 'template1';
  await withClient(clusterUrl, (admin) => admin.query(`create database ${name} template ${template}`));
  const url = databaseUrl(clusterUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  const apiUrl = new URL(url);
  apiUrl.username = 'optischema_api';
  apiUrl.password = API_ROLE_TEST_PASSWORD;
  return {
    url,
    apiUrl: apiUrl.toString(),
    pool,
    close: async () => {
      await pool.end();
      await withClient(clusterUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

export function databaseUrl(clusterUrl: string, database: string): string {
  const url = new URL(clusterUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `action` on one fresh connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}
