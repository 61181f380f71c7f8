import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../sidecar/net/ports.ts';
import { launchBrowser } from '../support/browser.ts';
import { startCli, type RunningCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const QUERY = JSON.stringify({ query: '{ allTenants { nodes { slug } } }' });

/** A POST to /graphql with exactly the Host and Origin given (fetch would not let us set Host). */
function post(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      },
    );
    request.on('error', reject);
    request.end(QUERY);
  });
}

/** Opens a graphql-ws socket from Node; resolves 'open' or the HTTP status and body of the refusal. */
function openSocket(port: number, origin?: string): Promise<{ open: true } | { open: false; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws', origin ? { origin } : {});
    socket.on('open', () => {
      socket.close();
      resolve({ open: true });
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ open: false, status: response.statusCode!, body }));
    });
    socket.on('error', reject);
  });
}

/**
 * What a page's `new WebSocket(url)` ends in: 'open', or 'error' when refused. A string, so it runs
 * in the page as written (this file's `WebSocket` is the Node one from 'ws').
 */
const TRY_SOCKET = `url => new Promise((resolve) => {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  socket.onopen = () => { socket.close(); resolve('open'); };
  socket.onerror = () => resolve('error');
})`;
const trySocket = (page: Page, url: string) => page.evaluate(`(${TRY_SOCKET})(${JSON.stringify(url)})`);

describe('slim mode answers only its own pages on loopback names', () => {
  let db: TestDatabase;
  let home: string;
  let app: RunningCli;
  let port: number;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    home = await mkdtemp(path.join(os.tmpdir(), 'optischema-slim-origin-'));
    port = await freePort();
    app = startCli(['start', '--db', db.url, '--port', String(port)], { cwd: home, env: { OPTISCHEMA_HOME: home } });
    url = (await app.waitFor(/OptiSchema is running at/)).match(/at (http:\/\/\S+)/)![1]!;
  });
  afterAll(async () => {
    await app?.stop();
    await db?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('answers a request without Origin (curl, the CLI) whose Host is a loopback name with its port', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const answer = await post(port, { host });
      expect(answer.status, host).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ data: { allTenants: { nodes: [{ slug: 'local' }] } } });
    }
    expect((await post(port, { host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
    expect((await post(port, { host: `localhost:${port}`, origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding) with 403 and one line saying why', async () => {
    for (const host of [`evil.example:${port}`, `localhost.evil.example:${port}`, `app.localhost:${port}`, `localhost:${port + 1}`, 'localhost']) {
      const answer = await post(port, { host });
      expect(answer.status, host).toBe(403);
      expect(answer.body).toMatch(/^refused: Host "[^"]+" is not this OptiSchema; slim mode answers only http:\/\/localhost:\d+ .*\n$/);
    }
  });

  it('refuses a request from another origin with 403, even another port on localhost', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${port + 1}`, `https://localhost:${port}`, 'null']) {
      const answer = await post(port, { host: `localhost:${port}`, origin });
      expect(answer.status, origin).toBe(403);
      expect(answer.body).toContain(`refused: requests from pages of ${origin} are not allowed`);
    }
  });

  it('refuses a WebSocket upgrade from another origin before graphql-ws sees it; its own origin and no Origin connect', async () => {
    expect(await openSocket(port, 'http://evil.example')).toEqual({
      open: false,
      status: 403,
      body: expect.stringContaining('refused: requests from pages of http://evil.example'),
    });
    expect(await openSocket(port, `http://localhost:${port}`)).toEqual({ open: true });
    expect(await openSocket(port)).toEqual({ open: true });
  });

  describe('in a browser', () => {
    let browser: Browser;
    let foreign: http.Server;
    let foreignUrl: string;

    beforeAll(async () => {
      browser = await launchBrowser();
      // Another site on this machine: same loopback name, another port, so another origin.
      foreign = http.createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>some other page</title>');
      });
      await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
      foreignUrl = `http://localhost:${(foreign.address() as { port: number }).port}/`;
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => foreign?.close(resolve));
    });

    it('a page of another origin cannot open the GraphQL socket; the app’s own page can, and still works', async () => {
      const page = await browser.newPage();
      await page.goto(foreignUrl);
      expect(await trySocket(page, `ws://localhost:${port}/graphql`)).toBe('error');

      await page.goto(new URL('/setup', url).toString());
      await expect.poll(() => page.getByTestId('ready').textContent()).toBe('yes');
      expect(await trySocket(page, `ws://localhost:${port}/graphql`)).toBe('open');
      await page.close();
    });
  });
});
