import type { Queryable } from '../database/queryable.ts';
import { AuthError, type AppRole, type Identity } from './identity.ts';
import { hashToken } from './refresh-tokens.ts';

/**
 * API keys for scripts and CI: `osk_<8 hex prefix>_<64 hex secret>`, created by the SQL function
 * optischema_api.create_api_key (shown once, stored as sha256), scoped to one tenant and role.
 */
const API_KEY_FORMAT = /^osk_[0-9a-f]{8}_[0-9a-f]{64}$/;

export function looksLikeApiKey(text: string): boolean {
  return text.startsWith('osk_');
}

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  role: AppRole;
  name: string;
  revoked: boolean;
}

/**
 * The identity of an API key, or AuthError (401). Every call reads the database, with no cache, so a
 * revoked key stops working on the very next request.
 */
export async function verifyApiKey(db: Queryable, key: string): Promise<Identity> {
  if (!API_KEY_FORMAT.test(key)) throw new AuthError('the API key is malformed; keys look like osk_xxxxxxxx_…');
  // One round trip: the lookup by the unique key_hash index, and the last-use stamp, written at most
  // once a minute per key so a busy key does not write on every request.
  const { rows } = await db.query<ApiKeyRow>(
    `with found as (
       select id, tenant_id, role, name, revoked_at is not null as revoked, last_used_at
       from optischema.api_keys where key_hash = $1
     ), touched as (
       update optischema.api_keys k set last_used_at = now()
       from found
       where k.id = found.id and not found.revoked
         and (found.last_used_at is null or found.last_used_at < now() - interval '1 minute')
     )
     select id, tenant_id, role, name, revoked from found`,
    [hashToken(key)],
  );
  const row = rows[0];
  if (!row) throw new AuthError('the API key is not valid');
  if (row.revoked) throw new AuthError('the API key has been revoked');
  return { tenantId: row.tenant_id, role: row.role, userId: null, apiKeyId: row.id, label: row.name };
}
