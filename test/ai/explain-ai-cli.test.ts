import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { answer, startFakeLlm, type FakeLlmServer } from '../support/fake-llm/fake-llm-server.ts';

/** `optischema explain-ai` as a user runs it: against a database, with and without a model. */
describe('optischema explain-ai', () => {
  let db: TestDatabase;
  let sandbox: TestDatabase;
  let server: FakeLlmServer;
  const SCHEMA = `
    create table public.tickets (id int primary key, owner int not null, title text not null);
    create table public.owners (id int primary key, name text not null);
    insert into public.owners select g, 'o' || g from generate_series(1, 500) g;
    insert into public.tickets select g, (g % 600) + 1, 't' || g from generate_series(1, 30000) g;
    analyze;`;
  const query = 'select o.id from public.owners o where o.id not in (select owner from public.tickets)';
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    sandbox = await createTestDatabase({ migrated: true });
    await db.pool.query(SCHEMA);
    await sandbox.pool.query(SCHEMA);
    server = await startFakeLlm();
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
    await sandbox?.close();
  });

  it('in deterministic mode prints the rewriter\'s proposal verified on the sandbox, and says AI is off', async () => {
    const result = await runCli(['explain-ai', '--db', db.url, '--sandbox', sandbox.url, '--query', query, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ status: 'deterministic', provider: null });
    const rewrite = report.proposals.find((p: { rule?: string }) => p.rule === 'not-in-to-not-exists');
    expect(rewrite.verification.cases.every((c: { same: boolean }) => c.same)).toBe(true);
    expect(['verified', 'rejected']).toContain(rewrite.verification.state);
  });

  it('with a model from the environment prints its explanation and each proposal\'s verification', async () => {
    server.reply({ content: answer({ explanation: 'Owners are checked against every ticket.', indexes: [{ sql: 'create index on public.tickets (owner)', reason: 'the subquery' }] }) });
    const env = { OPTISCHEMA_AI_PROVIDER: 'openai', OPTISCHEMA_AI_MODEL: 'fake', OPTISCHEMA_AI_BASE_URL: `${server.url}/v1`, OPTISCHEMA_AI_API_KEY: 'sk-cli-secret' };
    const result = await runCli(['explain-ai', '--db', db.url, '--query', query], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Owners are checked against every ticket.');
    expect(result.stdout).toMatch(/\[(verified|rejected)\] index \(model\)/);
    expect(result.stdout).toMatch(/\[unverified suggestion\] rewrite \(rewriter: not-in-to-not-exists\)/);
    expect(result.stdout + result.stderr).not.toContain('sk-cli-secret');
    expect(server.requests).toHaveLength(1);
  });

  it('refuses to run without a statement', async () => {
    const result = await runCli(['explain-ai', '--db', db.url, '--query', ' ']);
    expect(result.code).toBe(2);
  });
});
