import type { Queryable } from '../database/queryable.ts';
import type { Identity } from '../auth/identity.ts';

export const LOCAL_TENANT_SLUG = 'local';
export const LOCAL_ADMIN_EMAIL = 'admin@localhost';

// Idempotent: creates what is missing and returns the ids either way (the no-op updates make
// RETURNING yield existing rows). Runs on the sidecar's own connection, which bypasses RLS.
const ENSURE_LOCAL_ADMIN = `
  with tenant as (
    insert into optischema.tenants (name, slug) values ('Local', $1)
    on conflict (slug) do update set slug = excluded.slug
    returning id
  ), admin as (
    insert into optischema.users (email, display_name) values ($2, 'Local admin')
    on conflict (lower(email)) do update set email = optischema.users.email
    returning id
  )
  insert into optischema.memberships (tenant_id, user_id, role)
  select tenant.id, admin.id, 'admin' from tenant, admin
  on conflict (tenant_id, user_id) do update set role = 'admin'
  returning tenant_id, user_id`;

/**
 * Slim mode (one developer, no sign-in): every request acts as the local admin of the local
 * tenant. The same tenancy rules apply as for teams, so nothing changes when sign-in is turned on.
 */
export async function ensureLocalAdmin(db: Queryable): Promise<Identity> {
  const { rows } = await db.query<{ tenant_id: string; user_id: string }>(ENSURE_LOCAL_ADMIN, [LOCAL_TENANT_SLUG, LOCAL_ADMIN_EMAIL]);
  const row = rows[0]!;
  return { tenantId: row.tenant_id, userId: row.user_id, apiKeyId: null, role: 'admin', label: LOCAL_ADMIN_EMAIL };
}
