import type { Command } from 'commander';
import { EmbeddedCluster } from '../../embedded/cluster.ts';
import { redactUrl } from '../../database/connection.ts';
import { UserError } from '../../errors.ts';
import { embeddedDataDirOption, embeddedPortOption } from '../database-option.ts';
import { note, print, printJson } from '../output.ts';

interface DbOptions {
  dataDir: string;
  pgPort?: number;
}

export function registerDb(program: Command): void {
  const db = program.command('db').description('manage the embedded PostgreSQL cluster');

  db.command('start')
    .description('set up (first time) and start the embedded cluster; it keeps running until `db stop`')
    .addOption(embeddedDataDirOption())
    .addOption(embeddedPortOption())
    .action(async (options: DbOptions) => {
      const cluster = await EmbeddedCluster.open({ dataDir: options.dataDir, port: options.pgPort, onProgress: note });
      const { started, url } = await cluster.start();
      note(started ? `Embedded PostgreSQL is running: ${redactUrl(url)}` : `Embedded PostgreSQL was already running: ${redactUrl(url)}`);
    });

  db.command('stop')
    .description('stop the embedded cluster')
    .addOption(embeddedDataDirOption())
    .action(async (options: DbOptions) => {
      const cluster = await EmbeddedCluster.open({ dataDir: options.dataDir });
      note((await cluster.stop()) ? 'Embedded PostgreSQL stopped' : 'Embedded PostgreSQL was not running');
    });

  db.command('status')
    .description('show whether the embedded cluster is set up and running')
    .addOption(embeddedDataDirOption())
    .option('--json', 'print JSON')
    .action(async (options: DbOptions & { json?: boolean }) => {
      const cluster = await EmbeddedCluster.open({ dataDir: options.dataDir });
      const status = await cluster.status();
      const shown = { ...status, url: status.url && redactUrl(status.url) };
      if (options.json) return printJson(shown);
      print(`state:     ${status.state}`);
      print(`data dir:  ${status.dataDir}`);
      print(`postgres:  ${status.major}`);
      if (status.port) print(`port:      ${status.port}`);
      if (shown.url) print(`url:       ${shown.url}`);
    });

  db.command('url')
    .description('print the connection URL of the embedded cluster (with its password)')
    .addOption(embeddedDataDirOption())
    .action(async (options: DbOptions) => {
      const cluster = await EmbeddedCluster.open({ dataDir: options.dataDir });
      const status = await cluster.status();
      if (!status.url) throw new UserError(`no embedded cluster in ${status.dataDir} yet; run: optischema db start`);
      if (status.state !== 'running') note('note: the embedded cluster is not running; start it with: optischema db start');
      print(status.url);
    });
}
