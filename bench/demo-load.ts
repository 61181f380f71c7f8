/**
 * Measures the demo dataset against its two targets: at scale 1 it loads in under 60 s, and each
 * workload read that misses an index takes at least 100 ms.
 *
 *   node bench/demo-load.ts --db postgres://user@host:port/db [--scale 1] [--runs 3] [--skip-load]
 *
 * Loads the demo (replacing schema "demo" in that database), prints the load's steps and total time,
 * then for every read kind of the workload runs EXPLAIN (ANALYZE) `--runs` times with one set of
 * typical parameters (a seeded draw from the data, the same on every run of the benchmark) and prints
 * the median execution time as the server reports it, with the scans the plan used.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadDemo } from '../sidecar/demo/load.ts';
import { seededDraw } from '../sidecar/demo/random.ts';
import { WORKLOAD_QUERIES } from '../sidecar/demo/workload-queries.ts';
import { loadWorkloadSample } from '../sidecar/demo/workload-sample.ts';

interface PlanNode {
  'Node Type': string;
  'Parallel Aware'?: boolean;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    scale: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    'skip-load': { type: 'boolean', default: false },
  },
});
if (!values.db) {
  console.error('usage: node bench/demo-load.ts --db postgres://user@host:port/database [--scale 1] [--runs 3] [--skip-load]');
  process.exit(2);
}
const runs = Number(values.runs);

const client = new pg.Client({ connectionString: values.db, application_name: 'optischema-bench-demo' });
await client.connect();
try {
  if (!values['skip-load']) {
    const summary = await loadDemo(client, { scale: Number(values.scale), onProgress: (message) => console.log(`  ${message}`) });
    console.log(`load: scale ${summary.scale} in ${summary.seconds.toFixed(1)} s (wall clock, counts included)`);
    for (const table of summary.tables) console.log(`  demo.${table.name.padEnd(12)} ${table.rows.toLocaleString('en-US').padStart(11)} rows`);
  }
  await printServer(client);

  const draw = seededDraw(20240917);
  const sample = await loadWorkloadSample(client, draw);
  console.log(`\nEXPLAIN ANALYZE execution time, median of ${runs} runs (ms), same parameters each run`);
  console.log(`${'kind'.padEnd(26)} ${'median'.padStart(7)}  ${'runs'.padEnd(20)} scans`);
  for (const query of WORKLOAD_QUERIES.filter((candidate) => candidate.access === 'read')) {
    const params = query.params(sample, draw);
    const times: number[] = [];
    let plan: PlanNode | undefined;
    for (let run = 0; run < runs; run++) {
      const { rows } = await client.query<{ 'QUERY PLAN': [{ 'Execution Time': number; Plan: PlanNode }] }>(
        `explain (analyze, format json) ${query.text}`,
        params,
      );
      const [result] = rows[0]?.['QUERY PLAN'] ?? [];
      if (!result) throw new Error(`EXPLAIN returned no plan for ${query.kind}`);
      times.push(result['Execution Time']);
      plan = result.Plan;
    }
    const runsText = times.map((time) => time.toFixed(0)).join(' ');
    console.log(`${query.kind.padEnd(26)} ${median(times).toFixed(1).padStart(7)}  ${runsText.padEnd(20)} ${plan ? scans(plan).join(', ') : ''}`);
  }
} finally {
  await client.end();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The plan's scan nodes, e.g. "Parallel Seq Scan on orders", "Index Scan on products (products_pkey)". */
function scans(node: PlanNode): string[] {
  const own = node['Relation Name']
    ? [`${node['Parallel Aware'] ? 'Parallel ' : ''}${node['Node Type']} on ${node['Relation Name']}${node['Index Name'] ? ` (${node['Index Name']})` : ''}`]
    : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}

async function printServer(db: pg.Client): Promise<void> {
  const { rows } = await db.query<{ version: string; workers: string; shared_buffers: string }>(
    `select current_setting('server_version') as version,
            current_setting('max_parallel_workers_per_gather') as workers,
            current_setting('shared_buffers') as shared_buffers`,
  );
  const server = rows[0];
  if (server) {
    console.log(`server: PostgreSQL ${server.version}, max_parallel_workers_per_gather ${server.workers}, shared_buffers ${server.shared_buffers}`);
  }
}
