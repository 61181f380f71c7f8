import type http from 'node:http';
import { z } from 'zod';
import type { Mount } from '../server/http-server.ts';
import { AuthError } from './identity.ts';
import { sendJson } from '../server/json-response.ts';
import { HttpError, clientAddressOf, readJson } from './http-io.ts';
import type { OidcFlow } from './oidc.ts';
import { RateLimitedError } from './rate-limit.ts';
import { recordFailedOidcCallback, refreshSession, signInWithOidc, signInWithPassword, signOut, type SignInSettings } from './sign-in.ts';

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'tenant must be a tenant slug (lowercase letters, digits, dashes)');
const LoginBody = z.object({
  email: z.string().trim().min(3).max(320).regex(/^[^@\s]+@[^@\s]+$/, 'email must be an email address'),
  password: z.string().min(1, 'password is required').max(1024),
  tenant: Slug.optional(),
});
const RefreshBody = z.object({ refreshToken: z.string().min(1).max(200) });

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, url: URL, clientAddress: string | null) => Promise<void>;

/**
 * The /auth/* routes. They translate HTTP to the sign-in functions and back: every answer is JSON,
 * errors are `{ "error": "one line" }` with the status the error names.
 */
export function authMount(options: { settings: SignInSettings; oidc: OidcFlow | null; trustProxy?: boolean }): Mount {
  const { settings, oidc } = options;
  const routes: Record<string, Handler> = {
    'POST /auth/login': async (request, response, _url, clientAddress) => {
      const body = await readJson(request, LoginBody);
      sendJson(response, 200, await signInWithPassword(settings, { ...body, clientAddress }));
    },
    'POST /auth/refresh': async (request, response, _url, clientAddress) => {
      const body = await readJson(request, RefreshBody);
      sendJson(response, 200, await refreshSession(settings, { ...body, clientAddress }));
    },
    'POST /auth/logout': async (request, response, _url, clientAddress) => {
      const body = await readJson(request, RefreshBody);
      await signOut(settings, { ...body, clientAddress });
      response.writeHead(204, { 'cache-control': 'no-store' }).end();
    },
    // The sign-in page asks which ways of signing in this server offers.
    'GET /auth/methods': async (_request, response) => {
      sendJson(response, 200, { password: true, oidc: oidc !== null });
    },
    'GET /auth/oidc/login': async (_request, response, url) => {
      if (!oidc) throw new HttpError(404, 'single sign-on (OIDC) is not configured on this server');
      const tenant = url.searchParams.get('tenant') ?? undefined;
      if (tenant !== undefined && !Slug.safeParse(tenant).success) throw new HttpError(400, 'tenant must be a tenant slug');
      const { location, setCookie } = await oidc.start(tenant);
      response.writeHead(302, { location: location.toString(), 'set-cookie': setCookie, 'cache-control': 'no-store' }).end();
    },
    'GET /auth/oidc/callback': async (request, response, url, clientAddress) => {
      if (!oidc) throw new HttpError(404, 'single sign-on (OIDC) is not configured on this server');
      // The browser's binding is spent whatever happens next; writeHead keeps this header on error answers too.
      response.setHeader('set-cookie', oidc.clearCookie);
      // A browser arriving from the provider is sent back to the web app with the outcome in the
      // URL's fragment: browsers never send a fragment to a server (nor in a Referer), and the app
      // removes it from the address bar at once. Other clients get JSON.
      const browser = /\btext\/html\b/.test(request.headers.accept ?? '');
      const backToApp = (fragment: string) => void response.writeHead(302, { location: `/#${fragment}`, 'cache-control': 'no-store' }).end();
      let signedIn: Awaited<ReturnType<OidcFlow['finish']>>;
      let session: Awaited<ReturnType<typeof signInWithOidc>>;
      try {
        try {
          signedIn = await oidc.finish(url.searchParams, request.headers.cookie);
        } catch (error) {
          // A callback that fails verification is a failed sign-in too, and is audited as one.
          if (error instanceof AuthError) await recordFailedOidcCallback(settings, { reason: error.message, clientAddress });
          throw error;
        }
        session = await signInWithOidc(settings, { ...signedIn, clientAddress });
      } catch (error) {
        if (browser && (error instanceof AuthError || error instanceof HttpError)) return backToApp(`sso-error=${encodeURIComponent(error.message)}`);
        throw error;
      }
      if (browser) return backToApp(`sso=${encodeURIComponent(session.accessToken)}`);
      sendJson(response, 200, session);
    },
  };

  return {
    matches: (pathname) => pathname === '/auth' || pathname.startsWith('/auth/'),
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const handler = routes[`${request.method} ${url.pathname}`];
      try {
        if (!handler) {
          const known = Object.keys(routes).some((key) => key.endsWith(` ${url.pathname}`));
          throw new HttpError(known ? 405 : 404, known ? `${request.method} is not supported here` : 'no such auth route');
        }
        await handler(request, response, url, clientAddressOf(request, options.trustProxy ?? false));
      } catch (error) {
        if (error instanceof RateLimitedError) {
          return sendJson(response, 429, { error: error.message }, { 'retry-after': String(error.retryAfterSeconds) });
        }
        if (error instanceof AuthError || error instanceof HttpError) {
          // After a 413 the rest of the body is unread; closing the connection is simpler than draining it.
          return sendJson(response, error.status, { error: error.message }, error.status === 413 ? { connection: 'close' } : {});
        }
        throw error;
      }
    },
  };
}
