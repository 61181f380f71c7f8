import { Option, type Command } from 'commander';
import { APP_ROLES, type AppRole } from '../../auth/identity.ts';
import { openPool } from '../../database/connection.ts';
import { UsageError, UserError } from '../../errors.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { print } from '../output.ts';

/**
 * `optischema tenant add` and `optischema user add`: the first accounts of a multi-user server, and
 * invitations (a user without a password signs in through OIDC with that email).
 */
export function registerUsers(program: Command): void {
  const tenant = program.command('tenant').description('manage tenants (teams sharing OptiSchema)');
  addDatabaseOptions(
    tenant
      .command('add')
      .description('create a tenant')
      .requiredOption('--name <name>', 'display name')
      .requiredOption('--slug <slug>', 'short name used at sign-in: lowercase letters, digits, dashes'),
  ).action(async (options: DatabaseOptions & { name: string; slug: string }) => {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(options.slug)) throw new UsageError('--slug must be lowercase letters, digits and dashes (at most 63)');
    await withPool(options, async (db) => {
      const { createTenant, findTenantBySlug } = await import('../../auth/users.ts');
      if (await findTenantBySlug(db, options.slug)) throw new UserError(`a tenant with the slug "${options.slug}" already exists`);
      const created = await createTenant(db, { name: options.name, slug: options.slug });
      print(`added tenant ${created.slug} (${created.id})`);
    });
  });

  const user = program.command('user').description('manage users');
  addDatabaseOptions(
    user
      .command('add')
      .description('add a user to a tenant (without --password-stdin the user signs in through OIDC only)')
      .requiredOption('--email <email>', "the user's email")
      .requiredOption('--tenant <slug>', 'the tenant to join')
      .addOption(new Option('--role <role>', 'what the user may do').choices(APP_ROLES).makeOptionMandatory())
      .option('--password-stdin', 'read a password for a new local account from standard input'),
  ).action(async (options: DatabaseOptions & { email: string; tenant: string; role: AppRole; passwordStdin?: boolean }) => {
    const { z } = await import('zod');
    if (!z.email().safeParse(options.email).success) throw new UsageError('--email must be an email address');
    // From stdin, never argv: arguments show up in `ps` and shell history.
    const password = options.passwordStdin ? await readPassword() : null;
    await withPool(options, async (db) => {
      const { addMembership, createUser, findTenantBySlug, findUserByEmail } = await import('../../auth/users.ts');
      const tenantRow = await findTenantBySlug(db, options.tenant);
      if (!tenantRow) throw new UserError(`no tenant "${options.tenant}"; create it with: optischema tenant add --name … --slug ${options.tenant}`);
      let account = await findUserByEmail(db, options.email);
      if (account && password) throw new UserError(`${account.email} already has an account; user add does not change passwords`);
      account ??= await createUser(db, { email: options.email, password });
      try {
        await addMembership(db, { userId: account.id, tenantId: tenantRow.id, role: options.role });
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new UserError(`${account.email} is already a member of ${tenantRow.slug}`);
        throw error;
      }
      print(`added ${account.email} to ${tenantRow.slug} as ${options.role}${password ? '' : ' (OIDC sign-in only)'}`);
    });
  });
}

async function withPool(options: DatabaseOptions, action: (db: Awaited<ReturnType<typeof openPool>>) => Promise<void>): Promise<void> {
  const database = await openDatabase(options);
  try {
    const pool = await openPool(database.url, { max: 1 });
    try {
      await action(pool);
    } finally {
      await pool.end();
    }
  } finally {
    await database.release();
  }
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('--password-stdin reads from a pipe: printf %s "$PASSWORD" | optischema user add …');
  let text = '';
  for await (const chunk of process.stdin.setEncoding('utf8')) text += chunk;
  // One trailing newline (from echo or a file) is not part of the password.
  const password = text.replace(/\r?\n$/, '');
  const { MIN_PASSWORD_LENGTH } = await import('../../auth/passwords.ts');
  if (password.length < MIN_PASSWORD_LENGTH) throw new UserError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}
