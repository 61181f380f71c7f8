/**
 * Workload index advice on TPC-H against the research algorithms of the index selection evaluation
 * platform (Kossmann et al., PVLDB 2020), side by side on one cluster, one data set and one cost
 * model.
 *
 *   node bench/tpch-advice.ts --platform DIR [--scale 1] [--budgets-mb 250,500,1000,2000,3000]
 *                             [--qualstats] [--data-dir DIR] [--json FILE]
 *
 * DIR is a checkout of github.com/hyrise/index_selection_evaluation with its tpch-kit submodule
 * (docs/benchmarks.md says how to get one); Python 3 with psycopg2 runs it. The bench:
 *   1. starts a throwaway PostgreSQL (test/support/cluster.ts) and lets the platform generate and
 *      load TPC-H at `--scale` (dbgen; tables without keys, as the platform loads them), generate
 *      its 19 queries (all but 2, 17 and 20, as in the paper) and run Extend, Relaxation, DB2Advis,
 *      AutoAdmin and Dexter's algorithm at each budget (bench/tpch/platform.ts);
 *   2. installs OptiSchema in that database and runs the 19 queries for real, once each, as an
 *      application role, so that pg_stat_statements holds them normalized (bench/tpch/workload.ts);
 *      pg_qualstats is left out unless `--qualstats`, so the advisor finds parameter values in the
 *      column statistics;
 *   3. asks OptiSchema's workload advisor (over pg_stat_statements) for a set at each budget,
 *      timed after one untimed first call (a fresh process's compilation and new sessions, reported apart);
 *   4. costs every set the same way: Σ over the 19 literal queries of hypopg's estimated cost
 *      with the set in place, relative to no index (lower is better; the platform's own figure).
 *      For AutoAdmin and Dexter, which take an index count or a saving threshold rather than a
 *      budget, the best of their configurations that fits the budget counts.
 * MB are the platform's (10^6 bytes), and so are the budgets given to OptiSchema.
 *
 * `--data-dir DIR` keeps the cluster in DIR instead of a throwaway one, and the platform's results
 * in DIR/platform-results.json: a second run skips the load and the research algorithms (delete
 * that file to run them again) and measures OptiSchema only.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { adviseWorkload } from '../sidecar/advisor/workload.ts';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { openPool } from '../sidecar/database/connection.ts';
import { appRole } from '../test/support/app-role.ts';
import { EmbeddedCluster } from '../sidecar/embedded/cluster.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { distinctIndexes, shortIndex } from './index-advice/ddl.ts';
import { estimatedSetBytes } from './saas-advice/workload-cost.ts';
import { describeMachine } from './support/machine.ts';
import { databaseUrl, describeServer } from './support/server.ts';
import { table } from './support/stats.ts';
import { platformConfig, platformQueries, runPlatform, type PlatformResult } from './tpch/platform.ts';
import { runQueries, tpchCost, tpchQuery } from './tpch/workload.ts';

/** The paper's TPC-H set: 2, 17 and 20 are left out (their run times dominate without indexes). */
const QUERIES = [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 21, 22];
const APP_ROLE = 'optischema_bench_app';
const RESEARCH = ['extend', 'relaxation', 'db2advis', 'auto_admin', 'dexter'];

const { values } = parseArgs({
  options: {
    platform: { type: 'string' },
    scale: { type: 'string', default: '1' },
    'budgets-mb': { type: 'string', default: '250,500,1000,2000,3000' },
    qualstats: { type: 'boolean', default: false },
    python: { type: 'string', default: '/usr/bin/python3' },
    'data-dir': { type: 'string' },
    json: { type: 'string' },
  },
});
const scale = Number(values.scale);
const budgetsMb = values['budgets-mb'].split(',').map(Number);
if (!values.platform || !(scale > 0) || budgetsMb.some((b) => !(b > 0))) {
  console.error('usage: node bench/tpch-advice.ts --platform DIR [--scale 1] [--budgets-mb 250,500,1000,2000,3000] [--qualstats] [--json FILE]');
  process.exit(2);
}
const platformDir = path.resolve(values.platform);

