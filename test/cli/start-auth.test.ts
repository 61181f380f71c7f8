import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../sidecar/embedded/run-command.ts';
import { freePort } from '../../sidecar/net/ports.ts';
import { launchBrowser } from '../support/browser.ts';
import { BIN, runCli, startCli, type RunningCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const graphql = (url: string, query: string, token?: string) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });

describe('optischema start --auth: sign-in in front of the API and the status page', () => {
  let db: TestDatabase;
  let app: RunningCli;
  let url: string;
  let keysDir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    keysDir = await mkdtemp(path.join(os.tmpdir(), 'optischema-keys-'));
    // The schema must exist before users can be added.
    const migrated = await runCli(['migrate', '--db', db.url]);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/^applied 0001_optischema_schema\.sql$/m);
    // No plv8 on these servers: the engine stays in the sidecar, and migrate says so.
    expect(migrated.stdout).toMatch(/^plv8 engine not installed: plv8 is not available on this server/m);
    expect((await runCli(['tenant', 'add', '--name', 'Team', '--slug', 'team', '--db', db.url])).code).toBe(0);
    const added = await runCommand(
      process.execPath,
      [BIN, 'user', 'add', '--email', 'lead@example.com', '--tenant', 'team', '--role', 'admin', '--password-stdin', '--db', db.url],
      { input: 'correct horse battery\n', env: { ...process.env, DATABASE_URL: '' } },
    );
    expect(added.code).toBe(0);
    app = startCli(['start', '--auth', '--db', db.url, '--port', String(await freePort())], { env: { OPTISCHEMA_HOME: keysDir } });
    url = (await app.waitFor(/OptiSchema is running at/)).match(/at (http:\/\/\S+)/)![1]!;
  });
  afterAll(async () => {
    await app?.stop();
    await db?.close();
  });

  it('answers 401 without credentials, on the status route and the API', async () => {
    const status = await fetch(`${url}/api/status`);
    expect(status.status).toBe(401);
    expect((await graphql(url, '{ allTenants { nodes { slug } } }')).status).toBe(401);
  });

  it('lets a signed-in admin read its tenant and the status', async () => {
    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'lead@example.com', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const tenants = await (await graphql(url, '{ allTenants { nodes { slug } } }', accessToken)).json();
    expect(tenants).toEqual({ data: { allTenants: { nodes: [{ slug: 'team' }] } } });
    const status = await fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(status.status).toBe(200);
    expect((await status.json()).ready).toBe(true);
  });

  it('shows the sign-in form in the browser, then the status once signed in', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.getByLabel('Email').fill('lead@example.com');
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/./);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByTestId('session').textContent()).toBe('lead@example.com · admin');
      await page.getByRole('link', { name: 'Set-up' }).click();
      await expect.poll(() => page.getByTestId('ready').textContent()).toBe('yes');
    } finally {
      await browser.close();
    }
  });

  it('keeps its generated keys in OPTISCHEMA_HOME, mode 0600', async () => {
    const { stat } = await import('node:fs/promises');
    for (const file of ['secret.key', 'token.key']) {
      expect((await stat(path.join(keysDir, file))).mode & 0o777).toBe(0o600);
    }
  });
});

describe('optischema start in slim mode', () => {
  let db: TestDatabase;
  let app: RunningCli;
  let url: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    const home = await mkdtemp(path.join(os.tmpdir(), 'optischema-slim-'));
    app = startCli(['start', '--db', db.url, '--port', String(await freePort())], { env: { OPTISCHEMA_HOME: home } });
    url = (await app.waitFor(/OptiSchema is running at/)).match(/at (http:\/\/\S+)/)![1]!;
  });
  afterAll(async () => {
    await app?.stop();
    await db?.close();
  });

  it('answers every request as the local admin of the local tenant, without credentials', async () => {
    const response = await graphql(url, '{ allTenants { nodes { slug } } allApiKeys { totalCount } }');
    expect(await response.json()).toEqual({ data: { allTenants: { nodes: [{ slug: 'local' }] }, allApiKeys: { totalCount: 0 } } });
  });

  it("tests its own database's connection like any other database's", async () => {
    const targets = (await (await graphql(url, '{ allTargets { nodes { rowId } } }')).json()) as { data: { allTargets: { nodes: { rowId: string }[] } } };
    const local = targets.data.allTargets.nodes[0]!.rowId;
    const tested = await graphql(url, `mutation { testTargetConnection(input: { targetId: "${local}" }) { reachable error } }`);
    expect(await tested.json()).toEqual({ data: { testTargetConnection: { reachable: true, error: null } } });
  });

  it('collects its own database on the worker schedule from the start', async () => {
    const snapshots = () =>
      db.pool.query(`select count(*)::int as n from optischema.snapshots s join optischema.targets t on t.id = s.target_id where t.secret_ref = 'local'`);
    await expect.poll(async () => (await snapshots()).rows[0].n, { timeout: 20_000, interval: 500 }).toBeGreaterThanOrEqual(1);
  });
});
