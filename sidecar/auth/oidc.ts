import * as client from 'openid-client';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { AuthError } from './identity.ts';
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

interface Pending {
  codeVerifier: string;
  nonce: string;
  tenant: string | undefined;
  expiresAt: number;
}

const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

export interface OidcFlow {
  /** The provider's authorization URL to redirect the browser to. */
  start(tenant: string | undefined): Promise<URL>;
  /** Verifies the provider's redirect back (its query string) and returns who signed in. */
  finish(query: URLSearchParams): Promise<{ oidc: OidcIdentity; tenant: string | undefined }>;
}

/**
 * Pending sign-ins (state → PKCE verifier, nonce, tenant) live in this process's memory for ten
 * minutes and are used at most once: a callback must reach the sidecar that started it.
 */
export function createOidcFlow(config: OidcConfig, options: { now?: () => number } = {}): OidcFlow {
  const now = options.now ?? Date.now;
  const pending = new Map<string, Pending>();
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
      for (const [state, entry] of pending) if (entry.expiresAt <= now()) pending.delete(state);
      if (pending.size >= MAX_PENDING) throw new AuthError('too many sign-ins are in progress; try again in a few minutes', 429);
      const state = client.randomState();
      const entry: Pending = { codeVerifier: client.randomPKCECodeVerifier(), nonce: client.randomNonce(), tenant, expiresAt: now() + PENDING_TTL_MS };
      pending.set(state, entry);
      return client.buildAuthorizationUrl(provider, {
        redirect_uri: config.redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        state,
        nonce: entry.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(entry.codeVerifier),
        code_challenge_method: 'S256',
      });
    },

    async finish(query) {
      const state = query.get('state') ?? '';
      const entry = pending.get(state);
      pending.delete(state);
      if (!entry || entry.expiresAt <= now()) throw new AuthError('this sign-in is unknown or has expired; start again', 400);
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
          { pkceCodeVerifier: entry.codeVerifier, expectedState: state, expectedNonce: entry.nonce, idTokenExpected: true },
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
      return { oidc: { issuer: claims.iss, subject: claims.sub, email, emailVerified }, tenant: entry.tenant };
    },
  };
}

// AuthError (the shared contract) takes no cause; the log still wants the provider's reason.
function withCause(error: AuthError, cause: unknown): AuthError {
  return Object.assign(error, { cause });
}
