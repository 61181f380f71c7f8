import type { Queryable } from '../database/queryable.ts';
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken, type AccessKey } from './access-tokens.ts';
import type { AppRole } from './identity.ts';
import { REFRESH_TOKEN_TTL_SECONDS, issueRefreshToken } from './refresh-tokens.ts';

/** What a successful sign-in or refresh answers: the body of POST /auth/login. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tenant: { id: string; slug: string };
  role: AppRole;
}

export interface SessionSettings {
  db: Queryable;
  accessKey: AccessKey;
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
}

export interface SignedIn {
  userId: string;
  tenantId: string;
  tenantSlug: string;
  role: AppRole;
}

/** Issues a new access token and refresh token pair (a sign-in). */
export async function startSession(settings: SessionSettings, who: SignedIn): Promise<Session> {
  const refresh = await issueRefreshToken(settings.db, who, settings.refreshTtlSeconds ?? REFRESH_TOKEN_TTL_SECONDS);
  return sessionWith(settings, who, refresh.token);
}

/** The answer for a refresh token already issued (by rotation): a new access token beside it. */
export async function sessionWith(settings: SessionSettings, who: SignedIn, refreshToken: string): Promise<Session> {
  const expiresIn = settings.accessTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  const accessToken = await issueAccessToken(settings.accessKey, who, { ttlSeconds: expiresIn });
  return { accessToken, refreshToken, expiresIn, tenant: { id: who.tenantId, slug: who.tenantSlug }, role: who.role };
}
