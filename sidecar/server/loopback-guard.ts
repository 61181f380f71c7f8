import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

/**
 * Slim mode answers every request as the local admin, so listening on loopback is not enough: any
 * web page the user opens can send requests to localhost (and graphql-ws runs queries and
 * mutations over a WebSocket, which the same-origin policy does not stop), and a DNS-rebinding
 * name that points at 127.0.0.1 reaches the server with a foreign Host. This guard admits only
 * requests addressed to this machine's own app by name, and from its own pages.
 *
 * - Host must be `localhost`, `127.0.0.1`, `[::1]` (or the loopback address the server listens on)
 *   with the server's port. `*.localhost` is refused: not every resolver keeps it on loopback.
 * - Origin, when present, must be `http://` plus one of those names and the port. A request without
 *   Origin is allowed, on HTTP and on a WebSocket upgrade: browsers always send Origin on a WebSocket
 *   handshake and on cross-origin fetches, so a missing one means a program on this machine (curl,
 *   the CLI, a Node graphql-ws client), which could reach the API anyway.
 *
 * @example
 * const guard = loopbackGuard('127.0.0.1', 3000);
 * guard({ host: 'localhost:3000', origin: 'http://localhost:3000' }); // null: allowed
 * guard({ host: 'evil.example:3000' }); // 'refused: Host "evil.example:3000" …'
 */
export function loopbackGuard(listenHost: string, port: number): (headers: IncomingHttpHeaders) => string | null {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (net.isIPv4(listenHost) && listenHost.startsWith('127.')) names.add(listenHost);
  const own = `http://localhost:${port}`;
  const isOwn = (hostPort: string | undefined): boolean => {
    const match = hostPort?.toLowerCase().match(/^(localhost|\d+\.\d+\.\d+\.\d+|\[::1\])(?::(\d{1,5}))?$/);
    return !!match && names.has(match[1]!) && Number(match[2] ?? 80) === port;
  };
  return (headers) => {
    const host = headers.host;
    if (!isOwn(host)) {
      return `refused: Host "${host ?? ''}" is not this OptiSchema; slim mode answers only ${own} (start with --auth to serve other names)`;
    }
    const origin = headers.origin;
    if (origin !== undefined && !(origin.startsWith('http://') && isOwn(origin.slice('http://'.length)))) {
      return `refused: requests from pages of ${origin} are not allowed; slim mode answers only its own pages at ${own}`;
    }
    return null;
  };
}
