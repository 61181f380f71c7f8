import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../sidecar/auth/passwords.ts';
import { runCommand } from '../../sidecar/embedded/run-command.ts';
import { BIN, runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
});
afterAll(() => db.close());

const withPassword = (args: string[], password: string) =>
  runCommand(process.execPath, [BIN, ...args], { input: password, env: { ...process.env, DATABASE_URL: '' } });

describe('optischema tenant add / user add', () => {
  it('creates a tenant and a local user whose password comes from stdin', async () => {
    const tenant = await runCli(['tenant', 'add', '--name', 'Acme', '--slug', 'acme', '--db', db.url]);
    expect(tenant.stderr).toBe('');
    expect(tenant.code).toBe(0);
    expect(tenant.stdout).toMatch(/^added tenant acme \([0-9a-f-]{36}\)\n$/);

    const added = await withPassword(
      ['user', 'add', '--email', 'Ada@Example.com', '--tenant', 'acme', '--role', 'admin', '--password-stdin', '--db', db.url],
      's3cret-passphrase\n',
    );
    expect(added.stderr).toBe('');
    expect(added.stdout).toBe('added Ada@Example.com to acme as admin\n');
    const { rows } = await db.pool.query(
      `select u.password_hash, m.role from optischema.users u join optischema.memberships m on m.user_id = u.id where lower(u.email) = 'ada@example.com'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].role).toBe('admin');
    // The trailing newline from the pipe is not part of the password.
    expect(await verifyPassword(rows[0].password_hash, 's3cret-passphrase')).toBe(true);

    const again = await runCli(['user', 'add', '--email', 'ada@example.com', '--tenant', 'acme', '--role', 'viewer', '--db', db.url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('optischema: Ada@Example.com is already a member of acme\n');
  });

  it('invites a user without a password (OIDC only) and refuses bad input', async () => {
    await runCli(['tenant', 'add', '--name', 'Beta', '--slug', 'beta', '--db', db.url]);
    const invited = await runCli(['user', 'add', '--email', 'bob@example.com', '--tenant', 'beta', '--role', 'viewer', '--db', db.url]);
    expect(invited.stdout).toBe('added bob@example.com to beta as viewer (OIDC sign-in only)\n');
    const { rows } = await db.pool.query(`select password_hash from optischema.users where email = 'bob@example.com'`);
    expect(rows[0].password_hash).toBeNull();

    const badRole = await runCli(['user', 'add', '--email', 'c@example.com', '--tenant', 'beta', '--role', 'owner', '--db', db.url]);
    expect(badRole.code).toBe(2);
    const noTenant = await runCli(['user', 'add', '--email', 'c@example.com', '--tenant', 'nope', '--role', 'viewer', '--db', db.url]);
    expect(noTenant.code).toBe(1);
    expect(noTenant.stderr).toMatch(/no tenant "nope"/);
    const short = await withPassword(['user', 'add', '--email', 'c@example.com', '--tenant', 'beta', '--role', 'viewer', '--password-stdin', '--db', db.url], 'short');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 8 characters/);
    const badSlug = await runCli(['tenant', 'add', '--name', 'X', '--slug', 'Not A Slug', '--db', db.url]);
    expect(badSlug.code).toBe(2);
  });
});
