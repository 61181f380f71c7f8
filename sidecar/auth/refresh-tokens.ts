import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../database/queryable.ts';

/**
 * Refresh tokens: opaque random strings the client trades for a new access token. Only their
 * sha256 is stored (optischema.refresh_tokens), so a copy of the table signs nobody in. Every
 * refresh rotates the token (the old one is revoked); presenting a token that was already revoked
 * means two parties hold it, so every token of that user is revoked (reuse detection).
 */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function newToken(): string {
  // 32 bytes from the OS's random source; the prefix lets secret scanners recognise a leaked token.
  return `osr_${randomBytes(32).toString('base64url')}`;
}

export interface IssuedRefreshToken {
  token: string;
  userId: string;
  tenantId: string;
}

export async function issueRefreshToken(
  db: Queryable,
  owner: { userId: string; tenantId: string },
  ttlSeconds = REFRESH_TOKEN_TTL_SECONDS,
): Promise<IssuedRefreshToken> {
  const token = newToken();
  await db.query(
    `insert into optischema.refresh_tokens (user_id, tenant_id, token_hash, expires_at)
     values ($1, $2, $3, now() + $4 * interval '1 second')`,
    [owner.userId, owner.tenantId, hashToken(token), ttlSeconds],
  );
  return { token, ...owner };
}

export type RotationResult =
  | ({ kind: 'rotated' } & IssuedRefreshToken)
  /** The token had already been rotated or revoked: all of the user's tokens are now revoked. */
  | { kind: 'reused'; userId: string; tenantId: string }
  | { kind: 'expired'; userId: string; tenantId: string }
  | { kind: 'unknown' };

/**
 * Trades a refresh token for a new one. Revoking the old token and storing the new one is one
 * statement, so two concurrent refreshes with the same token cannot both succeed: the loser sees a
 * revoked token and triggers reuse detection.
 */
export async function rotateRefreshToken(db: Queryable, token: string, ttlSeconds = REFRESH_TOKEN_TTL_SECONDS): Promise<RotationResult> {
  const next = newToken();
  const { rows } = await db.query<{ user_id: string; tenant_id: string }>(
    `with old as (
       update optischema.refresh_tokens t set revoked_at = now()
       where t.token_hash = $1 and t.revoked_at is null and t.expires_at > now()
       returning t.user_id, t.tenant_id
     )
     insert into optischema.refresh_tokens (user_id, tenant_id, token_hash, expires_at)
     select user_id, tenant_id, $2, now() + $3 * interval '1 second' from old
     returning user_id, tenant_id`,
    [hashToken(token), hashToken(next), ttlSeconds],
  );
  const rotated = rows[0];
  if (rotated) return { kind: 'rotated', token: next, userId: rotated.user_id, tenantId: rotated.tenant_id };

  const found = await db.query<{ user_id: string; tenant_id: string; revoked: boolean }>(
    `select user_id, tenant_id, revoked_at is not null as revoked from optischema.refresh_tokens where token_hash = $1`,
    [hashToken(token)],
  );
  const old = found.rows[0];
  if (!old) return { kind: 'unknown' };
  if (!old.revoked) return { kind: 'expired', userId: old.user_id, tenantId: old.tenant_id };
  await revokeAllRefreshTokens(db, old.user_id);
  return { kind: 'reused', userId: old.user_id, tenantId: old.tenant_id };
}

/** Revokes one token (sign-out). Returns its owner, or null when the token was unknown or already revoked. */
export async function revokeRefreshToken(db: Queryable, token: string): Promise<{ userId: string; tenantId: string } | null> {
  const { rows } = await db.query<{ user_id: string; tenant_id: string }>(
    `update optischema.refresh_tokens set revoked_at = now()
     where token_hash = $1 and revoked_at is null
     returning user_id, tenant_id`,
    [hashToken(token)],
  );
  return rows[0] ? { userId: rows[0].user_id, tenantId: rows[0].tenant_id } : null;
}

export async function revokeAllRefreshTokens(db: Queryable, userId: string): Promise<void> {
  await db.query(`update optischema.refresh_tokens set revoked_at = now() where user_id = $1 and revoked_at is null`, [userId]);
}

/**
 * Deletes tokens past their expiry; returns how many. Revoked tokens stay until then, because
 * reuse detection needs to recognise them. For a periodic job (the integration schedules it).
 */
export async function pruneRefreshTokens(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ deleted: number }>(
    `with gone as (delete from optischema.refresh_tokens where expires_at < now() returning 1) select count(*)::int as deleted from gone`,
  );
  return rows[0]?.deleted ?? 0;
}
