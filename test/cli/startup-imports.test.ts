import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { stripTypeScriptTypes } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../sidecar/embedded/run-command.ts';
import { BIN } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const TRACE = fileURLToPath(new URL('../support/module-trace.ts', import.meta.url));
/** What only `start` (the server, the API, the job queue) and sign-in need. */
const SERVER_PACKAGES = ['postgraphile', 'grafast', 'grafserv', 'graphile-worker', 'graphql', 'openid-client', '@node-rs/argon2', 'jose'];

/**
 * Commands load only what they use (sidecar/cli/): `--help` and `advise` answer without loading
 * the HTTP server's packages. Checked by tracing every module the real command resolves.
 */
describe('what a command loads', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    dir = await mkdtemp(join(tmpdir(), 'optischema-trace-'));
    await db.pool.query(`
      create table public.items (id int primary key, owner_id int not null, note text not null);
      insert into public.items select g, g % 5000, 'n' from generate_series(1, 50000) g;
      analyze public.items;`);
  });
  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const traced = async (name: string, args: string[]) => {
    const file = join(dir, `${name}.txt`);
    const result = await runCommand(process.execPath, ['--import', TRACE, BIN, ...args], { env: { ...process.env, DATABASE_URL: '', OPTISCHEMA_MODULE_TRACE: file } });
    const modules = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    const packages = new Set(modules.flatMap((url) => [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]!)));
    return { result, modules, packages };
  };

  it('--help lists every command without loading the server', async () => {
    const { result, packages } = await traced('help', ['--help']);
    expect(result.code).toBe(0);
    for (const command of ['start', 'advise', 'migrate', 'demo', 'doctor', 'user']) expect(result.stdout).toContain(command);
    expect(packages.has('commander')).toBe(true);
    for (const name of SERVER_PACKAGES) expect(packages.has(name), name).toBe(false);
  });

  it('advise --query answers without loading the server', async () => {
    const { result, packages } = await traced('advise', ['advise', '--db', db.url, '--json', '--query', 'select id, note from items where owner_id = 42']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { results: { recommendations: { sql: string }[] }[] };
    expect(report.results[0]!.recommendations[0]!.sql).toBe('CREATE INDEX CONCURRENTLY items_owner_id_idx ON public.items (owner_id)');
    expect(packages.has('pg')).toBe(true);
    for (const name of SERVER_PACKAGES) expect(packages.has(name), name).toBe(false);
  });

  it("keeps each module's stripped text by its source's hash, exactly what Node's stripping gives", async () => {
    const result = await runCommand(process.execPath, [BIN, '--help'], { env: { ...process.env, DATABASE_URL: '' } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const main = fileURLToPath(new URL('../../sidecar/cli/main.ts', import.meta.url));
    const source = await readFile(main, 'utf8');
    const hash = createHash('sha256').update(process.version).update('\0').update(source).digest('hex');
    const cached = await readFile(fileURLToPath(new URL(`../../node_modules/.cache/optischema-stripped/${hash}.js`, import.meta.url)), 'utf8');
    expect(cached).toBe(stripTypeScriptTypes(source, { mode: 'strip', sourceUrl: pathToFileURL(main).href }));
  });
});

