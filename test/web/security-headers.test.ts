import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningServer } from '../../sidecar/server/http-server.ts';
import { createApiDatabase, startApi, IDENTITY_HEADER, type ApiDatabase, type RunningApi } from '../api/support.ts';

describe('the web app is served with security headers', () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'optischema-ui-'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
    server = await startHttpServer({ host: '127.0.0.1', port: 0, uiDir: dir, api: { status: async () => ({ ok: true }) } });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the pages a policy that admits only their own scripts, styles and sockets, and no framing', async () => {
    for (const page of ['/', '/recommendations/abc']) {
      const response = await fetch(`${server.url}${page}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-(inline|eval)/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('sends nosniff and no referrer on the API too', async () => {
    const response = await fetch(`${server.url}/api/status`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe("the API's WebSocket with sign-in", () => {
  let db: ApiDatabase;
  let api: RunningApi;

  beforeAll(async () => {
    db = await createApiDatabase();
    api = await startApi(db);
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  /** The handshake's outcome: 'open', or the HTTP status it was refused with. */
  function handshake(headers: Record<string, string>): Promise<'open' | number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${api.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { headers });
      socket.on('open', () => {
        socket.close();
        resolve('open');
      });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('error', reject);
    });
  }

  it("refuses a page of another origin, even one holding a token, and admits the server's own pages", async () => {
    const identity = JSON.stringify({ tenantId: '00000000-0000-0000-0000-000000000000', userId: null, role: 'viewer' });
    expect(await handshake({ origin: 'http://evil.example', [IDENTITY_HEADER]: identity })).toBe(403);
    expect(await handshake({ origin: api.url })).toBe('open');
    // A program (no Origin) is not a page: the API's own authentication decides.
    expect(await handshake({})).toBe('open');
  });
});
