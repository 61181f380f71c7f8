import * as client from 'openid-client';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { AuthError } from './identity.ts';
import type { Queryable } from '../database/queryable.ts';
import { bindingCookie, bindingFromCookieHeader, bindingOf, newBrowserBinding, sha256Hex } from './oidc-browser.ts';
import { PENDING_TTL_SECONDS, savePendingLogin, takePendingLogin } from './oidc-pending.ts';
import type { OidcIdentity } from './users.ts';

/**
 * Single sign-on through any OpenID Connect provider: authorization code flow with PKCE, state and
 * nonce, verified by openid-client. The provider proves who the person is; OptiSchema decides
 * whether they may enter (users.ts: an existing, invited user).
 */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: this sidecar's /auth/oidc/callback. */
  redirectUri: string;
  /** Allows an http:// issuer. For tests and local providers only; real providers use https. */
  allowInsecureHttp?: boolean;
}

const ENV = {
  issuer: 'OPTISCHEMA_OIDC_ISSUER',
  clientId: 'OPTISCHEMA_OIDC_CLIENT_ID',
  clientSecret: 'OPTISCHEMA_OIDC_CLIENT_SECRET',
  redirectUri: 'OPTISCHEMA_OIDC_REDIRECT_URI',
} as const;

/** The OIDC configuration from the environment; null when none of the variables is set. */
export function oidcConfigFromEnv(env: NodeJS.ProcessEnv = process.env): OidcConfig | null {
  const values = Object.fromEntries(Object.entries(ENV).map(([key, name]) => [key, env[name]?.trim() || undefined]));
  if (Object.values(values).every((v) => v === undefined)) return null;
  const missing = Object.entries(ENV).filter(([key]) => values[key] === undefined).map(([, name]) => name);
  if (missing.length > 0) throw new UserError(`OIDC sign-in is half configured: set ${missing.join(', ')} as well (or none of the OPTISCHEMA_OIDC_* variables)`);
  const parsed = z.object({ issuer: z.url(), clientId: z.string(), clientSecret: z.string(), redirectUri: z.url() }).safeParse(values);
  if (!parsed.success) throw new UserError(`${ENV.issuer} and ${ENV.redirectUri} must be URLs`);
  return parsed.data;
}

export interface OidcFlow {
  /** The provider's authorization URL to redirect the browser to, and the Set-Cookie value that binds the login to this browser. */
  start(tenant: string | undefined): Promise<{ location: URL; setCookie: string }>;
  /**
   * Verifies the provider's redirect back (its query string) against the browser's Cookie header
   * and returns who signed in.
   */
  finish(query: URLSearchParams, cookieHeader: string | undefined): Promise<{ oidc: OidcIdentity; tenant: string | undefined }>;
  /** The Set-Cookie value that removes the binding: every callback answer sends it. */
  readonly clearCookie: string;
}

/**
 * Pending sign-ins live in PostgreSQL (oidc-pending.ts) for ten minutes, so any sidecar on the
 * database can finish one, and each is used at most once, by the browser that started it
 * (oidc-browser.ts).
 */
export function createOidcFlow(config: OidcConfig, db: Queryable): OidcFlow {
  let discovered: Promise<client.Configuration> | null = null;

  // Discovered on first use, and again after a failure, so a provider that was down at start-up does not disable SSO.
  const configuration = () => {
    discovered ??= client
      .discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, {
        // The ID token comes straight from the token endpoint, where the spec lets a client skip its
        // signature; checking it against the provider's JWKS anyway costs one cached fetch and also
        // covers an http:// provider, where there is no TLS to rely on.
        execute: [client.enableNonRepudiationChecks, ...(config.allowInsecureHttp ? [client.allowInsecureRequests] : [])],
      })
      .catch((error: unknown) => {
        discovered = null;
        throw withCause(new AuthError(`could not reach the identity provider at ${config.issuer}`, 502), error);
      });
    return discovered;
  };

  return {
    async start(tenant) {
      const provider = await configuration();
      const state = client.randomState();
      const browser = newBrowserBinding();
      if (!(await savePendingLogin(db, { stateHash: sha256Hex(state), browserHash: browser.hash, tenantSlug: tenant }))) {
        throw new AuthError('too many sign-ins are in progress; try again in a few minutes', 429);
      }
      const location = client.buildAuthorizationUrl(provider, {
        redirect_uri: config.redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        state,
        nonce: browser.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(browser.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { location, setCookie: bindingCookie(config.redirectUri, browser.value, PENDING_TTL_SECONDS) };
    },

    clearCookie: bindingCookie(config.redirectUri, '', 0),

    async finish(query, cookieHeader) {
      const state = query.get('state') ?? '';
      const cookie = bindingFromCookieHeader(cookieHeader);
      if (!cookie) throw new AuthError('this sign-in was not started in this browser (its sign-in cookie is missing); start again', 400);
      const browser = bindingOf(cookie);
      const entry = await takePendingLogin(db, sha256Hex(state), browser.hash);
      if (!entry) throw new AuthError('this sign-in is unknown, has expired or was started in another browser; start again', 400);
      const refusal = query.get('error');
      if (refusal) throw new AuthError(`the identity provider refused the sign-in: ${query.get('error_description') ?? refusal}`);
      const provider = await configuration();
      const callbackUrl = new URL(config.redirectUri);
      callbackUrl.search = query.toString();
      let claims: client.IDToken | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(
          provider,
          callbackUrl,
          { pkceCodeVerifier: browser.codeVerifier, expectedState: state, expectedNonce: browser.nonce, idTokenExpected: true },
          { redirect_uri: config.redirectUri },
        );
        claims = tokens.claims();
      } catch (error) {
        throw withCause(new AuthError("the identity provider's answer could not be verified; start again"), error);
      }
      if (!claims) throw new AuthError('the identity provider sent no ID token', 401);
      const email = typeof claims.email === 'string' ? claims.email : null;
      // Some providers send email_verified as the string "true".
      const emailVerified = claims.email_verified === true || claims.email_verified === 'true';
      return { oidc: { issuer: claims.iss, subject: claims.sub, email, emailVerified }, tenant: entry.tenantSlug };
    },
  };
}

// AuthError (the shared contract) takes no cause; the log still wants the provider's reason.
function withCause(error: AuthError, cause: unknown): AuthError {
  return Object.assign(error, { cause });
}