const started = performance.now();
const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : null;
const { url, close } = dataDir ? await keptCluster(dataDir) : await privateCluster();
let pool: pg.Pool | undefined;
const client = new pg.Client({ connectionString: url, application_name: 'optischema-bench-tpch' });
try {
  await client.connect();
  const server = await describeServer(client);
  const machine = describeMachine();
  console.log(`server: ${server}\nmachine: ${machine}`);
  await client.end();

  // 1. The platform: data, queries, the research algorithms.
  const t0 = performance.now();
  const kept = dataDir ? path.join(dataDir, 'platform-results.json') : null;
  let research: PlatformResult[];
  if (kept && (await exists(kept))) {
    research = JSON.parse(await readFile(kept, 'utf8')) as PlatformResult[];
    console.log(`platform: ${research.length} configurations from ${kept}`);
  } else {
    research = await runPlatform(platformDir, url, platformConfig(scale, budgetsMb, QUERIES), {
      python: values.python,
      onLine: (line) => {
        if (/Generating|Loading data|Running algorithm|Indexes found|Database .* created|ERROR/.test(line)) console.log(`  platform ${line.replace(/^.*?(INFO|ERROR|DEBUG):?/, '').slice(0, 200)}`);
      },
    });
    if (kept) await writeFile(kept, JSON.stringify(research));
    console.log(`platform: ${research.length} configurations in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const texts = await platformQueries(platformDir, { python: values.python });
  const queries = texts.map((q) => tpchQuery(q.nr, q.text));

  // 2. OptiSchema on the same database; the queries for real.
  const tpchUrl = databaseUrl(url, `indexselection_tpch___${String(scale).replace('.', '_')}`);
  await runMigrations(tpchUrl);
  const db = new pg.Client({ connectionString: tpchUrl, application_name: 'optischema-bench-tpch' });
  await db.connect();
  try {
    // The superuser's "$user" schema is OptiSchema's own (optischema): the view goes beside the tables.
    await db.query('set search_path = public');
    for (const extension of ['hypopg', 'pg_stat_statements', 'pg_qualstats']) await db.query(`create extension if not exists ${extension}`);
    if (!values.qualstats) await db.query('drop extension if exists pg_qualstats');
    for (const q of queries) for (const statement of q.setup) await db.query(statement);
    await appRole(db, ['public'], APP_ROLE);
    const t1 = performance.now();
    const times = await runQueries(db, queries, APP_ROLE, 60_000, (nr, ms, note) => console.log(`  ran Q${nr} in ${(ms / 1000).toFixed(1)} s${note ? ` (${note})` : ''}`));
    console.log(`workload: ${queries.length} queries run for real in ${((performance.now() - t1) / 1000).toFixed(0)} s`);

    // 3. OptiSchema's workload advisor at each budget.
    pool = await openPool(tpchUrl, { max: 2, applicationName: 'optischema-bench-tpch-advisor' });
    // OptiSchema's sidecar is a long-lived process; the first advice in a fresh one also pays V8's
    // compilation of the engine and the catalog caches of two new server sessions. That call is
    // made once at the first budget and reported apart; the table times steady-state calls, as the
    // platform times its algorithms in a process and on a connection that are already warm.
    const tWarm = performance.now();
    await adviseWorkload(pool, { budgetBytes: budgetsMb[0]! * 1e6 });
    const firstCallSeconds = (performance.now() - tWarm) / 1000;
    console.log(`first advice in this process (at ${budgetsMb[0]} MB, not in the table): ${firstCallSeconds.toFixed(1)} s`);
    const ours: PlatformResult[] = [];
    const notes: string[] = [];
    for (const mb of budgetsMb) {
      const budgetBytes = mb * 1e6;
      const t2 = performance.now();
      const advice = await adviseWorkload(pool, { budgetBytes });
      const seconds = (performance.now() - t2) / 1000;
      const indexes = distinctIndexes(advice.recommendations.map((r) => r.sql));
      ours.push({ algorithm: 'optischema', parameters: `budget ${mb} MB`, budgetBytes, seconds, sizeBytes: await estimatedSetBytes(db, indexes), cost: Number.NaN, indexes });
      notes.push(`${mb} MB: ${advice.workload.analyzed} of ${advice.workload.statements} statements analyzed, ${advice.errors.length} errors${advice.errors.map((e) => `\n    error: ${e.error} (${e.query.replace(/\s+/g, ' ').slice(0, 90)})`).join('')}`);
    }

    // 4. Every set costed alike.
    const none = await tpchCost(db, queries, []);
    const relative = new Map<PlatformResult, number>();
    for (const result of [...ours, ...research.filter((r) => RESEARCH.includes(r.algorithm))]) relative.set(result, (await tpchCost(db, queries, result.indexes)).total / none.total);
    const noIndex = research.find((r) => r.algorithm === 'no_index');

    // Per budget: OptiSchema, each algorithm's result that fits, the best of them.
    const rows: string[][] = [];
    const verdicts: { mb: number; ours: number; best: number; bestAlgorithm: string; oursSeconds: number; extendSeconds: number | null }[] = [];
    for (const mb of budgetsMb) {
      const budgetBytes = mb * 1e6;
      const mine = ours.find((r) => r.budgetBytes === budgetBytes)!;
      const cells = [String(mb), cell(mine, relative)];
      let best = { value: Infinity, algorithm: '' };
      for (const algorithm of RESEARCH) {
        const fitting = research.filter((r) => r.algorithm === algorithm && (r.budgetBytes === null ? r.sizeBytes <= budgetBytes : r.budgetBytes === budgetBytes));
        const pick = fitting.sort((a, b) => relative.get(a)! - relative.get(b)!)[0];
        cells.push(pick ? cell(pick, relative) : '–');
        if (pick && relative.get(pick)! < best.value) best = { value: relative.get(pick)!, algorithm };
      }
      rows.push(cells);
      const extend = research.find((r) => r.algorithm === 'extend' && r.budgetBytes === budgetBytes);
      verdicts.push({ mb, ours: relative.get(mine)!, best: best.value, bestAlgorithm: best.algorithm, oursSeconds: mine.seconds, extendSeconds: extend?.seconds ?? null });
    }

    console.log(`\nTPC-H SF${scale}, ${queries.length} queries; relative workload cost (Σ hypopg cost with the set / without; lower is better), indexes, hypopg size, seconds:`);
    console.log(table(['budget MB', 'OptiSchema', ...RESEARCH], rows));
    console.log(`\nno index: Σ cost ${none.total.toFixed(0)} (the platform measured ${noIndex?.cost.toFixed(0) ?? 'n/a'})`);
    for (const v of verdicts) {
      console.log(
        `${String(v.mb).padStart(5)} MB: OptiSchema ${v.ours.toFixed(3)} vs best research ${v.best.toFixed(3)} (${v.bestAlgorithm}): ${v.ours <= v.best + 0.0005 ? 'pass' : 'FAIL'}; ` +
          `time ${v.oursSeconds.toFixed(1)} s vs Extend ${v.extendSeconds?.toFixed(1) ?? 'n/a'} s: ${v.extendSeconds !== null && v.oursSeconds < v.extendSeconds ? 'pass' : 'FAIL'}`,
      );
    }
    console.log('\nOptiSchema per budget:');
    for (const [i, r] of ours.entries()) console.log(`  ${notes[i]}\n${r.indexes.map((d) => `    ${shortIndex(d)}`).join('\n')}`);
    const extend = research.filter((r) => r.algorithm === 'extend');
    console.log('Extend per budget:');
    for (const r of extend) console.log(`  ${(r.budgetBytes ?? 0) / 1e6} MB: ${r.indexes.map((d) => shortIndex(d)).join('; ')}`);
    console.log('\nper query, estimated cost as is and with OptiSchema\'s largest set (run time as is):');
    const largest = await tpchCost(db, queries, ours.at(-1)!.indexes);
    console.log(table(['query', 'ran s', 'cost as is', 'with OptiSchema'], queries.map((q) => [`Q${q.nr}`, ((times.get(q.nr) ?? 0) / 1000).toFixed(1), none.perQuery.get(q.nr)!.toFixed(0), largest.perQuery.get(q.nr)!.toFixed(0)])));
    console.log(`\nbench: ${((performance.now() - started) / 1000).toFixed(0)} s wall clock`);

    if (values.json) {
      const report = {
        date: new Date().toISOString(),
        command: `node bench/tpch-advice.ts ${process.argv.slice(2).join(' ')}`.trim(),
        machine,
        server,
        scale,
        queries: queries.map((q) => ({ nr: q.nr, ranMs: times.get(q.nr), cost: none.perQuery.get(q.nr) })),
        results: [...ours, ...research].map((r) => ({ ...r, relative: relative.get(r) ?? (r.algorithm === 'no_index' ? 1 : null) })),
        verdicts,
        firstCallSeconds,
      };
      await writeFile(values.json, JSON.stringify(report, null, 2));
      console.log(`report written to ${values.json}`);
    }
  } finally {
    // The platform's Q15 creates the view itself.
    for (const q of queries) for (const statement of q.cleanup) await db.query(statement).catch(() => undefined);
    await db.end().catch(() => undefined);
  }
} finally {
  await pool?.end().catch(() => undefined);
  await close();
}

/** The cluster in `dir`, set up on first use and left in place (stopped) at the end. */
async function keptCluster(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const cluster = await EmbeddedCluster.open({ dataDir: dir.endsWith('/pg') ? dir : path.join(dir, 'pg') });
  const { url } = await cluster.start();
  return { url, close: async () => void (await cluster.stop().catch(() => undefined)) };
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function cell(result: PlatformResult, relative: Map<PlatformResult, number>): string {
  return `${relative.get(result)!.toFixed(3)} (${result.indexes.length}, ${(result.sizeBytes / 1e6).toFixed(0)} MB, ${result.seconds.toFixed(1)} s)`;
}
