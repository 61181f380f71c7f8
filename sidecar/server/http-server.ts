import http from 'node:http';
import { existsSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { AuthError } from '../auth/identity.ts';
import { UserError } from '../errors.ts';
import { sendJson } from './json-response.ts';
import { loopbackGuard } from './loopback-guard.ts';
import { foreignOrigin, setCommonSecurityHeaders, setWebAppSecurityHeaders } from './security-headers.ts';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** The built web app (ui/dist). */
  uiDir: string;
  /** JSON GET routes under /api/: each returns the body, or throws AuthError for 401/403. */
  api: Record<string, ApiRoute>;
  /** Other parts served on the same port (the GraphQL API, the auth routes), tried in order. */
  mounts?: Mount[];
  /**
   * Slim mode: refuse (403) every request and WebSocket upgrade whose Host is not a loopback name
   * with this port, or whose Origin is not one of this app's own (see loopback-guard.ts).
   */
  loopbackOnly?: boolean;
  /** Other origins whose pages may open the API's WebSocket (sign-in mode; default none). */
  allowedOrigins?: readonly string[];
}

export type ApiRoute = (request: http.IncomingMessage) => Promise<unknown>;

/** A part of OptiSchema that answers some paths (and, optionally, WebSocket upgrades) of the server. */
export interface Mount {
  matches(pathname: string): boolean;
  handle(request: http.IncomingMessage, response: http.ServerResponse): void | Promise<void>;
  /** Takes a WebSocket upgrade for these paths; returns false to leave it. */
  upgrade?(request: http.IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * One HTTP server for the web app and its API. Routes only translate: every answer comes from a
 * function the caller hands in.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const app = existsSync(options.uiDir) ? sirv(options.uiDir, { single: true, etag: true }) : null;
  // Set once listening: the guard needs the port the server got (0 means "any free one").
  let refusal: (headers: http.IncomingHttpHeaders) => string | null = () => null;
  const server = http.createServer((request, response) => {
    setCommonSecurityHeaders(response);
    const refused = refusal(request.headers);
    if (refused) return void response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`${refused}\n`);
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const mount = options.mounts?.find((m) => m.matches(pathname));
    if (mount) {
      return void Promise.resolve(mount.handle(request, response)).catch((error: unknown) => {
        console.error(error);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}');
      });
    }
    if (pathname.startsWith('/api/')) return void serveApi(options.api[pathname.slice(5)], request, response);
    if (app) {
      setWebAppSecurityHeaders(response);
      return app(request, response);
    }
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The web app is not built: run `npm run build`.\n');
  });
  server.on('upgrade', (request, socket: Duplex, head) => {
    // Refused here, before graphql-ws sees the socket.
    // Slim mode's guard has judged the Origin already (any loopback name of this port is its own).
    const refused = refusal(request.headers) ?? (options.loopbackOnly ? null : foreignOrigin(request.headers, options.allowedOrigins ?? []));
    if (refused) return void refuseUpgrade(socket, refused);
    if (!options.mounts?.some((m) => m.upgrade?.(request, socket, head))) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError(`port ${options.port} on ${options.host} is in use by another program; choose another with --port`)
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  if (options.loopbackOnly) refusal = loopbackGuard(options.host, port);
  const shownHost = options.host === '127.0.0.1' || options.host === '::1' ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serveApi(
  handler: ApiRoute | undefined,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  const send = (status: number, body: unknown) => sendJson(response, status, body);
  if (!handler) return send(404, { error: 'no such API route' });
  if (request.method !== 'GET') return send(405, { error: 'only GET is supported here' });
  try {
    send(200, await handler(request));
  } catch (error) {
    if (error instanceof AuthError) return send(error.status, { error: error.message });
    // The page shows this line; details stay in the server's log.
    send(500, { error: error instanceof UserError ? error.message : 'the server could not answer; see its log' });
    if (!(error instanceof UserError)) console.error(error);
  }
}

function refuseUpgrade(socket: Duplex, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
