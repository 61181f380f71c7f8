/**
 * `optischema sandbox create|refresh|drop`: a target's sandbox, made here with progress on stderr
 * (the validation job makes the same one, the same way, when it first needs it).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type pg from 'pg';
import { openPool } from '../../database/connection.ts';
import { UserError } from '../../errors.ts';
import type { SandboxStrategy } from '../../sandbox/target-sandbox.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { note, print } from '../output.ts';

interface SandboxOptions extends DatabaseOptions {
  target?: string;
  strategy?: SandboxStrategy;
  url?: string;
}

export function registerSandbox(program: Command): void {
  const sandbox = program.command('sandbox').description('the sandbox where recommendations are validated');
  for (const action of ['create', 'refresh', 'drop'] as const) {
    const command = addDatabaseOptions(sandbox.command(action).description(
      action === 'drop' ? 'drop the target\'s sandbox' : action === 'create' ? 'make the target\'s sandbox (or check the one it has)' : 'make the target\'s sandbox again from the target',
    ))
      .option('--target <name>', 'the target, by name (default: the local database)');
    if (action !== 'drop') {
      command
        .addOption(new Option('--strategy <strategy>', 'how to make it (saved for the target)').choices(['embedded', 'clone', 'sample', 'url']))
        .option('--url <url>', 'the sandbox database, with --strategy url (stored encrypted)');
    }
    command.action(async (options: SandboxOptions) => {
      // Loaded here, for this command only.
      const [{ ensureSandbox, dropSandbox }, { loadKey, SECRET_KEY }, { SecretBox }, { makeTargetResolver }] = await Promise.all([
        import('../../sandbox/target-sandbox.ts'),
        import('../../secrets/key-files.ts'),
        import('../../secrets/secret-box.ts'),
        import('../../worker/resolve-target.ts'),
      ]);
      const database = await openDatabase(options);
      const pool = await openPool(database.url, { max: 2 });
      try {
        const secretBox = new SecretBox(await loadKey(SECRET_KEY));
        const targetId = await targetIdOf(pool, options.target);
        const context = { system: pool, systemUrl: database.url, secretBox };
        if (action === 'drop') {
          const { rows } = await pool.query<{ id: string; database: string | null }>('select id, database from optischema.sandboxes where target_id = $1', [targetId]);
          if (!rows[0]) return print('the target has no sandbox');
          await dropSandbox(context, rows[0].id);
          return print(`dropped ${rows[0].database ?? 'the url sandbox (the database itself is yours)'}`);
        }
        if (options.url && options.strategy !== 'url') throw new UserError('--url goes with --strategy url');
        if (options.strategy === 'url' && !options.url) throw new UserError('--strategy url needs --url URL');
        if (options.strategy) {
          await pool.query(
            'update optischema.targets set sandbox_strategy = $2, sandbox_secret_ciphertext = coalesce($3, sandbox_secret_ciphertext) where id = $1',
            [targetId, options.strategy, options.url ? secretBox.seal(options.url) : null],
          );
        }
        const targetUrl = await makeTargetResolver(pool, secretBox)(targetId);
        if (!targetUrl) throw new UserError('the target is gone');
        const made = await ensureSandbox(context, targetId, targetUrl === 'local' ? database.url : targetUrl, {
          refresh: action === 'refresh',
          onProgress: (p) => note(`  ${p.phase} ${p.done} of ${p.total}`),
        });
        const { rows } = await pool.query<{ build_ms: number | null; size_bytes: string | null }>('select build_ms, size_bytes::text from optischema.sandboxes where target_id = $1', [targetId]);
        const facts = rows[0];
        print(`${made.reused ? 'sandbox ready (reused)' : 'sandbox made'}: ${made.strategy}${made.database ? ` database ${made.database}` : ''}` +
          (facts?.size_bytes ? `, ${(Number(facts.size_bytes) / 1048576).toFixed(1)} MB` : '') + (facts?.build_ms && !made.reused ? `, ${(facts.build_ms / 1000).toFixed(1)} s` : ''));
      } finally {
        await pool.end();
        await database.release();
      }
    });
  }
}

async function targetIdOf(pool: pg.Pool, name: string | undefined): Promise<string> {
  if (name === undefined) return (await pool.query<{ id: string }>('select optischema.local_target() as id')).rows[0]!.id;
  const { rows } = await pool.query<{ id: string }>('select id from optischema.targets where name = $1', [name]);
  if (rows.length !== 1) throw new UserError(rows.length === 0 ? `no target named ${name}` : `more than one target is named ${name} (in different tenants): use the API`);
  return rows[0]!.id;
}
