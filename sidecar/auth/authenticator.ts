import type { Queryable } from '../database/queryable.ts';
import { verifyAccessToken, type AccessKey } from './access-tokens.ts';
import { looksLikeApiKey, verifyApiKey } from './api-keys.ts';
import { AuthError, type Authenticator, type Identity } from './identity.ts';
import { currentMembership } from './users.ts';

type Headers = Record<string, string | string[] | undefined>;

/** The credential a request carries: `Authorization: Bearer <jwt | osk_…>` or `X-API-Key: osk_…`. */
export function credentialOf(headers: Headers): { kind: 'access-token' | 'api-key'; value: string } | null {
  const authorization = single(headers.authorization);
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new AuthError('the Authorization header must be "Bearer <token>"');
    const value = match[1]!;
    return { kind: looksLikeApiKey(value) ? 'api-key' : 'access-token', value };
  }
  const apiKey = single(headers['x-api-key']);
  if (apiKey !== undefined) return { kind: 'api-key', value: apiKey.trim() };
  return null;
}

function single(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) {
    if (value.length > 1) throw new AuthError('send one credential, not several');
    return value[0];
  }
  return value;
}

/**
 * Authenticates API requests. For a user's access token, the membership is read again on every
 * request (one primary-key lookup), so removing a member, changing a role or disabling an account
 * takes effect on the next request, not when the token expires.
 *
 * @example const auth = createAuthenticator({ db: systemPool, accessKey }); const who = await auth.authenticate(req);
 */
export function createAuthenticator(options: { db: Queryable; accessKey: AccessKey }): Authenticator {
  return {
    async authenticate(request) {
      const credential = credentialOf(request.headers);
      if (!credential) throw new AuthError('sign in first: send Authorization: Bearer <access token> or X-API-Key: <API key>');
      if (credential.kind === 'api-key') return verifyApiKey(options.db, credential.value);
      const claims = await verifyAccessToken(options.accessKey, credential.value);
      const member = await currentMembership(options.db, claims.userId, claims.tenantId);
      if (!member) throw new AuthError('you are no longer a member of this tenant', 403);
      if (member.disabled) throw new AuthError('this account is disabled', 403);
      return { tenantId: claims.tenantId, role: member.role, userId: claims.userId, apiKeyId: null, label: member.email };
    },
  };
}

/**
 * Slim mode (one local user, no sign-in): every request is this identity. Only for a sidecar that
 * listens on loopback; the integration decides when that holds.
 */
export function slimAuthenticator(identity: Identity): Authenticator {
  return { authenticate: async () => identity };
}
