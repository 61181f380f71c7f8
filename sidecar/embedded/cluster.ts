import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rm, stat, writeFile, appendFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { UserError } from '../errors.ts';
import { defaultDataDir } from '../home-dir.ts';
import { freePort, portInUse } from '../net/ports.ts';
import { extensionInstalled, findPgBinaries, installHint, libraryInstalled, program, type PgBinaries } from './binaries.ts';
import { serverOsUser, type OsUser } from './os-user.ts';
import { runCommand, type CommandResult } from './run-command.ts';

/** The superuser and database of every embedded cluster. */
export const EMBEDDED_USER = 'optischema';
export const EMBEDDED_DATABASE = 'optischema';

const CONF_FILE = 'optischema.conf';
const LOG_FILE = 'server.log';
const WAIT_SECONDS = '60';

export type ClusterState = 'not-initialized' | 'stopped' | 'running';

export interface ClusterStatus {
  state: ClusterState;
  dataDir: string;
  port: number | null;
  major: number;
  url: string | null;
}

export interface ClusterOptions {
  dataDir?: string;
  /** A port for the server; on an existing cluster it replaces the one chosen at set-up. */
  port?: number;
  env?: NodeJS.ProcessEnv;
  onProgress?: (message: string) => void;
}

/**
 * OptiSchema's private PostgreSQL cluster: set up on first start (initdb, a generated
 * scram-sha-256 password in a 0600 file, loopback only, pg_stat_statements and pg_qualstats
 * preloaded), then started, reused and stopped with pg_ctl. Tests start throwaway ones the same way.
 */
export class EmbeddedCluster {
  readonly dataDir: string;
  readonly binaries: PgBinaries;
  /** The OS user the server runs as; null means the current user. */
  readonly osUser: OsUser | null;
  private readonly requestedPort: number | undefined;
  private readonly progress: (message: string) => void;

  private constructor(dataDir: string, binaries: PgBinaries, osUser: OsUser | null, options: ClusterOptions) {
    this.dataDir = dataDir;
    this.binaries = binaries;
    this.osUser = osUser;
    this.requestedPort = options.port;
    this.progress = options.onProgress ?? (() => {});
  }

  static async open(options: ClusterOptions = {}): Promise<EmbeddedCluster> {
    const env = options.env ?? process.env;
    // An empty value (OPTISCHEMA_DATA_DIR= in a shell) means unset, never the working directory.
    const dataDir = path.resolve(options.dataDir || env.OPTISCHEMA_DATA_DIR || defaultDataDir(env));
    const binaries = await findPgBinaries(env);
    const osUser = await serverOsUser(env);
    return new EmbeddedCluster(dataDir, binaries, osUser, options);
  }

  /** The password file sits beside the data directory, readable by the person running OptiSchema only. */
  get passwordFile(): string {
    return `${this.dataDir}.password`;
  }

  get logFile(): string {
    return path.join(this.dataDir, LOG_FILE);
  }

  async status(): Promise<ClusterStatus> {
    const base = { dataDir: this.dataDir, major: this.binaries.major };
    if (!(await this.initialized())) return { ...base, state: 'not-initialized', port: null, url: null };
    await this.checkDataDir();
    const port = await this.configuredPort();
    const running = await this.running();
    return { ...base, state: running ? 'running' : 'stopped', port, url: await this.url(port) };
  }

  /**
   * Sets the cluster up if needed and starts it; a running cluster is reused.
   * Returns whether this call started the server (so the caller knows whether to stop it).
   */
  async start(): Promise<{ started: boolean; url: string }> {
    if (!(await this.initialized())) {
      await this.initialize();
      return { started: true, url: await this.url(await this.configuredPort()) };
    }
    await this.checkDataDir();
    if (await this.running()) {
      if (this.requestedPort !== undefined && this.requestedPort !== (await this.configuredPort())) {
        throw new UserError(`the embedded PostgreSQL is already running on port ${await this.configuredPort()}; stop it (optischema db stop) before changing its port`);
      }
      return { started: false, url: await this.url(await this.configuredPort()) };
    }
    if (this.requestedPort !== undefined) await this.writeConf(this.requestedPort, await this.preloadLibraries());
    await this.startServer();
    return { started: true, url: await this.url(await this.configuredPort()) };
  }

  /** Stops the server (fast shutdown: open transactions roll back). Returns false when it was not running. */
  async stop(): Promise<boolean> {
    if (!(await this.initialized()) || !(await this.running())) return false;
    const result = await this.pgCtl(['stop', '-D', this.dataDir, '-m', 'fast', '-w', '-t', WAIT_SECONDS]);
    if (result.code !== 0) throw new UserError(`could not stop the embedded PostgreSQL: ${lastLine(result.stderr)}`);
    return true;
  }

