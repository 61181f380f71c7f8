/**
 * How fast the `optischema` command answers: wall time of a bare `node -e 0`, of `optischema
 * --help`, and of `optischema advise --query …` on a warm database, measured side by side in one
 * run (each round runs the three in turn, so machine noise falls on all of them alike). Targets:
 * `--help` within 5× and `advise --query` within 10× the median of `node -e 0`.
 *
 *   npm run bench:cli [-- --runs 15]
 *
 * Starts a throwaway PostgreSQL (test/support/cluster.ts) with a 100,000-row table, warms it with
 * two rounds that are not counted, then prints min/median/max per command and the median ratios.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { describeMachine } from './support/machine.ts';
import { median, table } from './support/stats.ts';

const TARGETS: Record<string, number> = { help: 5, advise: 10 };
const WARM_UP_ROUNDS = 2;
const BIN = fileURLToPath(new URL('../bin/optischema.js', import.meta.url));

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
if (!(Number.isInteger(runs) && runs > 0)) {
  console.error('usage: npm run bench:cli [-- --runs 15]');
  process.exit(2);
}

/** Wall time of one child process, in ms; rejects when it fails. */
function timed(args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: { ...process.env, DATABASE_URL: '' } }, (error) => (error ? reject(error) : resolve(performance.now() - started)));
  });
}

const { url, close } = await privateCluster();
try {
  await runMigrations(url);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`
    create table public.orders (id bigint primary key, customer_id int not null, status text not null, total numeric not null);
    insert into public.orders select g, g % 20000, case when g % 10 = 0 then 'open' else 'paid' end, g % 500 from generate_series(1, 100000) g;
    analyze public.orders;`);
  await admin.end();

  const commands: Record<string, string[]> = {
    'node -e 0': ['-e', '0'],
    help: [BIN, '--help'],
    advise: [BIN, 'advise', '--db', url, '--query', 'select id, total from orders where customer_id = 42'],
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let round = 0; round < WARM_UP_ROUNDS + runs; round++) {
    for (const [name, args] of Object.entries(commands)) {
      const ms = await timed(args);
      if (round >= WARM_UP_ROUNDS) samples[name]!.push(ms);
    }
  }

  const base = median(samples['node -e 0']!);
  const rows = Object.entries(samples).map(([name, list]) => {
    const ratio = median(list) / base;
    const target = TARGETS[name];
    return [
      name,
      Math.min(...list).toFixed(0),
      median(list).toFixed(0),
      Math.max(...list).toFixed(0),
      `${ratio.toFixed(2)}×`,
      target === undefined ? '' : `≤ ${target}× ${ratio <= target ? 'pass' : 'FAIL'}`,
    ];
  });
  console.log(describeMachine());
  console.log(`${runs} runs each after ${WARM_UP_ROUNDS} warm-up rounds, wall time in ms`);
  console.log(table(['command', 'min', 'median', 'max', 'median / node -e 0', 'target'], rows));
} finally {
  await close();
}
