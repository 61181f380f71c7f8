import type { Queryable } from '../database/queryable.ts';
import type { AppRole } from './identity.ts';
import { hashPassword } from './passwords.ts';

/**
 * Accounts: tenants, users and their memberships, as the sign-in paths and the CLI need them.
 * These run on the sidecar's own connection (it bypasses row-level security: a sign-in happens
 * before there is a tenant to scope to).
 */
export interface User {
  id: string;
  email: string;
  passwordHash: string | null;
  disabled: boolean;
}

export interface Membership {
  tenantId: string;
  tenantSlug: string;
  role: AppRole;
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string | null;
  disabled: boolean;
}

const USER_COLUMNS = `id, email, password_hash, disabled_at is not null as disabled`;

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, passwordHash: row.password_hash, disabled: row.disabled };
}

export async function createTenant(db: Queryable, tenant: { name: string; slug: string }): Promise<{ id: string; slug: string }> {
  const { rows } = await db.query<{ id: string; slug: string }>(
    `insert into optischema.tenants (name, slug) values ($1, $2) returning id, slug`,
    [tenant.name, tenant.slug],
  );
  return rows[0]!;
}

export async function findTenantBySlug(db: Queryable, slug: string): Promise<{ id: string; slug: string } | null> {
  const { rows } = await db.query<{ id: string; slug: string }>(`select id, slug from optischema.tenants where slug = $1`, [slug]);
  return rows[0] ?? null;
}

/** Emails compare case-insensitively (the users_email_key index is on lower(email)). */
export async function findUserByEmail(db: Queryable, email: string): Promise<User | null> {
  const { rows } = await db.query<UserRow>(`select ${USER_COLUMNS} from optischema.users where lower(email) = lower($1)`, [email]);
  return rows[0] ? toUser(rows[0]) : null;
}

/**
 * Creates a user. Without a password the user can only sign in through OIDC: this is how an admin
 * invites someone by email, and the first OIDC sign-in with that verified email links the account.
 */
export async function createUser(db: Queryable, user: { email: string; password?: string | null; displayName?: string }): Promise<User> {
  const passwordHash = user.password ? await hashPassword(user.password) : null;
  const { rows } = await db.query<UserRow>(
    `insert into optischema.users (email, display_name, password_hash) values ($1, $2, $3) returning ${USER_COLUMNS}`,
    [user.email, user.displayName ?? '', passwordHash],
  );
  return toUser(rows[0]!);
}

export async function addMembership(db: Queryable, membership: { userId: string; tenantId: string; role: AppRole }): Promise<void> {
  await db.query(`insert into optischema.memberships (tenant_id, user_id, role) values ($1, $2, $3)`, [
    membership.tenantId,
    membership.userId,
    membership.role,
  ]);
}

export async function membershipsOf(db: Queryable, userId: string): Promise<Membership[]> {
  const { rows } = await db.query<{ tenant_id: string; slug: string; role: AppRole }>(
    `select m.tenant_id, t.slug, m.role
     from optischema.memberships m join optischema.tenants t on t.id = m.tenant_id
     where m.user_id = $1 order by t.slug`,
    [userId],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, tenantSlug: r.slug, role: r.role }));
}

/** A user's current membership in one tenant with what a request needs to know; null when not a member. */
export async function currentMembership(
  db: Queryable,
  userId: string,
  tenantId: string,
): Promise<{ role: AppRole; email: string; disabled: boolean; tenantSlug: string } | null> {
  // One query on the memberships primary key and two primary-key joins: cheap enough for every request.
  const { rows } = await db.query<{ role: AppRole; email: string; disabled: boolean; slug: string }>(
    `select m.role, u.email, u.disabled_at is not null as disabled, t.slug
     from optischema.memberships m
     join optischema.users u on u.id = m.user_id
     join optischema.tenants t on t.id = m.tenant_id
     where m.tenant_id = $1 and m.user_id = $2`,
    [tenantId, userId],
  );
  const row = rows[0];
  return row ? { role: row.role, email: row.email, disabled: row.disabled, tenantSlug: row.slug } : null;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
}

/**
 * The user an OIDC sign-in belongs to: the one already linked to (issuer, subject), else the user
 * with that verified email who has no OIDC identity yet (linked now), else null. Unverified emails
 * never link: anyone can claim any address at some providers.
 */
export async function findOidcUser(db: Queryable, oidc: OidcIdentity): Promise<{ user: User; linked: boolean } | null> {
  const linked = await db.query<UserRow>(
    `select ${USER_COLUMNS} from optischema.users where oidc_issuer = $1 and oidc_subject = $2`,
    [oidc.issuer, oidc.subject],
  );
  if (linked.rows[0]) return { user: toUser(linked.rows[0]), linked: false };
  if (!oidc.email || !oidc.emailVerified) return null;
  const { rows } = await db.query<UserRow>(
    `update optischema.users set oidc_issuer = $1, oidc_subject = $2
     where lower(email) = lower($3) and oidc_issuer is null and oidc_subject is null
     returning ${USER_COLUMNS}`,
    [oidc.issuer, oidc.subject, oidc.email],
  );
  return rows[0] ? { user: toUser(rows[0]), linked: true } : null;
}
