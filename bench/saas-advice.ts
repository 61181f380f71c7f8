/**
 * Index-advice quality on a second database: a multi-tenant project tracker (schema saas, built by
 * bench/saas-advice/), per query in two tiers and for a workload run for real.
 *
 *   node bench/saas-advice.ts [--scale 1] [--calls 1] [--sessions 2] [--budget-mib 450] [--json FILE]
 *
 * Starts a throwaway PostgreSQL (test/support/cluster.ts: pg_stat_statements and pg_qualstats
 * preloaded), installs OptiSchema, loads the SaaS data at `--scale`, then:
 *   1. asks adviseQueries about every case (bench/saas-advice/cases.ts), one call per case, as the
 *      application role optischema_bench_app;
 *   2. lets pg_qualstats learn from running the cases once, and calls its advisor;
 *   3. scores both against the known best sets with hypopg (bench/index-advice/scoring.ts), per
 *      tier (basic, harder), and costs each case's rival sets (best-check.ts);
 *   4. runs the workload (bench/saas-advice/workload.ts) for real as the application role,
 *      `--calls` × each statement's calls, on `--sessions` connections;
 *   5. calls the workload advisor over pg_stat_statements with a budget of `--budget-mib` MiB × scale
 *      and compares its set with the hand-worked best set: Σ calls × hypopg cost over the recorded
 *      statements, the ratio of the two (lower is better, 1.0 = as good as the best known), and the
 *      write trap (no index on the write-hot saas.user_presence).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { adviseWorkload, type WorkloadAdvice } from '../sidecar/advisor/workload.ts';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { openPool } from '../sidecar/database/connection.ts';
import { appRole } from '../test/support/app-role.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { adviseEach } from './index-advice/advise-each.ts';
import { distinctIndexes, indexTable } from './index-advice/ddl.ts';
import { qualstatsAdvice, QUALSTATS_ARGS } from './index-advice/qualstats-advisor.ts';
import { caseTable, failureDetails } from './index-advice/report.ts';
import { scoreCase, type CaseScore } from './index-advice/scoring.ts';
import { costRivals, rivalLines } from './saas-advice/best-check.ts';
import { buildSaasCases } from './saas-advice/cases.ts';
import { loadSaas } from './saas-advice/load.ts';
import { setLines, statementTable, tierCounts, tierLine } from './saas-advice/report.ts';
import { runSaasWorkload } from './saas-advice/run-workload.ts';
import { loadSaasSample } from './saas-advice/sample.ts';
import { estimatedSetBytes, marginalCosts, recordedStatements, workloadCost, type WorkloadCost } from './saas-advice/workload-cost.ts';
import { BEST_WORKLOAD_SET, WORKLOAD, WRITE_TRAP_TABLE } from './saas-advice/workload.ts';
import { describeMachine } from './support/machine.ts';
import { describeServer } from './support/server.ts';

const APP_ROLE = 'optischema_bench_app';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    calls: { type: 'string', default: '1' },
    sessions: { type: 'string', default: '2' },
    // The known best set takes about 420 MiB at scale 1 (hypopg's estimate): it fits, with a little room.
    'budget-mib': { type: 'string', default: '450' },
    json: { type: 'string' },
  },
});
const scale = Number(values.scale);
const callsFactor = Number(values.calls);
const sessions = Number(values.sessions);
const budgetMib = Number(values['budget-mib']);
if (!(scale > 0 && callsFactor > 0 && Number.isInteger(sessions) && sessions > 0 && budgetMib > 0)) {
  console.error('usage: node bench/saas-advice.ts [--scale 1] [--calls 1] [--sessions 2] [--budget-mib 450] [--json FILE]');
  process.exit(2);
}
const budgetBytes = Math.round(budgetMib * scale * 2 ** 20);

const started = performance.now();
const { url, close } = await privateCluster();
const client = new pg.Client({ connectionString: url, application_name: 'optischema-bench-saas' });
let pool: pg.Pool | undefined;
try {
  await runMigrations(url);
  await client.connect();
  for (const extension of ['hypopg', 'pg_qualstats', 'pg_stat_statements']) await client.query(`create extension if not exists ${extension}`);
  const server = await describeServer(client);
  const machine = describeMachine();
  console.log(`server: ${server}\nmachine: ${machine}`);
  const load = await loadSaas(client, scale, (message) => console.log(`  load ${message}`));
  console.log(`saas: scale ${scale}, loaded in ${load.seconds.toFixed(1)} s: ${load.tables.map((t) => `${t.name} ${t.rows.toLocaleString('en-US')}`).join(', ')}`);

  const roleOid = await appRole(client, ['saas'], APP_ROLE);
  const authors = [roleOid];
  const sample = await loadSaasSample(client);
  const cases = buildSaasCases(sample);
  console.log(`cases: ${cases.filter((c) => c.kind === 'positive').length} positive, ${cases.filter((c) => c.kind === 'negative').length} negative\n`);

  // 1–3. Per-query advice, pg_qualstats, scores and the best check.
  pool = await openPool(url, { max: 2, applicationName: 'optischema-bench-saas-advisor' });
  const advice = await adviseEach(pool, cases, authors);
  const qualstats = await qualstatsAdvice(client, cases);
  console.log(`pg_qualstats: ${qualstats.quals} sampled quals, ${qualstats.raw.length} indexes suggested (${qualstats.indexes.length} distinct on parents)`);
  const scores: CaseScore[] = [];
  for (const c of cases) {
    const { result, ms } = advice.get(c.id)!;
    scores.push(await scoreCase(client, c, result, ms, qualstats.indexes));
  }
  const rivals = await costRivals(client, cases, scores);
  const op = tierCounts(cases, scores, 'optischema');
  const qs = tierCounts(cases, scores, 'qualstats');

  // 4. The workload, for real.
  const { rows: small } = await client.query<{ ids: string[] | null }>(
    `select array_agg(account_id::text order by account_id) as ids
       from (select account_id from saas.projects group by account_id having count(*) between 3 and 5 order by account_id limit 20) s`,
  );
  const run = await runSaasWorkload(client, url, APP_ROLE, { sizes: load.sizes, smallAccounts: small[0]?.ids ?? [String(sample.smallAccount)] }, {
    callsFactor,
    sessions,
    onProgress: (message) => console.log(`  ${message}`),
  });
  const statements = await recordedStatements(client, roleOid);
  console.log(`workload: ${run.calls.toLocaleString('en-US')} calls in ${run.seconds.toFixed(1)} s on ${sessions} sessions; pg_stat_statements holds ${statements.length} of its ${WORKLOAD.length} statements`);

  // 5. The workload advisor, and the sets' costs.
  const t0 = performance.now();
  let answer: WorkloadAdvice | { crashed: string };
  try {
    answer = await adviseWorkload(pool, { budgetBytes });
  } catch (error) {
    answer = { crashed: error instanceof Error ? error.message : String(error) };
  }
  const adviseSeconds = (performance.now() - t0) / 1000;
  const chosen = 'crashed' in answer ? [] : distinctIndexes(answer.recommendations.map((r) => r.sql));
  const sets: Record<string, string[]> = { none: [], best: BEST_WORKLOAD_SET, optischema: chosen };
  const costs: Record<string, WorkloadCost> = {};
  const bytes: Record<string, number> = {};
  for (const [name, ddls] of Object.entries(sets)) {
    costs[name] = await workloadCost(client, statements, ddls);
    bytes[name] = await estimatedSetBytes(client, ddls);
  }
  const worth = await marginalCosts(client, statements, BEST_WORKLOAD_SET, costs.best!.total);
  const trapped = chosen.filter((ddl) => indexTable(ddl) === WRITE_TRAP_TABLE);
  // The trap's control: the same advice with writes free. An index on the trap table chosen then
  // (and not before) shows that the write costs, not the lack of a candidate, kept it out.
  const control = await adviseWorkload(pool, { budgetBytes, msPerIndexEntry: 0 }).catch(() => null);
  const trappedWithoutWrites = (control?.recommendations ?? []).map((r) => r.sql).filter((ddl) => indexTable(ddl) === WRITE_TRAP_TABLE);
  const { rows: hot } = await client.query<{ updates: string; hot: string }>(
    `select n_tup_upd::text as updates, n_tup_hot_upd::text as hot from pg_stat_user_tables where relid = $1::regclass`,
    [WRITE_TRAP_TABLE],
  );
  const ratio = costs.optischema!.total / costs.best!.total;
  const shareOfBestSaving = (costs.none!.total - costs.optischema!.total) / (costs.none!.total - costs.best!.total);

  // Output.
  console.log(`\n${caseTable(scores)}\n`);
  const details = failureDetails(scores);
  if (details) console.log(`OptiSchema failures in full:\n${details}\n`);
  console.log('known best against its rivals (hypopg, % = estimated cost reduction):');
  for (const line of rivalLines(scores, rivals)) console.log(line);
  console.log(`\ncases passed (≥ 90 % of best with ≤ 2 indexes; negatives: no recommendation)`);
  console.log(tierLine('OptiSchema', op));
  console.log(tierLine('pg_qualstats', qs));
  const timed = [...advice.values()].map((a) => a.ms).sort((a, b) => a - b);
  console.log(`advice time per query: median ${timed[Math.floor(timed.length / 2)]?.toFixed(1)} ms over ${timed.length} cases`);

  console.log(`\nworkload (${statements.length} statements, Σ calls × hypopg cost of the generic plan):`);
  console.log(statementTable(statements, costs));
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  const f = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  console.log(`\n${[...setLines('known best set', BEST_WORKLOAD_SET), ...setLines("OptiSchema's set", chosen)].join('\n')}`);
  console.log('each known best index’s worth (workload cost without it − with the whole set):');
  for (const w of worth) console.log(`  ${f(w.worth).padStart(12)}  ${w.ddl}`);
  const summary = 'crashed' in answer ? null : answer.workload;
  console.log(
    `\nworkload advisor: ${'crashed' in answer ? `CRASHED: ${answer.crashed}` : `${chosen.length} indexes, ${answer.errors.length} errors, source ${summary?.source}, ${summary?.analyzed} of ${summary?.statements} statements analyzed`} in ${adviseSeconds.toFixed(1)} s`,
  );
  if (!('crashed' in answer)) for (const e of answer.errors) console.log(`  error: ${e.error} (${e.query.slice(0, 100)})`);
  console.log(`budget ${mib(budgetBytes)} (${budgetMib} MiB × scale); hypopg sizes: known best ${mib(bytes.best!)}${bytes.best! > budgetBytes ? ' (OVER the budget)' : ''}, OptiSchema's ${mib(bytes.optischema!)}${summary ? ` (its own estimate ${mib(summary.sizeBytes)})` : ''}`);
  console.log(`estimated workload cost: as is ${f(costs.none!.total)}, known best ${f(costs.best!.total)}, OptiSchema's ${f(costs.optischema!.total)}`);
  console.log(`ratio OptiSchema / known best: ${ratio.toFixed(2)} (lower is better, 1.00 = as good as the best known); share of the best set's saving: ${(shareOfBestSaving * 100).toFixed(1)} %`);
  const hotShare = Number(hot[0]?.hot ?? 0) / Math.max(1, Number(hot[0]?.updates ?? 0));
  console.log(
    `write trap (${WRITE_TRAP_TABLE}: ${hot[0]?.updates} updates in the run, ${(hotShare * 100).toFixed(0)} % HOT): ${trapped.length === 0 ? 'pass, no index on it' : `FAIL: ${trapped.join('; ')}`}` +
      `; with writes free (msPerIndexEntry 0) the advisor would add: ${control === null ? 'n/a (failed)' : trappedWithoutWrites.length === 0 ? 'none' : trappedWithoutWrites.join('; ')}`,
  );
  for (const a of run.actions.filter((x) => x.errors > 0)) console.log(`  workload errors: ${a.action} ${a.errors} (${a.firstError})`);
  console.log(`\nbench: ${((performance.now() - started) / 1000).toFixed(0)} s wall clock`);

  if (values.json) {
    const report = {
      date: new Date().toISOString(),
      command: `node bench/saas-advice.ts ${process.argv.slice(2).join(' ')}`.trim(),
      machine,
      server,
      scale,
      load,
      tiers: { optischema: op, qualstats: qs },
      qualstats: { ...qualstats, args: QUALSTATS_ARGS },
      cases: scores.map((s) => ({ ...s, tier: cases.find((c) => c.id === s.id)?.tier })),
      rivals,
      workload: {
        run,
        statements,
        budgetBytes,
        sets,
        estimatedBytes: bytes,
        costs,
        ratio,
        shareOfBestSaving,
        bestWorth: worth,
        writeTrap: { table: WRITE_TRAP_TABLE, indexes: trapped, withoutWriteCosts: trappedWithoutWrites, updates: Number(hot[0]?.updates ?? 0), hotShare },
        advisor: 'crashed' in answer ? answer : { seconds: adviseSeconds, summary: answer.workload, errors: answer.errors, recommendations: answer.recommendations.map((r) => r.sql) },
      },
    };
    await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`results written to ${values.json}`);
  }
} finally {
  await pool?.end().catch(() => undefined);
  await client.end().catch(() => undefined);
  await close();
}
