import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../sidecar/net/ports.ts';
import { startCli, type RunningCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('optischema start --db', () => {
  let db: TestDatabase;
  let app: RunningCli;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = startCli(['start', '--db', db.url, '--port', String(await freePort())]);
    url = (await app.waitFor(/OptiSchema is running at/)).match(/at (http:\/\/\S+)/)![1]!;
  });
  afterAll(async () => {
    await app?.stop();
    await db?.close();
  });

  it('installs the schema and serves the status of that database without touching its data', async () => {
    const status = await (await fetch(`${url}/api/status`)).json();
    expect(status.ready).toBe(true);
    expect(status.database.embedded).toBe(false);
    expect(status.database.name).toBe(new URL(db.url).pathname.slice(1));
    expect(status.database.url).not.toContain(new URL(db.url).password);
    // No demo on a database given with --db unless asked.
    expect(status.demo).toEqual({ loaded: false, tables: [] });
    const { rows } = await db.pool.query('select count(*)::int as n from optischema.migrations');
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('serves the web app and answers unknown API routes with 404 JSON', async () => {
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');
    const missing = await fetch(`${url}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no such API route' });
  });

  it('exits 0 on SIGTERM', async () => {
    expect(await app.stop('SIGTERM')).toBe(0);
  });
});
