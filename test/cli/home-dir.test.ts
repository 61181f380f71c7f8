import { readFileSync } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { INSTALL_ROOT, optischemaHome } from '../../sidecar/home-dir.ts';
import { freePort } from '../../sidecar/net/ports.ts';
import { runCli, startCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// These runs leave OPTISCHEMA_HOME unset on purpose, so they use the install root's .optischema/,
// as `npm start` and other tests started from the checkout do.
const withoutHome = { OPTISCHEMA_HOME: '', OPTISCHEMA_DATA_DIR: '' };

let db: TestDatabase;
const folders: string[] = [];
const elsewhere = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'optischema-cwd-'));
  folders.push(dir);
  return dir;
};
const exists = (file: string) => access(file).then(() => true, () => false);

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

/** Starts slim mode from `cwd`, runs one GraphQL request, stops. */
async function withAppFrom(cwd: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const app = startCli(['start', '--db', db.url, '--port', String(await freePort()), '--no-worker'], { cwd, env: withoutHome });
  try {
    const url = (await app.waitFor(/OptiSchema is running at/)).match(/at (http:\/\/\S+)/)![1]!;
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return await response.json();
  } finally {
    await app.stop();
  }
}

it('is .optischema/ in the install root (the folder of package.json) unless OPTISCHEMA_HOME says otherwise', () => {
  expect(optischemaHome({})).toBe(path.join(INSTALL_ROOT, '.optischema'));
  expect(JSON.parse(readFileSync(path.join(INSTALL_ROOT, 'package.json'), 'utf8')).name).toBe('optischema');
  expect(optischemaHome({ OPTISCHEMA_HOME: '/srv/optischema' })).toBe('/srv/optischema');
});

it('puts the embedded cluster in the same folder whichever directory the command runs from', async () => {
  for (const cwd of [await elsewhere(), await elsewhere()]) {
    const status = await runCli(['db', 'status', '--json'], { cwd, env: withoutHome });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).dataDir).toBe(path.join(INSTALL_ROOT, '.optischema', 'pg'));
  }
});

it('opens a secret stored by a start from one folder after a start from another', async () => {
  const [first, second] = [await elsewhere(), await elsewhere()];
  const created = await withAppFrom(
    first,
    'mutation($url: String!) { createTarget(input: { name: "home-dir test", connectionString: $url }) { targetId } }',
    { url: db.url },
  );
  expect(created.errors).toBeUndefined();
  const checked = await withAppFrom(
    second,
    'mutation($id: UUID!) { testTargetConnection(input: { targetId: $id }) { reachable error } }',
    { id: created.data.createTarget.targetId },
  );
  expect(checked.data.testTargetConnection).toEqual({ reachable: true, error: null });
  // Neither start made keys of its own where it ran.
  expect(await exists(path.join(first, '.optischema'))).toBe(false);
  expect(await exists(path.join(second, '.optischema'))).toBe(false);
  expect(await exists(path.join(INSTALL_ROOT, '.optischema', 'secret.key'))).toBe(true);
});
