import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../sidecar/net/ports.ts';
import { launchBrowser } from '../support/browser.ts';
import { runCli, startCli, type RunningCli } from '../support/cli.ts';
import { tempHome } from '../support/cluster.ts';

describe('optischema start on the embedded cluster, seen in a browser', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  let app: RunningCli;
  let url: string;
  let browser: Browser;
  const dataDir = () => path.join(home.dir, 'pg');

  beforeAll(async () => {
    home = await tempHome();
    const port = await freePort();
    app = startCli(['start', '--data-dir', dataDir(), '--port', String(port), '--demo-scale', '0.002']);
    const line = await app.waitFor(/OptiSchema is running at/);
    url = line.match(/at (http:\/\/\S+)/)![1]!;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await runCli(['db', 'stop', '--data-dir', dataDir()]);
    await home?.remove();
  });

  it('shows the connected database, its version, extensions and the loaded demo', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/setup`);
    await expect.poll(() => page.getByTestId('server-version').textContent()).toMatch(/^PostgreSQL 1[4-7]\.\d+/);
    expect(await page.getByTestId('database-name').textContent()).toBe('optischema');
    expect(await page.getByTestId('ready').textContent()).toBe('yes');
    expect(await page.getByTestId('extension-pg_stat_statements').locator('td').nth(1).textContent()).toBe('present');
    expect(await page.getByTestId('extension-hypopg').locator('td').nth(1).textContent()).toBe('present');
    expect(await page.getByTestId('extension-plv8').locator('td').nth(1).textContent()).toBe('not available (optional)');
    const demo = await page.getByTestId('demo-tables').textContent();
    expect(demo).toContain('demo.orders');
    expect(demo).toContain('demo.customers');
    // What the loop is doing, on the overview: the embedded demo makes its sandbox by itself, and the page follows it.
    await page.getByRole('link', { name: 'Overview' }).click();
    expect(await page.getByTestId('loop-snapshot').textContent()).toMatch(/^(next snapshot in \d+ s|no snapshot scheduled)$/);
    await expect.poll(() => page.getByTestId('loop-sandbox').textContent(), { timeout: 120_000, interval: 500 }).toBe('sandbox ready (sample)');
    // The password never reaches the page.
    expect(await page.content()).not.toMatch(/optischema:[0-9a-f]{48}@/);
    await page.close();
  }, 180_000);

  it('stops the server and the cluster it started on SIGINT', async () => {
    expect(await app.stop('SIGINT')).toBe(0);
    const status = await runCli(['db', 'status', '--data-dir', dataDir(), '--json']);
    expect(JSON.parse(status.stdout).state).toBe('stopped');
  });
});