  async url(port?: number | null): Promise<string> {
    const password = (await readFile(this.passwordFile, 'utf8')).trim();
    const actualPort = port ?? (await this.configuredPort());
    return `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${actualPort}/${EMBEDDED_DATABASE}`;
  }

  private async initialized(): Promise<boolean> {
    const entries = await readdir(this.dataDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (entries === null || entries.length === 0) return false;
    if (!entries.includes('PG_VERSION')) {
      throw new UserError(`${this.dataDir} is not empty and is not a PostgreSQL data directory; choose another --data-dir or empty it`);
    }
    return true;
  }

  /** Refuses data directories that this PostgreSQL, as this OS user, cannot or should not run. */
  private async checkDataDir(): Promise<void> {
    const version = (await readFile(path.join(this.dataDir, 'PG_VERSION'), 'utf8')).trim();
    if (Number(version) !== this.binaries.major) {
      throw new UserError(
        `${this.dataDir} was created by PostgreSQL ${version}, but the binaries found are PostgreSQL ${this.binaries.major} ` +
          `(${this.binaries.bindir}); set PG_BINDIR to PostgreSQL ${version}'s bin folder, upgrade the cluster with pg_upgrade, or move the folder away`,
      );
    }
    const owner = (await stat(this.dataDir)).uid;
    const expected = this.osUser?.uid ?? process.getuid?.();
    if (expected !== undefined && owner !== expected) {
      const who = this.osUser ? `the "${this.osUser.name}" OS user that runs the server` : 'you';
      throw new UserError(`${this.dataDir} belongs to uid ${owner}, not to ${who} (uid ${expected}); use the account that created it or choose another --data-dir`);
    }
    try {
      await readFile(this.passwordFile);
    } catch {
      throw new UserError(
        `${this.dataDir} holds a PostgreSQL cluster without OptiSchema's password file ${this.passwordFile} ` +
          `(a set-up that was interrupted, or a cluster OptiSchema did not create); remove ${this.dataDir} to start afresh, or pass --db for an existing server`,
      );
    }
  }

  private async initialize(): Promise<void> {
    await this.checkExtensions();
    const port = this.requestedPort ?? (await freePort());
    if (await portInUse(port)) throw new UserError(`port ${port} is in use by another program; choose another with --pg-port`);

    const parentExisted = await exists(path.dirname(this.dataDir));
    const dataDirExisted = await exists(this.dataDir);
    this.progress(`Setting up a PostgreSQL ${this.binaries.major} cluster in ${this.dataDir}`);
    try {
      // 0711: the server's OS user must traverse the parent folder; nobody else may list it.
      await mkdir(path.dirname(this.dataDir), { recursive: true, mode: 0o711 });
      await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
      if (this.osUser) await chown(this.dataDir, this.osUser.uid, this.osUser.gid);
      await this.checkServerUserCanWrite();

      const password = randomBytes(24).toString('hex');
      await this.initdb(password);
      await this.writeConf(port, await this.preloadLibraries());
      await this.startServer();
      await this.createDatabase(password, port);
      // Written last: its presence marks a finished set-up (see checkDataDir).
      await writeFile(this.passwordFile, `${password}\n`, { mode: 0o600 });
    } catch (error) {
      // Leave nothing half-initialized behind: stop what started and remove what this call made.
      await this.pgCtl(['stop', '-D', this.dataDir, '-m', 'immediate', '-w']).catch(() => undefined);
      if (dataDirExisted) await emptyDir(this.dataDir);
      else await rm(this.dataDir, { recursive: true, force: true });
      if (!parentExisted) await rm(path.dirname(this.dataDir), { recursive: true, force: true });
      await rm(this.passwordFile, { force: true });
      throw error;
    }
  }

  private async initdb(password: string): Promise<void> {
    // initdb reads the password from a file that the server's OS user can read; it lives for this call only.
    const pwfile = `${this.dataDir}.initdb-password`;
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    try {
      if (this.osUser) await chown(pwfile, this.osUser.uid, this.osUser.gid);
      const initdb = await runCommand(
        program(this.binaries, 'initdb'),
        ['-D', this.dataDir, '-U', EMBEDDED_USER, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C.UTF-8'],
        { asUser: this.osUser },
      );
      if (initdb.code !== 0) throw new UserError(`initdb failed: ${lastLine(initdb.stderr)}`);
    } finally {
      await rm(pwfile, { force: true });
    }
  }

  private async checkExtensions(): Promise<void> {
    const missing: string[] = [];
    if (!(await libraryInstalled(this.binaries, 'pg_stat_statements'))) missing.push('pg_stat_statements');
    if (!(await extensionInstalled(this.binaries, 'hypopg'))) missing.push('hypopg');
    if (missing.length > 0) {
      throw new UserError(`PostgreSQL ${this.binaries.major} at ${this.binaries.bindir} lacks ${missing.join(' and ')}; ${installHint(this.binaries.major)}`);
    }
  }

  private async preloadLibraries(): Promise<string[]> {
    const libraries = ['pg_stat_statements'];
    if (await libraryInstalled(this.binaries, 'pg_qualstats')) libraries.push('pg_qualstats');
    return libraries;
  }

  private async checkServerUserCanWrite(): Promise<void> {
    if (!this.osUser) return;
    const probe = await runCommand('test', ['-w', this.dataDir, '-a', '-x', this.dataDir], { asUser: this.osUser });
    if (probe.code !== 0) {
      throw new UserError(
        `the "${this.osUser.name}" OS user that runs PostgreSQL cannot reach ${this.dataDir}; ` +
          `choose a --data-dir it can reach or let it traverse the parent folders (chmod o+x)`,
      );
    }
  }

  /** OptiSchema's settings live in their own file so postgresql.conf stays as initdb wrote it. */
  private async writeConf(port: number, preload: string[]): Promise<void> {
    const lines = [
      '# Written by OptiSchema; edits are kept until the next `optischema db start --pg-port`.',
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      // No Unix socket: its path has a length limit and Debian's default folder belongs to the system cluster.
      "unix_socket_directories = ''",
      `shared_preload_libraries = '${preload.join(',')}'`,
      'pg_stat_statements.track = all',
      'track_io_timing = on',
      '',
    ];
    const confPath = path.join(this.dataDir, CONF_FILE);
    const fresh = !(await exists(confPath));
    await writeFile(confPath, lines.join('\n'), { mode: 0o600 });
    if (fresh) await appendFile(path.join(this.dataDir, 'postgresql.conf'), `\ninclude = '${CONF_FILE}'\n`);
    if (this.osUser) await chown(confPath, this.osUser.uid, this.osUser.gid);
  }

  private async configuredPort(): Promise<number> {
    const conf = await readFile(path.join(this.dataDir, CONF_FILE), 'utf8').catch(() => '');
    const match = conf.match(/^port\s*=\s*(\d+)/m);
    if (!match) throw new UserError(`${path.join(this.dataDir, CONF_FILE)} names no port; remove ${this.dataDir} to start afresh`);
    return Number(match[1]);
  }

  private async running(): Promise<boolean> {
    // pg_ctl status: 0 = running, 3 = not running, 4 = no usable data directory.
    const result = await this.pgCtl(['status', '-D', this.dataDir]);
    return result.code === 0;
  }

  private async startServer(): Promise<void> {
    const port = await this.configuredPort();
    if (await portInUse(port)) {
      throw new UserError(`port ${port} of the embedded PostgreSQL is in use by another program; stop that program or start with --pg-port <another port>`);
    }
    this.progress(`Starting PostgreSQL ${this.binaries.major} on 127.0.0.1:${port}`);
    // pg_ctl detaches the server into its own session, so Ctrl-C in the terminal does not reach it:
    // OptiSchema stops it explicitly when it should.
    const result = await this.pgCtl(['start', '-D', this.dataDir, '-l', this.logFile, '-w', '-t', WAIT_SECONDS, '-s']);
    if (result.code !== 0) {
      const log = await readFile(this.logFile, 'utf8').catch(() => '');
      const reason = log.split('\n').filter((line) => /\b(FATAL|PANIC):/.test(line)).at(-1) ?? lastLine(log);
      throw new UserError(`the embedded PostgreSQL did not start: ${reason.trim() || lastLine(result.stderr)} (log: ${this.logFile})`);
    }
  }

  private async createDatabase(password: string, port: number): Promise<void> {
    const client = new pg.Client({ host: '127.0.0.1', port, user: EMBEDDED_USER, password, database: 'postgres' });
    await client.connect();
    try {
      await client.query(`create database ${EMBEDDED_DATABASE}`);
    } finally {
      await client.end();
    }
  }

  private pgCtl(args: string[]): Promise<CommandResult> {
    return runCommand(program(this.binaries, 'pg_ctl'), args, { asUser: this.osUser });
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1)?.trim() ?? '';
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function emptyDir(dir: string): Promise<void> {
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}
