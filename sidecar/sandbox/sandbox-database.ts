/**
 * The empty database a copy strategy (pg_dump clone, sample) fills, and its removal when the copy
 * fails. The strategies receive URLs rather than clients: they create the database they then have
 * to connect to, and pg_dump/pg_restore need URLs anyway; every session opened here is closed here.
 */
import pg from 'pg';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';
import { checkSandbox, SandboxError } from './isolation.ts';
import { dropSandboxDatabase, sandboxDatabaseName } from './template-clone.ts';

/** The database a URL names (its path), decoded. */
export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new SandboxError('the source URL names no database (its path is empty): give postgres://…/<database>');
  return name;
}

/** The same server and credentials as `serverUrl`, database `name`. */
export function databaseUrlOn(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/**
 * Runs `action` on one new session to `url`, closed afterwards whatever happens. `signal` (a
 * sidecar shutting down) ends the session early: its pending query fails, and with it `action`.
 */
export async function withClient<T>(url: string, action: (client: pg.Client) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const client = new pg.Client({ connectionString: url, application_name: 'optischema sandbox' });
  // A session ended from the server side (DROP DATABASE … WITH (FORCE)) must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  const abort = () => void client.end().catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    return await action(client);
  } finally {
    signal?.removeEventListener('abort', abort);
    await client.end().catch(() => undefined);
  }
}

interface SourceLocaleRow {
  encoding: string;
  collate: string;
  ctype: string;
}

/**
 * Creates an empty sandbox database for a copy of the source on the server of `serverUrl`, with the
 * source's encoding, collation and ctype (they decide whether a text index serves LIKE, and the
 * order of sorts), from template0 so that nothing added to template1 clashes with the restore.
 * Refuses when the database made is, as a fact, the source itself (see isolation.ts).
 *
 * @example const { name, url } = await createSandboxDatabase(sourceUrl, serverUrl);
 */
export async function createSandboxDatabase(sourceUrl: string, serverUrl: string): Promise<{ name: string; url: string }> {
  const source = databaseNameOf(sourceUrl);
  const locale = await withClient(sourceUrl, async (client) => {
    const result = await client.query<SourceLocaleRow>(
      `select pg_encoding_to_char(encoding) as encoding, datcollate as collate, datctype as ctype
         from pg_database where datname = current_database()`,
    );
    return result.rows[0]!;
  });
  const name = sandboxDatabaseName(source);
  // CREATE DATABASE without IF NOT EXISTS: a name that exists, the source's included, is an error.
  await withClient(serverUrl, (server) =>
    server.query(
      `create database ${quoteIdent(name)} template template0 encoding ${quoteLiteral(locale.encoding)} ` +
        `lc_collate ${quoteLiteral(locale.collate)} lc_ctype ${quoteLiteral(locale.ctype)}`,
    ),
  );
  const url = databaseUrlOn(serverUrl, name);
  try {
    await refuseSourceAsSandbox(sourceUrl, url);
  } catch (error) {
    await dropSandboxAfterFailure(serverUrl, name);
    throw error;
  }
  return { name, url };
}

/**
 * Throws SandboxError when `sandboxUrl` reaches the source's own database (through a proxy, an
 * alias, a pooler): the copy would be restored into production. The marker checkSandbox leaves is
 * removed again, so the sandbox starts empty.
 */
export async function refuseSourceAsSandbox(sourceUrl: string, sandboxUrl: string): Promise<void> {
  await withClient(sourceUrl, (source) =>
    withClient(sandboxUrl, async (sandbox) => {
      await checkSandbox(source, sandbox);
      await sandbox.query('drop schema optischema_sandbox cascade');
    }),
  );
}

/** Drops a half-made sandbox; a failure to drop is added to the message rather than hiding the first error. */
export async function dropSandboxAfterFailure(serverUrl: string, name: string): Promise<string | null> {
  try {
    await withClient(serverUrl, (server) => dropSandboxDatabase(server, name));
    return null;
  } catch (error) {
    return `the half-made sandbox ${name} could not be dropped (${error instanceof Error ? error.message : String(error)}): drop it by hand`;
  }
}

/** A string constant as SQL text (CREATE DATABASE takes no bind parameters). */
function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
