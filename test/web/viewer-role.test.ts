import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../sidecar/embedded/run-command.ts';
import { freePort } from '../../sidecar/net/ports.ts';
import { launchBrowser } from '../support/browser.ts';
import { BIN, runCli, startCli, type RunningCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const PASSWORD = 'correct horse battery';

/**
 * Roles in the web app with sign-in on: a viewer is shown no action on a validated
 * recommendation (an admin is, on the same page), and the API refuses the viewer's apply anyway.
 */
describe('the web app by role, with sign-in', () => {
  let db: TestDatabase;
  let app: RunningCli;
  let url: string;
  let browser: Browser;
  let recommendationId: string;

  const addUser = async (email: string, role: string) => {
    const added = await runCommand(process.execPath, [BIN, 'user', 'add', '--email', email, '--tenant', 'team', '--role', role, '--password-stdin', '--db', db.url], {
      input: `${PASSWORD}\n`,
      env: { ...process.env, DATABASE_URL: '' },
    });
    expect(added.code).toBe(0);
  };
  const login = async (email: string) => {
    const response = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { accessToken: string }).accessToken;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    expect((await runCli(['migrate', '--db', db.url])).code).toBe(0);
    expect((await runCli(['tenant', 'add', '--name', 'Team', '--slug', 'team', '--db', db.url])).code).toBe(0);
    await addUser('viewer@example.com', 'viewer');
    await addUser('lead@example.com', 'admin');
    const { rows: [target] } = await db.pool.query(
      `insert into optischema.targets (tenant_id, name, secret_ref) select id, 'shop', 'env:SHOP_URL' from optischema.tenants where slug = 'team' returning id, tenant_id`,
    );
    const { rows: [rec] } = await db.pool.query(
      `insert into optischema.recommendations (tenant_id, target_id, kind, title, statement, rollback_statement, rationale, state, improvement_pct)
       values ($1, $2, 'index', 'Index on public.orders (customer_id)', 'create index orders_customer_id_idx on public.orders (customer_id)',
               'drop index public.orders_customer_id_idx', 'seq scan on orders filtered by customer_id', 'validated', 87.5) returning id`,
      [target.tenant_id, target.id],
    );
    recommendationId = rec.id;
    const home = await mkdtemp(path.join(os.tmpdir(), 'optischema-roles-'));
    app = startCli(['start', '--auth', '--no-worker', '--db', db.url, '--port', String(await freePort())], { env: { OPTISCHEMA_HOME: home } });
    url = (await app.waitFor(/OptiSchema is running at/)).match(/at (http:\/\/\S+)/)![1]!;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await db?.close();
  });

  async function recommendationPageAs(email: string) {
    const page = await browser.newPage();
    await page.goto(`${url}/recommendations/${recommendationId}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('recommendation-state').textContent()).toBe('validated');
    return page;
  }

  it('shows an admin Apply now on a validated recommendation', async () => {
    const page = await recommendationPageAs('lead@example.com');
    expect(await page.getByRole('button', { name: 'Apply now' }).count()).toBe(1);
    await page.close();
  });

  it('shows a viewer the recommendation without any action', async () => {
    const page = await recommendationPageAs('viewer@example.com');
    expect(await page.getByTestId('session').textContent()).toBe('viewer@example.com · viewer');
    for (const name of ['Apply now', 'Schedule…', 'Validate', 'Dismiss…', 'Roll back']) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    await page.close();
  });

  it("refuses the viewer's apply at the API, and nothing changes", async () => {
    const token = await login('viewer@example.com');
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `mutation ($id: UUID!) { applyRecommendation(input: { recommendationId: $id }) { result { state } } }`, variables: { id: recommendationId } }),
    });
    const body = (await response.json()) as { errors?: { message: string }[] };
    expect(body.errors?.[0]?.message).toMatch(/permission denied|admin/);
    const { rows } = await db.pool.query('select state from optischema.recommendations where id = $1', [recommendationId]);
    expect(rows[0].state).toBe('validated');
  });
});
