import { chown, mkdir, readdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../sidecar/net/ports.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { runCli } from '../support/cli.ts';
import { privateCluster, tempHome } from '../support/cluster.ts';

/** Every failure is one line on stderr that starts with "optischema: ". */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^optischema: /);
  expect(lines[0]).toMatch(pattern);
}

async function listen(port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('bad input gets one clear line and a non-zero exit', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
  });
  afterAll(async () => {
    await db.close();
  });
  afterEach(async () => {
    await home?.remove();
  });
  const fresh = async () => {
    home = await tempHome();
    return path.join(home.dir, 'pg');
  };

  it('an unreachable --db', async () => {
    const port = await freePort();
    const result = await runCli(['doctor', '--db', `postgres://someone:secret@127.0.0.1:${port}/nowhere`]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:\d+\/nowhere: connection refused/);
    expect(result.stderr).not.toContain('secret');
  });

  it('a --db that is not a PostgreSQL URL', async () => {
    const result = await runCli(['migrate', '--db', 'mysql://localhost/x']);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /--db must start with postgres:\/\/ or postgresql:\/\//);
  });

  it('a web port in use', async () => {
    const port = await freePort();
    const blocker = await listen(port);
    try {
      const result = await runCli(['start', '--db', db.url, '--port', String(port), '--no-demo']);
      expect(result.code).toBe(1);
      expectOneLine(result.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use by another program; choose another with --port`));
    } finally {
      blocker.close();
    }
  });

  it('an embedded-cluster port in use leaves no half-initialized cluster', async () => {
    const dataDir = await fresh();
    const port = await freePort();
    const blocker = await listen(port);
    try {
      const result = await runCli(['db', 'start', '--data-dir', dataDir, '--pg-port', String(port)]);
      expect(result.code).toBe(1);
      expectOneLine(result.stderr, new RegExp(`port ${port} is in use by another program`));
      expect(await readdir(home.dir)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('a data directory owned by another user', async () => {
    const dataDir = await fresh();
    await mkdir(dataDir);
    await writeFile(path.join(dataDir, 'PG_VERSION'), '15\n');
    await writeFile(`${dataDir}.password`, 'x\n');
    await chown(dataDir, 65534, 65534);
    const result = await runCli(['db', 'start', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /belongs to uid 65534, not to/);
    expect(await readdir(dataDir)).toEqual(['PG_VERSION']);
  });

  it('a data directory from another PostgreSQL major version', async () => {
    const server = await privateCluster();
    try {
      await server.cluster.stop();
      await writeFile(path.join(server.cluster.dataDir, 'PG_VERSION'), '14\n');
      const result = await runCli(['db', 'start', '--data-dir', server.cluster.dataDir]);
      expect(result.code).toBe(1);
      expectOneLine(result.stderr, /was created by PostgreSQL 14, but the binaries found are PostgreSQL 1[5-7]/);
    } finally {
      await server.close();
    }
  });

  it('a folder that is not a data directory', async () => {
    const dataDir = await fresh();
    await mkdir(dataDir);
    await writeFile(path.join(dataDir, 'notes.txt'), 'mine');
    const result = await runCli(['db', 'start', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /is not empty and is not a PostgreSQL data directory/);
    expect(await readdir(dataDir)).toEqual(['notes.txt']);
  });

  it.runIf(process.getuid?.() === 0)('a missing OS user for the server (as root)', async () => {
    const dataDir = await fresh();
    const result = await runCli(['db', 'start', '--data-dir', dataDir], { env: { OPTISCHEMA_PG_OS_USER: 'no_such_os_user' } });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /runs the embedded server as the OS user "no_such_os_user", which does not exist/);
    expect(await readdir(home.dir)).toEqual([]);
  });

  it('missing PostgreSQL binaries name the packages to install', async () => {
    const dataDir = await fresh();
    const result = await runCli(['db', 'start', '--data-dir', dataDir], { env: { PG_BINDIR: path.join(home.dir, 'no-bin') } });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /server binaries .* not found in PG_BINDIR=.*apt-get install postgresql-15 postgresql-15-hypopg postgresql-15-pg-qualstats/);
  });

  it('binaries without hypopg name the package and create nothing', async () => {
    const dataDir = await fresh();
    // A bin folder of real PostgreSQL programs whose pg_config points at a share folder without hypopg.
    const bin = path.join(home.dir, 'bin');
    await mkdir(bin);
    const real = '/usr/lib/postgresql/15/bin';
    const { symlink } = await import('node:fs/promises');
    for (const name of ['initdb', 'pg_ctl', 'postgres']) await symlink(path.join(real, name), path.join(bin, name));
    const share = path.join(home.dir, 'share');
    await mkdir(path.join(share, 'extension'), { recursive: true });
    await writeFile(path.join(bin, 'pg_config'), `#!/bin/sh\ncase "$1" in --sharedir) echo ${share};; --pkglibdir) echo /usr/lib/postgresql/15/lib;; esac\n`, { mode: 0o755 });
    const result = await runCli(['db', 'start', '--data-dir', dataDir], { env: { PG_BINDIR: bin } });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /lacks hypopg; install them with: sudo apt-get install postgresql-15 postgresql-15-hypopg/);
    expect(await readdir(home.dir)).toEqual(['bin', 'share']);
  });

  it('unknown options and bad numbers exit 2', async () => {
    const unknown = await runCli(['doctor', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const badNumber = await runCli(['demo', 'load', '--scale', '-3']);
    expect(badNumber.code).toBe(2);
  });

  // One test per command: each starts a Node.js process, which on a loaded machine takes seconds.
  it.each(['', 'start', 'db', 'db start', 'db stop', 'db status', 'db url', 'migrate', 'demo', 'demo load', 'demo workload', 'doctor', 'snapshot', 'advise', 'tenant add', 'user add'])(
    '--help exits 0: optischema %s',
    async (line) => {
      const help = await runCli([...line.split(' ').filter(Boolean), '--help']);
      expect(help.code, line).toBe(0);
      expect(help.stdout).toMatch(/^Usage: optischema/);
    },
  );
});

describe('slim mode (no sign-in)', () => {
  it('refuses a non-loopback address before starting anything', async () => {
    const home = await tempHome();
    try {
      const result = await runCli(['start', '--host', '0.0.0.0', '--data-dir', path.join(home.dir, 'pg')]);
      expect(result.code).toBe(1);
      expectOneLine(result.stderr, /refusing to listen on 0\.0\.0\.0 without sign-in: .* start with --auth/);
      expect(await readdir(home.dir)).toEqual([]);
    } finally {
      await home.remove();
    }
  });
});
