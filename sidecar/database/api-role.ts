import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Queryable } from './queryable.ts';

/** The login role the API connects as (see 0002_tenancy.sql): not a superuser, owns nothing. */
export const API_ROLE = 'optischema_api';

/**
 * The URL the API connects with:
 * - OPTISCHEMA_API_DATABASE_URL, as given;
 * - else OPTISCHEMA_API_PASSWORD, shared by every sidecar on the database: set on the role only
 *   when it does not already work (so sidecars starting together do not fight over it);
 * - else a fresh random password, set at each start and kept in memory only (one sidecar).
 */
export async function apiDatabaseUrl(systemDb: Queryable, systemUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.OPTISCHEMA_API_DATABASE_URL) return env.OPTISCHEMA_API_DATABASE_URL;
  const shared = env.OPTISCHEMA_API_PASSWORD;
  const password = shared || randomBytes(24).toString('hex');
  const url = new URL(systemUrl);
  url.username = API_ROLE;
  url.password = password;
  // node-postgres lets ?user= and ?password= win over the user part: left in, the API would log in
  // as the sidecar's own (superuser or BYPASSRLS) role.
  for (const name of [...url.searchParams.keys()]) if (['user', 'password'].includes(name)) url.searchParams.delete(name);
  if (shared && (await canConnect(url.toString()))) return url.toString();
  // Send a SCRAM verifier, not the password: a server that logs DDL then logs nothing usable.
  const { rows } = await systemDb.query<{ sql: string }>(`select format('alter role %I password %L', $1::text, $2::text) as sql`, [
    API_ROLE,
    scramVerifier(password),
  ]);
  await systemDb.query(rows[0]!.sql);
  return url.toString();
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A SCRAM-SHA-256 verifier as PostgreSQL stores it (RFC 5802/7677; 4096 iterations, PostgreSQL's default). */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
