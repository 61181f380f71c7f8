import { SignJWT, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { APP_ROLES, AuthError, type AppRole } from './identity.ts';

/**
 * Short-lived access tokens: HS256 JWTs signed with a key only the sidecar holds. They name who
 * signed in and for which tenant; the role in them is informational, because the authenticator
 * re-reads the membership on every request.
 */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'optischema';
const AUDIENCE = 'optischema';
const ALGORITHM = 'HS256';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: AppRole;
}

/** The signing key: at least 32 random bytes (HS256 wants a key as long as its hash). */
export type AccessKey = Uint8Array;

/**
 * Reads a key given as text (base64 or hex), as in an environment variable.
 *
 * @example accessKeyFromText(process.env.OPTISCHEMA_ACCESS_TOKEN_KEY!)
 */
export function accessKeyFromText(text: string): AccessKey {
  const trimmed = text.trim();
  const key = /^([0-9a-f]{2})+$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length < 32) throw new UserError('the access token key must be at least 32 random bytes, as base64 or hex');
  return new Uint8Array(key);
}

export async function issueAccessToken(
  key: AccessKey,
  claims: AccessClaims,
  options: { ttlSeconds?: number; now?: Date } = {},
): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ tid: claims.tenantId, role: claims.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS))
    .sign(key);
}

const Payload = z.object({ sub: z.uuid(), tid: z.uuid(), role: z.enum(APP_ROLES as [AppRole, ...AppRole[]]) });

/**
 * Verifies a token and returns its claims, or throws AuthError (401). The algorithm is pinned to
 * HS256, so `alg: none` and tokens signed with any other algorithm or key are refused, as are
 * expired tokens and tokens for another issuer or audience.
 */
export async function verifyAccessToken(key: AccessKey, token: string, options: { now?: Date } = {}): Promise<AccessClaims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: options.now,
      requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new AuthError('the access token has expired; refresh it or sign in again');
    throw new AuthError('the access token is not valid; sign in again');
  }
  const parsed = Payload.safeParse(payload);
  if (!parsed.success) throw new AuthError('the access token is not valid; sign in again');
  return { userId: parsed.data.sub, tenantId: parsed.data.tid, role: parsed.data.role };
}
