/**
 * Index-advice quality and speed: OptiSchema's adviseQueries against known best answers and against
 * pg_qualstats's own advisor, on the demo shop.
 *
 *   node bench/index-advice.ts [--scale 0.25] [--runs 5] [--workload-size 200] [--json FILE]
 *
 * Starts a throwaway PostgreSQL (test/support/cluster.ts: pg_stat_statements and pg_qualstats
 * preloaded), installs OptiSchema, loads the demo at `--scale`, adds the bench's own objects in schema
 * bench_advice (a partitioned copy of demo.events, a view, a canary table), then:
 *   1. asks adviseQueries about every case (bench/index-advice/cases.ts), one call per case, timed;
 *   2. lets pg_qualstats learn from running the cases once, and calls pg_qualstats_index_advisor;
 *   3. scores both against the known best index sets with hypopg (bench/index-advice/scoring.ts);
 *   4. estimates the workload's cost (sum over positive cases, each weighted 1) with each set;
 *   5. builds each set for real, runs every positive case `--runs` times (median), drops the set;
 *   6. times advice over `--workload-size` generated statements (workload mode when it exists).
 * Targets: every positive ≥ 90 % of the best reduction with ≤ 2 indexes; no negative gets a
 * recommendation; no bad input crashes; advice < 300 ms per query (median); 200 statements < 15 s.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { appRole } from '../test/support/app-role.ts';
import { adviseEach } from './index-advice/advise-each.ts';
import { measureGuardOverhead } from './index-advice/guard-overhead.ts';
import { loadDemoInto } from '../sidecar/cli/commands/demo.ts';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { openPool } from '../sidecar/database/connection.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { buildCases, CANARY_TABLE, SETUP_SQL, type AdviceCase } from './index-advice/cases.ts';
import { distinctIndexes } from './index-advice/ddl.ts';
import { estimate } from './index-advice/hypothetical.ts';
import { QUALSTATS_ARGS, qualstatsAdvice } from './index-advice/qualstats-advisor.ts';
import { caseTable, failureDetails } from './index-advice/report.ts';
import { measureWithIndexes, type RuntimeResult } from './index-advice/runtime.ts';
import { loadAdviceSample } from './index-advice/sample.ts';
import { scoreCase, type CaseScore } from './index-advice/scoring.ts';
import { timeWorkloadAdvice, workloadModeSet, workloadStatements, WORKLOAD_SIZE } from './index-advice/workload-mode.ts';
import { describeMachine } from './support/machine.ts';
import { describeServer } from './support/server.ts';
import { median, percentile } from './support/stats.ts';

const TARGET_ADVICE_MEDIAN_MS = 300;
const TARGET_WORKLOAD_SECONDS = 15;

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.25' },
    runs: { type: 'string', default: '5' },
    'workload-size': { type: 'string', default: String(WORKLOAD_SIZE) },
    json: { type: 'string' },
  },
});
const scale = Number(values.scale);
const runs = Number(values.runs);
const workloadSize = Number(values['workload-size']);
if (!(scale > 0 && Number.isInteger(runs) && runs > 0 && Number.isInteger(workloadSize) && workloadSize > 0 && workloadSize <= WORKLOAD_SIZE)) {
  console.error('usage: node bench/index-advice.ts [--scale 0.25] [--runs 5] [--workload-size 200] [--json FILE]');
  process.exit(2);
}

const started = performance.now();
const { url, close } = await privateCluster();
const client = new pg.Client({ connectionString: url, application_name: 'optischema-bench-advice' });
let pool: pg.Pool | undefined;
try {
  await runMigrations(url);
  const demo = await loadDemoInto(url, scale);
  console.log(`demo: scale ${scale}, ${demo.tables.map((t) => `${t.name} ${t.rows.toLocaleString('en-US')}`).join(', ')}`);
  await client.connect();
  await client.query('create extension if not exists hypopg');
  await client.query('create extension if not exists pg_qualstats');
  const server = await describeServer(client);
  const { rows: collation } = await client.query<{ datcollate: string }>('select datcollate from pg_database where datname = current_database()');
  const machine = describeMachine();
  console.log(`server: ${server}, collation ${collation[0]?.datcollate}`);
  console.log(`machine: ${machine}`);
  // pg_qualstats samples predicates only when preloaded; the embedded cluster preloads it when installed.
  const { rows: preload } = await client.query<{ libraries: string }>(`select current_setting('shared_preload_libraries') as libraries`);
  if (!/\bpg_qualstats\b/.test(preload[0]?.libraries ?? '')) throw new Error('pg_qualstats is not in shared_preload_libraries: install postgresql-15-pg-qualstats');
  await client.query(SETUP_SQL);

  // The cases are "run by" an application role, as pg_stat_statements would record them: a
  // superuser's UPDATE or DELETE is never planned (the analysis role only reads).
  const authors = [await appRole(client, ['demo', 'bench_advice'], 'optischema_bench_app')];
  const sample = await loadAdviceSample(client);
  const cases = buildCases(sample);
  const positives = cases.filter((c) => c.kind === 'positive');
  console.log(`cases: ${positives.length} positive, ${cases.filter((c) => c.kind === 'negative').length} negative, ${cases.filter((c) => c.kind === 'bad').length} bad inputs\n`);

  // 1. OptiSchema, one call per case so each is timed alone.
  pool = await openPool(url, { max: 2, applicationName: 'optischema-bench-advice-advisor' });
  const advice = await adviseEach(pool, cases, authors);
  const canaryAfterAdvice = await canaryExists(client);

  // 2. pg_qualstats learns from running the cases, then advises.
  const qualstats = await qualstatsAdvice(client, cases);
  console.log(`pg_qualstats: ${qualstats.quals} sampled quals, ${qualstats.raw.length} indexes suggested in ${qualstats.seconds.toFixed(1)} s (learning run included)`);
  for (const index of qualstats.raw) console.log(`  ${index}`);
  if (qualstats.indexes.length !== qualstats.raw.length) console.log(`  read as ${qualstats.indexes.length} distinct indexes (per-partition suggestions as one index on the parent)`);
  if (qualstats.unoptimised.length > 0) console.log(`  unoptimised quals: ${qualstats.unoptimised.join('; ')}`);
  if (qualstats.runErrors.length > 0) console.log(`  cases that failed to run: ${qualstats.runErrors.join(', ')}`);

  // 3. Scores.
  const scores: CaseScore[] = [];
  for (const c of cases) {
    const { result, ms } = advice.get(c.id)!;
    scores.push(await scoreCase(client, c, result, ms, qualstats.indexes));
  }
  const canaryAtEnd = await canaryExists(client);
  if (!canaryAfterAdvice || !canaryAtEnd) {
    for (const s of scores.filter((score) => score.kind === 'bad')) {
      s.optischema.pass = false;
      s.optischema.reason = `${CANARY_TABLE} was dropped`;
    }
  }

  // 4. Estimated workload cost with each set (all of a set's indexes hypothetical at once).
  const sets: Record<string, string[]> = {
    none: [],
    optischema: distinctIndexes(scores.filter((s) => s.kind !== 'bad').flatMap((s) => s.optischema.indexes)),
    best: distinctIndexes(positives.flatMap((c) => c.best ?? [])),
    qualstats: distinctIndexes(qualstats.indexes),
  };
  // Workload mode's single set for the same queries (positives and negatives together).
  const workloadSet = await workloadModeSet(pool, cases.filter((c) => c.kind !== 'bad').map((c) => c.sql), authors);
  sets.workload = distinctIndexes(workloadSet.indexes);
  console.log(`workload mode over the ${cases.filter((c) => c.kind !== 'bad').length} valid cases: ${sets.workload.length} indexes (${workloadSet.note})`);
  const estimated: Record<string, number> = {};
  for (const [name, ddls] of Object.entries(sets)) {
    estimated[name] = 0;
    for (const c of positives) estimated[name] += (await estimate(client, c, ddls)).cost;
  }

  // 5. Real runtimes, each set built for real in turn.
  const runtime: Record<string, RuntimeResult> = {};
  for (const [name, ddls] of Object.entries(sets)) {
    console.log(`runtime: ${name} (${ddls.length} indexes)…`);
    runtime[name] = await measureWithIndexes(client, ddls, positives, runs);
  }

  // 6. Workload mode.
  const statements = workloadStatements(sample, workloadSize);
  const workload = await timeWorkloadAdvice(pool, statements, authors);

  // 7. The planning guard's own cost, side by side with plain EXPLAIN (literal valid cases).
  const guard = await measureGuardOverhead(client, cases.filter((c) => c.kind !== 'bad' && !/\$\d/.test(c.sql)).map((c) => c.sql), authors);

  // Output.
  console.log(`\n${caseTable(scores)}\n`);
  const details = failureDetails(scores);
  if (details) console.log(`OptiSchema failures in full:\n${details}\n`);
  const summary = summarize(scores, sets, estimated, runtime, workload, advice, positives);
  for (const line of summary.lines) console.log(line);
  console.log(
    `planning guard (${guard.statements} literal cases, medians): plain EXPLAIN ${guard.plainMs.toFixed(2)} ms; ` +
      `through the guard in a session of its own ${guard.guardedSessionMs.toFixed(2)} ms; one more plan in an open guard ${guard.guardedPlanMs.toFixed(2)} ms`,
  );
  console.log(`\nbench: ${((performance.now() - started) / 1000).toFixed(0)} s wall clock`);

  if (values.json) {
    const report = {
      date: new Date().toISOString(),
      command: `node bench/index-advice.ts ${process.argv.slice(2).join(' ')}`.trim(),
      machine,
      server,
      collation: collation[0]?.datcollate,
      scale,
      runs,
      demo: demo.tables,
      qualstats: { ...qualstats, args: QUALSTATS_ARGS },
      sets,
      estimatedCost: estimated,
      runtime,
      workload,
      guard,
      summary: summary.figures,
      cases: scores,
    };
    await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`results written to ${values.json}`);
  }
} finally {
  await pool?.end().catch(() => undefined);
  await client.end().catch(() => undefined);
  await close();
}

async function canaryExists(db: pg.ClientBase): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>('select to_regclass($1) is not null as present', [CANARY_TABLE]);
  return rows[0]?.present ?? false;
}

function summarize(
  scores: readonly CaseScore[],
  sets: Record<string, string[]>,
  estimated: Record<string, number>,
  runtime: Record<string, RuntimeResult>,
  workload: Awaited<ReturnType<typeof timeWorkloadAdvice>>,
  advice: Map<string, { ms: number }>,
  positives: readonly AdviceCase[],
) {
  const count = (kind: CaseScore['kind'], who: 'optischema' | 'qualstats') => {
    const of = scores.filter((s) => s.kind === kind);
    return { passed: of.filter((s) => s[who].pass === true).length, total: of.length };
  };
  const op = { positive: count('positive', 'optischema'), negative: count('negative', 'optischema'), bad: count('bad', 'optischema') };
  const qs = { positive: count('positive', 'qualstats'), negative: count('negative', 'qualstats') };
  const timed = scores.filter((s) => s.kind !== 'bad').map((s) => advice.get(s.id)!.ms);
  const allTimed = scores.map((s) => advice.get(s.id)!.ms);
  const adviceMedian = median(timed);
  const adviceP95 = percentile(timed, 95);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const f = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  const ms = (n: number | undefined) => (n === undefined ? '' : `${n.toFixed(1)} ms`);
  const lines = [
    `cases passed           OptiSchema ${op.positive.passed + op.negative.passed + op.bad.passed}/${scores.length}` +
      ` (positive ${op.positive.passed}/${op.positive.total}, negative ${op.negative.passed}/${op.negative.total}, bad input ${op.bad.passed}/${op.bad.total})` +
      `   pg_qualstats positive ${qs.positive.passed}/${qs.positive.total}, negative ${qs.negative.passed}/${qs.negative.total} (bad inputs n/a)`,
    `  target: every positive ≥ 90 % of best with ≤ 2 indexes: ${met(op.positive.passed === op.positive.total)}; no negative recommended: ${met(op.negative.passed === op.negative.total)}; no bad input crashes: ${met(op.bad.passed === op.bad.total)}`,
    `estimated workload cost (hypopg, sum over ${positives.length} positive cases, weight 1 each): as is ${f(estimated.none!)}, ` +
      `OptiSchema's set (${sets.optischema!.length} indexes) ${f(estimated.optischema!)}, known best set (${sets.best!.length}) ${f(estimated.best!)}, pg_qualstats's set (${sets.qualstats!.length}) ${f(estimated.qualstats!)}` +
      `${sets.workload ? `, OptiSchema workload mode's set (${sets.workload.length}) ${f(estimated.workload!)}` : ''}`,
    `real workload runtime (sum of per-query medians of ${runs} runs, ${positives.length} positive cases): no new index ${ms(runtime.none?.totalMs)}, ` +
      `OptiSchema's set ${ms(runtime.optischema?.totalMs)}, known best set ${ms(runtime.best?.totalMs)}, pg_qualstats's set ${ms(runtime.qualstats?.totalMs)}` +
      `${runtime.workload ? `, OptiSchema workload mode's set ${ms(runtime.workload.totalMs)}` : ''}`,
    `index sets built for real: ${Object.entries(runtime).filter(([name]) => name !== 'none').map(([name, r]) => `${name} ${sets[name]!.length} indexes, ${mib(r.sizeBytes)}, built in ${r.buildSeconds.toFixed(1)} s`).join('; ')}`,
    `advisor time per query (adviseQueries, one query per call, ${timed.length} valid cases): median ${adviceMedian.toFixed(1)} ms, p95 ${adviceP95.toFixed(1)} ms` +
      ` (all ${allTimed.length} inputs: median ${median(allTimed).toFixed(1)} ms); target median < ${TARGET_ADVICE_MEDIAN_MS} ms: ${met(adviceMedian < TARGET_ADVICE_MEDIAN_MS)}`,
    `workload advice (${workload.statements} statements): ${workload.seconds.toFixed(1)} s, ${workload.recommendations} recommendations, ${workload.errors} errors` +
      `; target < ${TARGET_WORKLOAD_SECONDS} s: ${met(workload.seconds < TARGET_WORKLOAD_SECONDS)}`,
    `  workload summary: ${JSON.stringify(workload.summary)}`,
  ];
  // A case slower with a set than with no new index: the planner chose one of the set's indexes badly.
  for (const [name, result] of Object.entries(runtime)) {
    for (const [id, ms] of Object.entries(result.medians)) {
      const before = runtime.none?.medians[id];
      if (name !== 'none' && before !== undefined && ms > before * 1.1) {
        lines.push(`  slower with ${name}'s set: ${id} ${before.toFixed(1)} → ${ms.toFixed(1)} ms (${result.scans[id]})`);
      }
    }
  }
  for (const [name, result] of Object.entries(runtime)) {
    if (result.buildErrors.length > 0) lines.push(`  ${name}: indexes that failed to build: ${result.buildErrors.join('; ')}`);
  }
  return {
    lines,
    figures: { optischema: op, qualstats: qs, adviceMedianMs: adviceMedian, adviceP95Ms: adviceP95, estimated, runtimeTotalMs: Object.fromEntries(Object.entries(runtime).map(([k, v]) => [k, v.totalMs])), workload },
  };
}
