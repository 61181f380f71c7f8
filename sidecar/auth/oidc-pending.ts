import type { Queryable } from '../database/queryable.ts';

/**
 * OIDC logins in progress, in optischema.oidc_pending_logins (migration 0012), so a login started
 * on one sidecar can finish on any other sharing the database. Rows hold hashes only.
 */
export const PENDING_TTL_SECONDS = 10 * 60;
// Starting a login needs no account, so the table is capped: a flood of starts cannot grow it without bound.
const MAX_PENDING = 10_000;

/**
 * Records a login; false when too many are in progress. Expired rows are swept in the same
 * statement (a bounded batch, skipping rows a callback is taking).
 */
export async function savePendingLogin(
  db: Queryable,
  login: { stateHash: string; browserHash: string; tenantSlug: string | undefined },
): Promise<boolean> {
  const { rows } = await db.query(
    `with swept as (
       delete from optischema.oidc_pending_logins
       where state_hash in (select state_hash from optischema.oidc_pending_logins where expires_at <= now() limit 1000 for update skip locked)
     )
     insert into optischema.oidc_pending_logins (state_hash, browser_hash, tenant_slug, expires_at)
     select $1, $2, $3, now() + $4 * interval '1 second'
     where (select count(*) from (select from optischema.oidc_pending_logins where expires_at > now() limit $5) live) < $5
     returning state_hash`,
    [login.stateHash, login.browserHash, login.tenantSlug ?? null, PENDING_TTL_SECONDS, MAX_PENDING],
  );
  return rows.length === 1;
}

/**
 * Takes the login that this state and this browser started, at most once: the delete is the
 * check, so two callbacks racing with the same state cannot both get it. A wrong browser deletes
 * nothing, so someone holding a leaked callback URL cannot spoil the real user's login either.
 */
export async function takePendingLogin(db: Queryable, stateHash: string, browserHash: string): Promise<{ tenantSlug: string | undefined } | null> {
  const { rows } = await db.query<{ tenant_slug: string | null }>(
    `delete from optischema.oidc_pending_logins
     where state_hash = $1 and browser_hash = $2 and expires_at > now()
     returning tenant_slug`,
    [stateHash, browserHash],
  );
  const [row] = rows;
  return row ? { tenantSlug: row.tenant_slug ?? undefined } : null;
}
