/**
 * The `clone` strategy's fast path (issue 11 §1): when the sandbox goes in the target's own
 * cluster and nothing else is connected to the target database, `CREATE DATABASE … TEMPLATE`
 * copies it file by file, statistics included, in seconds. PostgreSQL refuses a template that has
 * other sessions, so this is for the embedded demo and quiet databases; a busy one needs the
 * pg_dump/pg_restore path (not built yet).
 *
 * Sandbox databases are named `optischema_sandbox_…`, and only such names are ever dropped here.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';
import { SandboxError } from './isolation.ts';

export const SANDBOX_PREFIX = 'optischema_sandbox_';

/**
 * Copies `source` into a new database on the same server and returns its name. `server` is a
 * session on that server (any database but `source`) whose role may create databases.
 *
 * @example
 *   const name = await cloneByTemplate(admin, 'shop'); // 'optischema_sandbox_shop_3f9a1c'
 */
export async function cloneByTemplate(server: pg.ClientBase, source: string): Promise<string> {
  const others = await server.query<{ n: number }>(
    'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [source],
  );
  const n = others.rows[0]?.n ?? 0;
  if (n > 0) throw new SandboxError(`${source} has ${n} other session(s), and PostgreSQL copies a database as a template only when nothing is connected to it: copy it with pg_dump instead`);
  const name = sandboxDatabaseName(source);
  await server.query(`create database ${quoteIdent(name)} template ${quoteIdent(source)}`);
  return name;
}

/**
 * A fresh sandbox name for a copy of `source`, the same for every strategy (template, pg_dump,
 * sample): the prefix dropSandboxDatabase insists on, the source's name folded to a bare
 * identifier (and cut, so the whole stays under PostgreSQL's 63 bytes), 6 random hex digits.
 *
 * @example sandboxDatabaseName('Shop') // 'optischema_sandbox_shop_3f9a1c'
 */
export function sandboxDatabaseName(source: string): string {
  return `${SANDBOX_PREFIX}${source.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 30)}_${randomBytes(3).toString('hex')}`;
}

/** Drops a sandbox database made by cloneByTemplate (its sessions ended first); refuses any other name. */
export async function dropSandboxDatabase(server: pg.ClientBase, name: string): Promise<void> {
  if (!name.startsWith(SANDBOX_PREFIX)) throw new SandboxError(`${name} is not a sandbox database OptiSchema made (their names start with ${SANDBOX_PREFIX}): not dropped`);
  await server.query(`drop database if exists ${quoteIdent(name)} with (force)`);
}
