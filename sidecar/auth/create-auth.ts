import { UserError } from '../errors.ts';
import type { Queryable } from '../database/queryable.ts';
import type { Mount } from '../server/http-server.ts';
import type { AccessKey } from './access-tokens.ts';
import { createAuthenticator } from './authenticator.ts';
import type { Authenticator } from './identity.ts';
import { createOidcFlow, type OidcConfig } from './oidc.ts';
import { LoginRateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { authMount } from './routes.ts';

export interface AuthOptions {
  /**
   * The sidecar's own pool. It must bypass row-level security (superuser or BYPASSRLS): sign-in
   * looks users up before any tenant is known, and the audit log records sign-ins of no tenant.
   */
  db: Queryable;
  /** HS256 key for access tokens, 32+ random bytes (accessKeyFromText reads one from text). */
  accessKey: AccessKey;
  /** Single sign-on; without it /auth/oidc/* answers 404. oidcConfigFromEnv reads it from the environment. */
  oidc?: OidcConfig | null;
  /** Take the client address from X-Forwarded-For's last entry (only behind a reverse proxy you run). */
  trustProxy?: boolean;
  /** Sign-in attempts per email and per address; counted in the database, so shared by every sidecar on it. */
  rateLimit?: RateLimitOptions;
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
}

/**
 * Multi-user authentication: the Authenticator the API calls for every request, and the /auth/*
 * routes to mount on the HTTP server.
 *
 * @example
 * const auth = createAuth({ db: pool, accessKey: accessKeyFromText(env.OPTISCHEMA_ACCESS_TOKEN_KEY), oidc: oidcConfigFromEnv() });
 * await startHttpServer({ ..., mounts: [auth.mount, apiMount] });
 */
export function createAuth(options: AuthOptions): { authenticator: Authenticator; mount: Mount } {
  if (options.accessKey.length < 32) throw new UserError('the access token key must be at least 32 random bytes');
  const settings = {
    db: options.db,
    accessKey: options.accessKey,
    limiter: new LoginRateLimiter(options.db, options.rateLimit),
    accessTtlSeconds: options.accessTtlSeconds,
    refreshTtlSeconds: options.refreshTtlSeconds,
  };
  return {
    authenticator: createAuthenticator(options),
    mount: authMount({ settings, oidc: options.oidc ? createOidcFlow(options.oidc, options.db) : null, trustProxy: options.trustProxy }),
  };
}
