/**
 * How far the advisor's estimates are from the truth: every index recommended for a bench case,
 * validated in a sandbox copy (a real build, EXPLAIN ANALYZE before and after) as OptiSchema's
 * validation does it, set beside hypopg's estimated improvement.
 *
 *   node bench/estimate-vs-truth.ts [--scale 1] [--demo-scale 0.1] [--runs 5] [--first-only] [--json FILE]
 *
 * Starts a throwaway PostgreSQL (test/support/cluster.ts), installs OptiSchema, loads the SaaS
 * tracker at `--scale` (bench/saas-advice/) and the demo shop at `--demo-scale` (0 leaves it out)
 * with bench/index-advice's cases, then:
 *   1. asks adviseQueries about every case, one call per case, as the application role;
 *   2. closes every session on the bench database and copies it once with cloneByTemplate
 *      (statistics included, so the sandbox plans as the source does);
 *   3. validates each recommendation (`--first-only`: each case's first) with validateIndex on the
 *      copy: the case's query with the parameter values the advisor planned with
 *      (measuredStatements), `--runs` runs before and after, medians, the indexes its estimate
 *      assumes in place built first (estimate-vs-truth/validate-advice.ts); all dropped again;
 *   4. prints one row per recommendation and the summary (estimate-vs-truth/report.ts states the
 *      overturn rule).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { QueryAdviceResult } from '../sidecar/advisor/advise.ts';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { openPool } from '../sidecar/database/connection.ts';
import { databaseNameOf, databaseUrlOn } from '../sidecar/sandbox/sandbox-database.ts';
import { dropSandboxDatabase } from '../sidecar/sandbox/template-clone.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { adviseEach } from './index-advice/advise-each.ts';
import { loadDatasets } from './estimate-vs-truth/datasets.ts';
import { FAR_BELOW_POINTS, OVERTURN_MIN_ESTIMATE_PCT, overturnOf, rowTable, summaryLines } from './estimate-vs-truth/report.ts';
import { cloneWhenQuiet } from './estimate-vs-truth/sandbox-copy.ts';
import { validateAdvice, type TruthRow } from './estimate-vs-truth/validate-advice.ts';
import { describeMachine } from './support/machine.ts';
import { describeServer } from './support/server.ts';

// A statement that runs longer than this in the sandbox is reported, not waited for.
const STATEMENT_TIMEOUT_MS = 60_000;

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    'demo-scale': { type: 'string', default: '0.1' },
    runs: { type: 'string', default: '5' },
    'first-only': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const scale = Number(values.scale);
const demoScale = Number(values['demo-scale']);
const runs = Number(values.runs);
if (!(scale > 0 && demoScale >= 0 && Number.isInteger(runs) && runs > 0)) {
  console.error('usage: node bench/estimate-vs-truth.ts [--scale 1] [--demo-scale 0.1] [--runs 5] [--first-only] [--json FILE]');
  process.exit(2);
}

const started = performance.now();
const { url, close } = await privateCluster();
const source = databaseNameOf(url);
// The server session lives in another database: a template may have no session of its own.
const server = new pg.Client({ connectionString: databaseUrlOn(url, 'postgres'), application_name: 'optischema-bench-truth-server' });
let sandbox: pg.Client | undefined;
let sandboxName: string | undefined;
try {
  await runMigrations(url);
  const client = new pg.Client({ connectionString: url, application_name: 'optischema-bench-truth' });
  await client.connect();
  let loaded: Awaited<ReturnType<typeof loadDatasets>>;
  let advice: Awaited<ReturnType<typeof adviseEach>>;
  let serverLine: string;
  const pool = await openPool(url, { max: 2, applicationName: 'optischema-bench-truth-advisor' });
  try {
    for (const extension of ['hypopg', 'pg_stat_statements']) await client.query(`create extension if not exists ${extension}`);
    serverLine = await describeServer(client);
    console.log(`server: ${serverLine}\nmachine: ${describeMachine()}`);
    loaded = await loadDatasets(client, url, { saas: scale, demo: demoScale }, (message) => console.log(`  ${message}`));
    for (const line of loaded.summary) console.log(line);
    const t0 = performance.now();
    advice = await adviseEach(pool, loaded.cases.map((t) => t.case), loaded.authors);
    console.log(`advice: ${loaded.cases.length} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    // 2. Nothing may stay connected to a template.
    await pool.end();
    await client.end();
  }

  await server.connect();
  const clone = await cloneWhenQuiet(server, source);
  sandboxName = clone.name;
  const { rows: size } = await server.query<{ bytes: string }>('select pg_database_size($1)::text as bytes', [sandboxName]);
  console.log(`sandbox: ${sandboxName} by template clone in ${clone.seconds.toFixed(1)} s, ${(Number(size[0]!.bytes) / 2 ** 20).toFixed(0)} MiB`);
  sandbox = new pg.Client({ connectionString: databaseUrlOn(url, sandboxName), application_name: 'optischema-bench-truth-sandbox' });
  await sandbox.connect();

  // 3. Validation, case by case.
  const rows: TruthRow[] = [];
  const crashed: string[] = [];
  const t1 = performance.now();
  for (const truth of loaded.cases) {
    const result = advice.get(truth.case.id)?.result;
    if (!result || 'crashed' in result) {
      crashed.push(`${truth.case.id}: ${result ? result.crashed : 'no advice'}`);
      continue;
    }
    const caseRows = await validateAdvice(sandbox, truth, result as QueryAdviceResult, { runs, firstOnly: values['first-only'], statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    for (const r of caseRows) console.log(`  ${r.caseId} ${r.verdict} in ${r.seconds.toFixed(1)} s`);
    rows.push(...caseRows);
  }
  const validationSeconds = (performance.now() - t1) / 1000;

  // 4. Output.
  const without = loaded.cases.filter((t) => !rows.some((r) => r.dataset === t.dataset && r.caseId === t.case.id)).map((t) => `${t.dataset}/${t.case.id}`);
  console.log(`\nestimate (hypopg cost cut, ? = the advisor flags it uncertain) against truth (sandbox: Σ median execution time of ${runs} runs, before → after)`);
  console.log(`with +N: the N indexes the estimate assumes in place were built first; meas % is then from no index (this index's own gain over them in parentheses)`);
  for (const dataset of ['saas', 'demo'] as const) {
    const of = rows.filter((r) => r.dataset === dataset);
    if (of.length === 0) continue;
    console.log(`\n${dataset}:\n${rowTable(of)}`);
  }
  console.log(`\ncases without a recommendation: ${without.length} (${without.join(', ')})`);
  if (crashed.length > 0) console.log(`advice crashed: ${crashed.join('; ')}`);
  for (const dataset of ['saas', 'demo', null] as const) {
    const of = dataset === null ? rows : rows.filter((r) => r.dataset === dataset);
    if (of.length === 0 || (dataset === null && !rows.some((r) => r.dataset === 'demo'))) continue;
    console.log(`\nsummary, ${dataset ?? 'both datasets'}:`);
    for (const line of summaryLines(of, dataset === null)) console.log(`  ${line}`);
  }
  console.log(`\nvalidation: ${validationSeconds.toFixed(0)} s; bench: ${((performance.now() - started) / 1000).toFixed(0)} s wall clock`);

  if (values.json) {
    const report = {
      date: new Date().toISOString(),
      command: `node bench/estimate-vs-truth.ts ${process.argv.slice(2).join(' ')}`.trim(),
      machine: describeMachine(),
      server: serverLine,
      scale,
      demoScale,
      runs,
      rule: { overturnMinEstimatePct: OVERTURN_MIN_ESTIMATE_PCT, farBelowPoints: FAR_BELOW_POINTS },
      rows: rows.map((r) => ({ ...r, overturn: overturnOf(r) })),
      withoutRecommendation: without,
      crashed,
    };
    await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`rows written to ${values.json}`);
  }
} finally {
  await sandbox?.end().catch(() => undefined);
  if (sandboxName) await dropSandboxDatabase(server, sandboxName).catch(() => undefined);
  await server.end().catch(() => undefined);
  await close();
}
