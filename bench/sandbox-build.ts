/**
 * What a sandbox costs to make, by strategy and database size: time and size of a template clone,
 * a pg_dump/pg_restore clone (jobs 1: piped; jobs 2: directory format), and a 10 % sample.
 *
 *   node bench/sandbox-build.ts [--scales 0.25,1] [--fraction 0.1] [--json FILE]
 *
 * Starts a throwaway PostgreSQL (test/support/cluster.ts) and, per scale, loads the SaaS tracker
 * (bench/saas-advice/load.ts) into its database, closes the loading session (a template may have
 * none), and makes one sandbox per strategy from it on the same server, in the order of the table,
 * each dropped again once measured. Seconds are the bench's wall clock around the strategy's call,
 * analyze included where the strategy analyzes (pg_dump clone and sample: they bring no statistics;
 * the template clone copies them with the files). Sizes are pg_database_size. One run per cell: the
 * source was just loaded, so it is warm in the page cache for every strategy alike.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { findPgBinaries } from '../sidecar/embedded/binaries.ts';
import { cloneByDump } from '../sidecar/sandbox/dump-clone.ts';
import { sampleInto } from '../sidecar/sandbox/sample.ts';
import { databaseNameOf, databaseUrlOn } from '../sidecar/sandbox/sandbox-database.ts';
import { dropSandboxDatabase } from '../sidecar/sandbox/template-clone.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { cloneWhenQuiet } from './estimate-vs-truth/sandbox-copy.ts';
import { loadSaas } from './saas-advice/load.ts';
import { describeMachine } from './support/machine.ts';
import { describeServer } from './support/server.ts';
import { table } from './support/stats.ts';

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '0.25,1' },
    fraction: { type: 'string', default: '0.1' },
    json: { type: 'string' },
  },
});
const scales = values.scales.split(',').map(Number);
const fraction = Number(values.fraction);
if (!(scales.length > 0 && scales.every((s) => s > 0) && fraction > 0 && fraction <= 1)) {
  console.error('usage: node bench/sandbox-build.ts [--scales 0.25,1] [--fraction 0.1] [--json FILE]');
  process.exit(2);
}

interface Cell {
  scale: number;
  sourceBytes: number;
  strategy: string;
  seconds: number;
  sandboxBytes: number;
  /** pg_dump clones: the archive that moved (pipe or directory), in bytes. */
  archiveBytes?: number;
}

const started = performance.now();
const { url, close } = await privateCluster();
const source = databaseNameOf(url);
const serverUrl = databaseUrlOn(url, 'postgres');
// Sessions in another database: the source must have none while it is a template.
const server = new pg.Client({ connectionString: serverUrl, application_name: 'optischema-bench-sandbox' });
const cells: Cell[] = [];
try {
  const binaries = await findPgBinaries();
  await server.connect();
  const sizeOf = async (name: string) => Number((await server.query<{ bytes: string }>('select pg_database_size($1)::text as bytes', [name])).rows[0]!.bytes);
  console.log(`server: ${await describeServer(server)}\nmachine: ${describeMachine()}`);
  for (const scale of scales) {
    const loader = new pg.Client({ connectionString: url, application_name: 'optischema-bench-sandbox-load' });
    await loader.connect();
    try {
      const load = await loadSaas(loader, scale);
      console.log(`saas: scale ${scale}, loaded in ${load.seconds.toFixed(1)} s`);
    } finally {
      await loader.end();
    }
    const sourceBytes = await sizeOf(source);
    // Each strategy returns the sandbox's name (and the archive's size when there is one).
    const strategies: [string, () => Promise<{ name: string; archiveBytes?: number }>][] = [
      ['template clone', async () => ({ name: (await cloneWhenQuiet(server, source)).name })],
      ['pg_dump, jobs 1', async () => {
        const c = await cloneByDump({ sourceUrl: url, serverUrl, binaries, jobs: 1, keepOwners: true });
        return { name: c.database, archiveBytes: c.bytes };
      }],
      ['pg_dump, jobs 2', async () => {
        const c = await cloneByDump({ sourceUrl: url, serverUrl, binaries, jobs: 2, keepOwners: true });
        return { name: c.database, archiveBytes: c.bytes };
      }],
      [`sample ${Math.round(fraction * 100)} %`, async () => ({ name: (await sampleInto({ sourceUrl: url, serverUrl, binaries, fraction, keepOwners: true })).database })],
    ];
    for (const [strategy, make] of strategies) {
      const t0 = performance.now();
      const made = await make();
      const seconds = (performance.now() - t0) / 1000;
      const cell: Cell = { scale, sourceBytes, strategy, seconds, sandboxBytes: await sizeOf(made.name), ...(made.archiveBytes === undefined ? {} : { archiveBytes: made.archiveBytes }) };
      cells.push(cell);
      console.log(`  ${strategy}: ${seconds.toFixed(1)} s`);
      await dropSandboxDatabase(server, made.name);
    }
  }

  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  console.log(`\n${table(
    ['scale', 'source size', 'strategy', 'seconds', 'sandbox size', 'archive'],
    cells.map((c) => [String(c.scale), mib(c.sourceBytes), c.strategy, c.seconds.toFixed(1), mib(c.sandboxBytes), c.archiveBytes === undefined ? '–' : mib(c.archiveBytes)]),
  )}`);
  console.log(`\nbench: ${((performance.now() - started) / 1000).toFixed(0)} s wall clock`);
  if (values.json) {
    const report = { date: new Date().toISOString(), command: `node bench/sandbox-build.ts ${process.argv.slice(2).join(' ')}`.trim(), machine: describeMachine(), fraction, cells };
    await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`results written to ${values.json}`);
  }
} finally {
  await server.end().catch(() => undefined);
  await close();
}
