import http from 'node:http';
import { existsSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { AuthError } from '../auth/identity.ts';
import { UserError } from '../errors.ts';
import { sendJson } from './json-response.ts';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** The built web app (ui/dist). */
  uiDir: string;
  /** JSON GET routes under /api/: each returns the body, or throws AuthError for 401/403. */
  api: Record<string, ApiRoute>;
  /** Other parts served on the same port (the GraphQL API, the auth routes), tried in order. */
  mounts?: Mount[];
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
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const mount = options.mounts?.find((m) => m.matches(pathname));
    if (mount) {
      return void Promise.resolve(mount.handle(request, response)).catch((error: unknown) => {
        console.error(error);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}');
      });
    }
    if (pathname.startsWith('/api/')) return void serveApi(options.api[pathname.slice(5)], request, response);
    if (app) return app(request, response);
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The web app is not built: run `npm run build`.\n');
  });
  server.on('upgrade', (request, socket, head) => {
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
