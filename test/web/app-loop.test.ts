import path from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHealth } from '../../sidecar/health/run-health.ts';
import { storeHealthReport } from '../../sidecar/health/store-findings.ts';
import { freePort } from '../../sidecar/net/ports.ts';
import { launchBrowser } from '../support/browser.ts';
import { runCli, startCli, type RunningCli } from '../support/cli.ts';
import { tempHome } from '../support/cluster.ts';
import { accessibilityProblems, screenshot, watchProblems } from '../support/page-checks.ts';

const VERDICTS = ['validated', 'rejected', 'inconclusive'];

/**
 * The promise of the web app, in a real browser against `optischema start` on the demo with the
 * loop left to the user (--demo-policy manual): see a slow query, open its recommendation,
 * validate it, apply it, see the realized gain, roll it back. Every wait is on what the page
 * shows; the page is never reloaded to see a state change (the API's subscription brings it).
 */
describe('the web app on the demo, from a slow query to a measured, rolled-back index', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  let app: RunningCli;
  let url: string;
  let browser: Browser;
  let context: BrowserContext;
  let problems: string[];
  let page: Page;
  const visited: { name: string; path: string }[] = [];
  const dataDir = () => path.join(home.dir, 'pg');

  beforeAll(async () => {
    home = await tempHome();
    app = startCli(['start', '--data-dir', dataDir(), '--port', String(await freePort()), '--demo-scale', '0.01', '--demo-policy', 'manual']);
    url = (await app.waitFor(/OptiSchema is running at/)).match(/at (http:\/\/\S+)/)![1]!;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    problems = await watchProblems(context);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await runCli(['db', 'stop', '--data-dir', dataDir()]);
    await home?.remove();
  });

  const state = () => page.getByTestId('recommendation-state').textContent();

  it('shows slow queries and their recommendations as the collector finds them', async () => {
    await page.goto(url);
    await expect.poll(() => page.getByTestId('slow-queries').locator('li').count(), { timeout: 240_000, interval: 1000 }).toBeGreaterThan(0);
    visited.push({ name: 'overview', path: '/' });
    const slow = page.getByTestId('slow-queries').locator('a').first();
    await slow.click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Statement -?\d+$/);
    visited.push({ name: 'query', path: new URL(page.url()).pathname });
    await page.getByRole('link', { name: 'Recommendations' }).click();
    await expect.poll(() => page.getByTestId('recommendation-row').count(), { timeout: 240_000, interval: 1000 }).toBeGreaterThan(0);
    visited.push({ name: 'recommendations', path: '/recommendations' });
  }, 400_000);

  let recommendation = '';
  it('validates recommendations on the sandbox until one is validated, following each verdict live', async () => {
    await page.goto(`${url}/recommendations?state=proposed`);
    await expect.poll(() => page.getByTestId('recommendation-row').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const links = await page.getByTestId('recommendation-row').locator('a').evaluateAll((as) => [...new Set(as.map((a) => (a as HTMLAnchorElement).pathname))]);
    const verdicts: string[] = [];
    for (const link of links.filter((l) => /^\/recommendations\/[0-9a-f-]{36}$/.test(l))) {
      await page.goto(`${url}${link}`);
      await expect.poll(state).toBe('proposed');
      await page.getByRole('button', { name: 'Validate', exact: true }).click();
      await page.getByRole('button', { name: 'Confirm validate' }).click();
      await expect.poll(state, { timeout: 240_000, interval: 500 }).toMatch(new RegExp(`^(${VERDICTS.join('|')})$`));
      verdicts.push(`${link}: ${await state()}`);
      if ((await state()) === 'validated') {
        recommendation = link;
        break;
      }
    }
    expect(recommendation, `no recommendation validated: ${verdicts.join('; ')}`).not.toBe('');
    visited.push({ name: 'recommendation', path: recommendation });
  }, 900_000);

  it('applies the validated index and shows its realized gain on the applied changes', async () => {
    await page.goto(`${url}${recommendation}`);
    await page.getByRole('button', { name: 'Apply now' }).click();
    await page.getByRole('button', { name: 'Confirm apply' }).click();
    await expect.poll(state, { timeout: 120_000, interval: 500 }).toBe('applied');
    await page.getByRole('link', { name: 'Applied changes' }).click();
    const row = page.getByRole('row').filter({ has: page.locator(`a[href="${recommendation}"]`) });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    // Measured once enough calls ran after the apply, from the collector's own snapshots.
    await expect.poll(() => row.getByTestId('realized').textContent(), { timeout: 420_000, interval: 1000 }).toMatch(/-?\d+(\.\d)? %/);
    visited.push({ name: 'changes', path: '/changes' });
  }, 600_000);

  it('rolls the index back', async () => {
    await page.goto(`${url}${recommendation}`);
    await page.getByRole('button', { name: 'Roll back' }).click();
    await page.getByRole('button', { name: 'Confirm rollback' }).click();
    await expect.poll(state, { timeout: 120_000, interval: 500 }).toBe('rolled back');
  }, 180_000);

  it('shows what the health check finds on the demo beside the index recommendations', async () => {
    // The daily health_check job's own steps, run now on the app's database.
    const dbUrl = (await runCli(['db', 'url', '--data-dir', dataDir()])).stdout.trim();
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      const targetId = (await client.query<{ id: string }>('select optischema.local_target() as id')).rows[0]!.id;
      const report = await runHealth(client, { store: { db: client, targetId }, memoryBytes: 4 * 1024 ** 3 });
      await storeHealthReport(client, targetId, report);
    } finally {
      await client.end();
    }
    await page.goto(`${url}/recommendations?kind=setting`);
    const rows = page.getByTestId('recommendation-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await rows.filter({ hasText: 'shared_buffers' }).getByRole('link').first().click();
    await expect.poll(() => page.getByTestId('needs-restart').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('recommendation-advisor').textContent()).toMatch(/Settings/);
    visited.push({ name: 'health-recommendations', path: '/recommendations?kind=setting' }, { name: 'health-recommendation', path: new URL(page.url()).pathname });
  }, 120_000);

  it('passes axe-core on every page, wide and narrow, and never breaks its security policy', async () => {
    visited.push({ name: 'audit', path: '/audit' }, { name: 'settings', path: '/settings' }, { name: 'setup', path: '/setup' });
    const found: string[] = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const { name, path: pagePath } of visited) {
        await page.goto(`${url}${pagePath}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        // What the page loads first is on screen (no "Loading…" left).
        await expect.poll(() => page.getByText(/^Loading /).count(), { timeout: 30_000 }).toBe(0);
        for (const problem of await accessibilityProblems(page)) found.push(`${name} at ${width} px: ${problem}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 1) found.push(`${name} at ${width} px: the page scrolls sideways by ${overflow} px`);
        await screenshot(page, `${name}-${width}`);
      }
    }
    // Dark theme too: the toggle, then one page checked again.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(url);
    await page.getByRole('button', { name: /Switch to the dark theme/ }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    for (const problem of await accessibilityProblems(page)) found.push(`overview, dark: ${problem}`);
    await screenshot(page, 'overview-dark-1280');
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  }, 300_000);
});
