/**
 * Measures what collecting costs the application: pgbench's throughput on the demo database with
 * `optischema.snapshot()` every second against none. Target: under 2 % loss.
 *
 *   node bench/collector-overhead.ts [--seconds 20] [--rounds 3] [--scale 0.05] [--clients 2]
 *
 * Starts a throwaway PostgreSQL (test/support/cluster.ts: pg_stat_statements and pg_qualstats
 * preloaded, track = all), installs OptiSchema, loads the demo at `--scale`, then runs pgbench with a
 * read-mostly script over the demo's primary keys (9 in 10 transactions read an order and its
 * customer, 1 in 10 touches an order's updated_at) in alternating rounds of `--seconds` each:
 *   A: pgbench alone;
 *   B: pgbench while another connection calls `select optischema.snapshot()` every second.
 * A and B alternate (A B A B …, `--rounds` of each) in one run, so slow drift of a shared machine
 * lands on both; the result is the ratio of the medians, loss = 1 − B/A, with each A/B pair's ratio
 * beside it to show the noise. A checkpoint precedes every round, and one baseline snapshot and a
 * warm-up run precede the rounds, so no round pays for the first snapshot or for cold caches.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { loadDemoInto } from '../sidecar/cli/commands/demo.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { runPgbench, type PgbenchRun } from './support/pgbench.ts';
import { describeServer } from './support/server.ts';
import { median, percentile, table } from './support/stats.ts';

const TARGET_LOSS = 0.02;
const SNAPSHOT_INTERVAL_MS = 1000;
const WARM_UP_SECONDS = 5;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    scale: { type: 'string', default: '0.05' },
    clients: { type: 'string', default: '2' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const scale = Number(values.scale);
const clients = Number(values.clients);
if (!(seconds > 0 && Number.isInteger(rounds) && rounds > 0 && scale > 0 && Number.isInteger(clients) && clients > 0)) {
  console.error('usage: node bench/collector-overhead.ts [--seconds 20] [--rounds 3] [--scale 0.05] [--clients 2]');
  process.exit(2);
}

// Reads by primary key: the cheap, frequent statements a collector's overhead shows most on.
const READ_SCRIPT = `\\set order_id random(1, :max_order)
\\set customer_id random(1, :max_customer)
select id, customer_id, status, total, created_at from demo.orders where id = :order_id;
select id, email, full_name, country_code from demo.customers where id = :customer_id;
`;
const WRITE_SCRIPT = `\\set order_id random(1, :max_order)
update demo.orders set updated_at = now() where id = :order_id;
`;

interface Round {
  kind: 'A' | 'B';
  run: PgbenchRun;
  /** Client-side durations of the snapshots taken during a B round (ms). */
  snapshots: number[];
  /** Statement entries the last snapshot of the round read. */
  statements: number | null;
}

const scripts = await mkdtemp(path.join(os.tmpdir(), 'optischema-bench-'));
const { url, close } = await privateCluster();
const control = new pg.Client({ connectionString: url, application_name: 'optischema-bench-control' });
try {
  await runMigrations(url);
  const demo = await loadDemoInto(url, scale);
  console.log(`demo: scale ${scale}, ${demo.tables.map((t) => `${t.name} ${t.rows.toLocaleString('en-US')}`).join(', ')}`);

  await control.connect();
  console.log(`server: ${await describeServer(control)}`);
  const { rows: bounds } = await control.query<{ max_order: string; max_customer: string }>(
    'select (select max(id) from demo.orders) as max_order, (select max(id) from demo.customers) as max_customer',
  );
  const define = { max_order: bounds[0]?.max_order ?? '1', max_customer: bounds[0]?.max_customer ?? '1' };
  await writeFile(path.join(scripts, 'read.sql'), READ_SCRIPT);
  await writeFile(path.join(scripts, 'write.sql'), WRITE_SCRIPT);
  const pgbench = (runSeconds: number) =>
    runPgbench({
      url,
      scripts: [`${path.join(scripts, 'read.sql')}@9`, `${path.join(scripts, 'write.sql')}@1`],
      seconds: runSeconds,
      clients,
      threads: Math.min(clients, os.availableParallelism()),
      define,
    });

  // The first snapshot of a target only sets the baseline; take it outside the measured rounds.
  await control.query('select optischema.snapshot()');
  await pgbench(WARM_UP_SECONDS);
  console.log(`pgbench: ${clients} clients, ${Math.min(clients, os.availableParallelism())} threads, ${seconds} s per round, read 9 : write 1\n`);

  const results: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const kind of ['A', 'B'] as const) {
      await control.query('checkpoint');
      const result = kind === 'A' ? { run: await pgbench(seconds), snapshots: [], statements: null } : await withSnapshots(url, () => pgbench(seconds));
      results.push({ kind, ...result });
      const snapshotText = kind === 'B' ? `, ${result.snapshots.length} snapshots, median ${median(result.snapshots).toFixed(1)} ms` : '';
      console.log(`round ${round + 1}${kind}: ${result.run.tps.toFixed(1)} tps${snapshotText}`);
    }
  }

  printSummary(results);
} finally {
  await control.end().catch(() => undefined);
  await close();
  await rm(scripts, { recursive: true, force: true });
}

