import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { tempHome } from '../support/cluster.ts';
import { withClient } from '../support/database.ts';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  return withClient(url, async (client) => (await client.query<T>(sql)).rows);
}

describe('optischema db: the embedded cluster', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  let dataDir: string;
  const db = (...args: string[]) => runCli(['db', ...args, '--data-dir', dataDir]);

  beforeAll(async () => {
    home = await tempHome();
    dataDir = path.join(home.dir, 'pg');
  });
  afterAll(async () => {
    await db('stop');
    await home.remove();
  });

  it('is not set up before the first start', async () => {
    const status = await db('status', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'not-initialized', url: null });
    const url = await db('url');
    expect(url.code).toBe(1);
    expect(url.stderr).toMatch(/^optischema: no embedded cluster in .* yet; run: optischema db start\n$/);
  });

  it('sets up a loopback-only, password-protected cluster with the statistics libraries preloaded', async () => {
    const start = await db('start');
    expect(start.code).toBe(0);
    expect(start.stderr).toMatch(/Embedded PostgreSQL is running: postgres:\/\/optischema:\*\*\*@127\.0\.0\.1:\d+\/optischema/);
    const passwordFile = `${dataDir}.password`;
    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
    const url = (await db('url')).stdout.trim();
    const password = (await readFile(passwordFile, 'utf8')).trim();
    expect(new URL(url).password).toBe(password);
    const [settings] = await query<{ listen: string; preload: string; track: string; auth: string }>(
      url,
      `select current_setting('listen_addresses') as listen, current_setting('shared_preload_libraries') as preload,
              current_setting('pg_stat_statements.track') as track, current_setting('password_encryption') as auth`,
    );
    expect(settings).toEqual({ listen: '127.0.0.1', preload: 'pg_stat_statements,pg_qualstats', track: 'all', auth: 'scram-sha-256' });
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    await expect(query(wrong.toString(), 'select 1')).rejects.toThrow(/password authentication failed/);
  });

  it('reuses a running cluster on a second start', async () => {
    const before = (await db('url')).stdout;
    const again = await db('start');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already running/);
    expect((await db('url')).stdout).toBe(before);
  });

  it('recovers a crashed cluster on the next start, keeping committed data', async () => {
    const url = (await db('url')).stdout.trim();
    await query(url, 'create table survivor (id int); insert into survivor values (42)');
    const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await expect.poll(async () => JSON.parse((await db('status', '--json')).stdout).state, { timeout: 10_000 }).toBe('stopped');
    const restart = await db('start');
    expect(restart.code).toBe(0);
    expect(await query<{ id: number }>(url, 'select id from survivor')).toEqual([{ id: 42 }]);
  });

  it('stops, and says so when there is nothing to stop', async () => {
    const stop = await db('stop');
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain('Embedded PostgreSQL stopped');
    expect(JSON.parse((await db('status', '--json')).stdout).state).toBe('stopped');
    expect((await db('stop')).stderr).toContain('was not running');
  });
});
