import { createServer, connect, type Server, type Socket } from 'node:net';
import { TARGET_SETTINGS_ENV } from '../../sidecar/database/target-settings.ts';

/**
 * Targets that stop answering, on the loopback, for tests of OptiSchema's timeouts. Nothing here
 * mocks PostgreSQL: one accepts TCP and never writes a byte; the other is a real server behind a
 * proxy that goes silent once the session is open.
 */
export interface SilentTarget {
  /** A postgres:// URL that reaches it. */
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections still open (a client that gave up closes its own). */
  readonly open: number;
  /** Closes the listener and every connection still open. */
  close(): Promise<void>;
}

/** Accepts TCP connections and never answers: not the startup, not anything. */
export function neverAnswering(): Promise<SilentTarget> {
  return listen((client) => {
    client.on('error', () => undefined);
    client.resume(); // read and drop whatever the client sends
  }, (port) => `postgres://someone:never-shown@127.0.0.1:${port}/nowhere`);
}

/**
 * A proxy to a real server (`upstreamUrl`) that passes the startup and authentication through and
 * goes silent at the session's first query (a Query or Parse message from the client): from then on
 * it drops what the client sends and forwards nothing back, as a server or network that stopped
 * answering mid-session would. The connection stays open.
 */
export function silentAfterStartup(upstreamUrl: string): Promise<SilentTarget> {
  const upstream = new URL(upstreamUrl);
  return listen(
    (client) => {
      const server = connect(Number(upstream.port || 5432), upstream.hostname);
      let silent = false;
      let pending = Buffer.alloc(0);
      let startup = true; // the startup message has no type byte
      client.on('data', (chunk: Buffer) => {
        if (silent) return;
        pending = Buffer.concat([pending, chunk]);
        // Forward whole messages only, so the first query is never half sent.
        for (;;) {
          const header = startup ? 4 : 5;
          if (pending.length < header) return;
          const length = pending.readInt32BE(startup ? 0 : 1) + (startup ? 0 : 1);
          if (pending.length < length) return;
          const type = startup ? '' : String.fromCharCode(pending[0]!);
          if (type === 'Q' || type === 'P') {
            silent = true;
            pending = Buffer.alloc(0);
            return;
          }
          server.write(pending.subarray(0, length));
          pending = pending.subarray(length);
          startup = false;
        }
      });
      server.on('data', (chunk: Buffer) => {
        if (!silent) client.write(chunk);
      });
      for (const socket of [client, server]) socket.on('error', () => undefined);
      client.on('close', () => server.destroy());
      server.on('close', () => client.destroy());
    },
    (port) => {
      const url = new URL(upstreamUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
  );
}

function listen(onConnection: (socket: Socket) => void, urlFor: (port: number) => string): Promise<SilentTarget> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: urlFor(port),
        get connections() {
          return connections;
        },
        get open() {
          return sockets.size;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Sets target-settings.ts's environment variables (milliseconds) for this test process, so the
 * bounds are small enough to wait on; returns the function that puts the previous values back.
 */
export function setTargetSettingsEnv(values: Partial<Record<keyof typeof TARGET_SETTINGS_ENV, number>>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(values) as Array<[keyof typeof TARGET_SETTINGS_ENV, number]>) {
    const name = TARGET_SETTINGS_ENV[key];
    saved.set(name, process.env[name]);
    process.env[name] = String(value);
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