/** Runs `work` while a dedicated connection takes a snapshot every second, on a fixed schedule. */
async function withSnapshots(
  databaseUrl: string,
  work: () => Promise<PgbenchRun>,
): Promise<{ run: PgbenchRun; snapshots: number[]; statements: number | null }> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'optischema-bench-snapshots' });
  await client.connect();
  const durations: number[] = [];
  let statements: number | null = null;
  let done = false;
  const loop = (async () => {
    const start = performance.now();
    for (let tick = 0; !done; tick++) {
      const wait = start + tick * SNAPSHOT_INTERVAL_MS - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (done) break;
      const began = performance.now();
      const { rows } = await client.query<{ statements: number }>('select statements from optischema.snapshot()');
      durations.push(performance.now() - began);
      statements = rows[0]?.statements ?? null;
    }
  })();
  try {
    const run = await work();
    return { run, snapshots: durations, statements };
  } finally {
    done = true;
    await loop;
    await client.end();
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function printSummary(results: Round[]): void {
  const a = results.filter((r) => r.kind === 'A').map((r) => r.run.tps);
  const b = results.filter((r) => r.kind === 'B').map((r) => r.run.tps);
  const pairRatios = a.map((tps, i) => (b[i] ?? Number.NaN) / tps);
  const snapshots = results.flatMap((r) => r.snapshots);
  const statements = results.findLast((r) => r.statements !== null)?.statements;

  console.log('\nper round (pgbench tps, without connection time)');
  console.log(
    table(
      ['round', 'A: no snapshots', 'B: snapshot every 1 s', 'B/A'],
      a.map((tps, i) => [String(i + 1), tps.toFixed(1), (b[i] ?? Number.NaN).toFixed(1), (pairRatios[i] ?? Number.NaN).toFixed(4)]),
    ),
  );

  const loss = 1 - median(b) / median(a);
  // The machine is shared: call the target met or missed only when the pairs' noise allows it.
  const losses = pairRatios.map((ratio) => 1 - ratio);
  const mean = sum(losses) / losses.length;
  const standardError = losses.length > 1 ? Math.sqrt(sum(losses.map((l) => (l - mean) ** 2)) / (losses.length - 1) / losses.length) : Number.NaN;
  const verdict =
    mean + 2 * standardError < TARGET_LOSS ? 'met'
    : mean - 2 * standardError > TARGET_LOSS ? 'MISSED'
    : `inconclusive (noise ±${(2 * standardError * 100).toFixed(1)} % spans it)`;
  console.log('\nsummary');
  console.log(
    table(
      ['measure', 'value'],
      [
        ['median tps, A (no snapshots)', median(a).toFixed(1)],
        ['median tps, B (snapshot every 1 s)', median(b).toFixed(1)],
        ['loss = 1 − B/A (medians)', `${(loss * 100).toFixed(2)} %`],
        ['loss, median of per-pair 1 − B/A', `${((1 - median(pairRatios)) * 100).toFixed(2)} %`],
        ['per-pair loss, min … max', `${((1 - Math.max(...pairRatios)) * 100).toFixed(2)} … ${((1 - Math.min(...pairRatios)) * 100).toFixed(2)} %`],
        ['snapshots taken (all B rounds)', String(snapshots.length)],
        ['snapshot duration, median / p95 (client)', `${median(snapshots).toFixed(1)} / ${percentile(snapshots, 95).toFixed(1)} ms`],
        ['statement entries per snapshot (last)', String(statements ?? '?')],
        // A model, not a measurement: the snapshots' busy time as a share of all cores' time in B rounds.
        ['snapshot busy time / CPU time of B rounds', `${((sum(snapshots) / 1000 / (seconds * rounds * os.availableParallelism())) * 100).toFixed(2)} % (estimate)`],
        ['per-pair loss, mean ± 2 standard errors', `${(mean * 100).toFixed(2)} ± ${(2 * standardError * 100).toFixed(2)} %`],
        ['target', `loss under ${TARGET_LOSS * 100} %: ${verdict}`],
      ],
    ),
  );
}
