import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Queryable } from './queryable.ts';

/** The login role the API connects as (see 0002_tenancy.sql): not a superuser, owns nothing. */
export const API_ROLE = 'optischema_api';

/**
 * The URL the API connects with. OPTISCHEMA_API_DATABASE_URL when set (teams running several
 * sidecars give the role a password of their own); otherwise this sidecar gives the role a fresh
 * random password at start and keeps it in memory only.
 */
export async function apiDatabaseUrl(systemDb: Queryable, systemUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.OPTISCHEMA_API_DATABASE_URL) return env.OPTISCHEMA_API_DATABASE_URL;
  const password = randomBytes(24).toString('hex');
  // Send a SCRAM verifier, not the password: a server that logs DDL then logs nothing usable.
  const { rows } = await systemDb.query<{ sql: string }>(`select format('alter role %I password %L', $1::text, $2::text) as sql`, [
    API_ROLE,
    scramVerifier(password),
  ]);
  await systemDb.query(rows[0]!.sql);
  const url = new URL(systemUrl);
  url.username = API_ROLE;
  url.password = password;
  return url.toString();
}

/** A SCRAM-SHA-256 verifier as PostgreSQL stores it (RFC 5802/7677; 4096 iterations, PostgreSQL's default). */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
