import { Option, type Command } from 'commander';
import { checkDatabaseUrl } from '../database/connection.ts';
import { EmbeddedCluster } from '../embedded/cluster.ts';
import { defaultDataDir } from '../home-dir.ts';
import { parsePort } from '../net/ports.ts';
import { note } from './output.ts';

export interface DatabaseOptions {
  db?: string;
  dataDir?: string;
  pgPort?: number;
}

export interface DatabaseHandle {
  url: string;
  /** The embedded cluster when no URL was given; null for --db / DATABASE_URL. */
  cluster: EmbeddedCluster | null;
  /** Stops the embedded cluster if this handle started it. */
  release(): Promise<void>;
}

/** `--db URL` plus the embedded cluster's `--data-dir` and `--pg-port`, for every command that needs a database. */
export function addDatabaseOptions(command: Command): Command {
  return command
    .option('--db <url>', 'PostgreSQL URL (default: $DATABASE_URL, else the embedded cluster)')
    .addOption(embeddedDataDirOption())
    .addOption(embeddedPortOption());
}

export function embeddedDataDirOption(): Option {
  return new Option('--data-dir <dir>', 'embedded cluster data directory').env('OPTISCHEMA_DATA_DIR').default(defaultDataDir());
}

export function embeddedPortOption(): Option {
  return new Option('--pg-port <port>', 'port of the embedded cluster (default: a free port chosen at set-up)').argParser((value) =>
    parsePort(value, '--pg-port'),
  );
}

/**
 * The database a command works on: --db, else DATABASE_URL, else the embedded cluster (set up and
 * started when needed). Whoever opens it releases it: a cluster that was already running stays up.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const given = options.db ?? process.env.DATABASE_URL;
  if (given) {
    const url = checkDatabaseUrl(given, options.db ? '--db' : 'DATABASE_URL');
    return { url, cluster: null, release: async () => {} };
  }
  const cluster = await EmbeddedCluster.open({ dataDir: options.dataDir, port: options.pgPort, onProgress: note });
  const { started, url } = await cluster.start();
  let released = false;
  return {
    url,
    cluster,
    release: async () => {
      if (released || !started) return;
      released = true;
      await cluster.stop();
    },
  };
}
