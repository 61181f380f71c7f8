/**
 * The health advisors' precision and recall (issue 14 §5).
 *
 *   node bench/health-advisors.ts [--json FILE]
 *
 * Starts a throwaway PostgreSQL (test/support/cluster.ts) and runs every advisor with its default
 * thresholds (the one exception, partitioning's 10 GB floor, is not planted: see docs/benchmarks.md):
 *  1. clean: bench/health/clean.sql — keys everywhere, foreign keys indexed, columns aligned, every
 *     index used — on a server tuned by PgTune's formulas for 4 GB (random_page_cost 1.1, SSD).
 *     Every finding is a false alarm.
 *  2. planted: bench/health/planted.sql plus what SQL alone cannot plant (an INVALID index from a
 *     failed concurrent build, 15 of max_connections 20 sessions open, 2 idle in a transaction), on
 *     the server's defaults. planted.expect.json lists what must be found: recall; anything else
 *     found is listed for review.
 *  3. plan insights: the shapes of test/plans/insights/record.ts planned live (EXPLAIN ANALYZE) and
 *     judged against their expect.json rules, and the clean database's own statements, which must
 *     give none.
 *  4. the demo shop (scale 0.05) after 20 s of its workload: what each advisor says, for review.
 * The idle-in-transaction age threshold is lowered to 0 s for part 2 (the bench does not wait a minute).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { planInsights, type InsightRoot } from '../plv8/plan/insights/index.ts';
import { loadDemo } from '../sidecar/demo/load.ts';
import { runWorkload } from '../sidecar/demo/workload.ts';
import type { Advisor, Finding } from '../sidecar/health/finding.ts';
import { poolingAdvisorWith } from '../sidecar/health/pooling/advisor.ts';
import { defaultAdvisors, runHealth, type HealthReport } from '../sidecar/health/run-health.ts';
import { pgtune } from '../sidecar/health/settings/pgtune.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { SETUP_ROWS, SETUP_SQL, SHAPES, STATISTICS_SQL, tableStats } from '../test/plans/insights/record.ts';
import { describeMachine } from './support/machine.ts';
import { databaseUrl } from './support/server.ts';
import { table } from './support/stats.ts';

const { values } = parseArgs({ options: { json: { type: 'string' } } });
const MEMORY = 4 * 1024 ** 3;
const KINDS = ['plan_insight', 'index_hygiene', 'schema', 'pooling', 'setting'] as const;
const started = performance.now();
const here = (file: string) => new URL(`./health/${file}`, import.meta.url);
const keyOf = (f: Finding) => `${f.kind}/${f.rule}/${f.subject}`;

const { cluster, url, close } = await privateCluster();
/** The server's settings, from its defaults: names and values are this file's constants. */
const restartWith = async (settings: Record<string, string>) => {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('alter system reset all');
  for (const [name, value] of Object.entries(settings)) await admin.query(`alter system set ${name} = '${value}'`);
  await admin.end();
  await cluster.stop();
  await cluster.start();
};

/** A fresh database loaded from one of bench/health/*.sql, statement by statement (VACUUM refuses a transaction). */
async function database(name: string, sqlFile?: string): Promise<pg.Client> {
  const a = new pg.Client({ connectionString: url });
  await a.connect();
  await a.query(`drop database if exists ${name} with (force)`);
  await a.query(`create database ${name}`);
  await a.end();
  const client = new pg.Client({ connectionString: databaseUrl(url, name) });
  await client.connect();
  await client.query('create extension if not exists pg_stat_statements; create extension if not exists pgstattuple');
  if (sqlFile) await client.query(readFileSync(here(sqlFile), 'utf8'));
  return client;
}

async function check(client: pg.Client, advisors?: Advisor[]): Promise<HealthReport> {
  await client.query('select pg_stat_force_next_flush()');
  return runHealth(client, { memoryBytes: MEMORY, storage: 'ssd', cores: 2, ...(advisors ? { advisors } : {}) });
}

// 1. Clean, on a server PgTune would approve of.
const tuned = pgtune({ memoryBytes: MEMORY, maxConnections: 100, maxWorkerProcesses: 8, workload: 'web' });
await restartWith({
  ...Object.fromEntries(Object.entries(tuned).map(([name, bytes]) => [name, `${Math.floor(bytes / 1024)}kB`])),
  random_page_cost: '1.1',
});
const clean = await database('health_clean', 'clean.sql');
await clean.query('vacuum analyze');
const CLEAN_STATEMENTS = [
  ...Array.from({ length: 20 }, (_, i) => `select title, body from shop."Documents" where id = ${i + 1}`),
  'select title from shop."Documents" where id = 99',
  'select count(*) from shop.events where kind = 7 and amount = 5',
  'select id, total from shop.orders where customer_id = 42',
  'select email from shop.customers where id = 9',
];
await clean.query('select pg_stat_statements_reset()');
for (const statement of CLEAN_STATEMENTS) await clean.query(statement);
const cleanReport = await check(clean);
const cleanPlans: { query: string; rules: string[] }[] = [];
for (const query of new Set(CLEAN_STATEMENTS.slice(20))) {
  const { rows } = await clean.query<{ 'QUERY PLAN': InsightRoot[] }>(`explain (analyze, buffers, verbose, format json) ${query}`);
  cleanPlans.push({ query, rules: planInsights(rows[0]!['QUERY PLAN'][0]!, { query }).map((i) => i.rule) });
}
await clean.end();

// 2. Planted, on the server's defaults with a small max_connections.
await restartWith({ max_connections: '20' });
const planted = await database('health_planted', 'planted.sql');
await planted.query('create unique index concurrently tickets_subject_key on shop.tickets (subject)').catch(() => undefined);
await planted.query('analyze');
await planted.query('select pg_stat_statements_reset()');
for (let i = 1; i <= 20; i++) await planted.query(`select id, title from shop."Documents" where id = ${i}`);
await planted.query('select body from shop."Documents" where id = 1');
await planted.query('select count(*) from shop.events where seen and amount = 5');
await planted.query('delete from shop.customers where id in (5, 6, 7)');
const held: pg.Client[] = [];
// 15 of max_connections 20 besides the advisor's own session: above the 70 % a pooler is advised at.
for (let i = 0; i < 15; i++) {
  const session = new pg.Client({ connectionString: databaseUrl(url, 'health_planted') });
  await session.connect();
  if (i < 2) await session.query('begin; select 1');
  held.push(session);
}
const advisors = (await defaultAdvisors()).map((a) => (a.kind === 'pooling' ? poolingAdvisorWith({ idleInTransactionSeconds: 0 }) : a));
const plantedReport = await check(planted, advisors);
for (const session of held) await session.end();
await planted.end();
const expected: string[] = (JSON.parse(readFileSync(here('planted.expect.json'), 'utf8')) as { findings: string[] }).findings;
const found = new Set(plantedReport.findings.map(keyOf));

// 3. Plan insights on planted plan shapes, planned live.
const plans = await database('health_plans');
const run = async (sql: string) => {
  for (const s of sql.split(/;\n/).map((t) => t.replace(/^--.*$/gm, '').trim()).filter(Boolean)) await plans.query(s);
};
/** Waits until this session's writes show in pg_stat_user_tables (PostgreSQL 15 flushes them lazily). */
const countersReach = async (counter: string, tables: Record<string, number>) => {
  for (let tries = 0; ; tries++) {
    await plans.query('select pg_stat_force_next_flush()');
    const { rows } = await plans.query<{ relname: string; n: number }>(`select relname, ${counter}::int as n from pg_stat_user_tables`);
    if (Object.entries(tables).every(([t, n]) => (rows.find((r) => r.relname === t)?.n ?? 0) >= n)) return;
    if (tries > 100) throw new Error(`${counter} never reached ${JSON.stringify(tables)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
await run(SETUP_SQL);
await countersReach('n_tup_ins', SETUP_ROWS);
await run(STATISTICS_SQL);
await countersReach('n_mod_since_analyze', { stale: 39_000 });
const planCases: { file: string; expected: string[]; found: string[] }[] = [];
for (const shape of SHAPES) {
  const want = (JSON.parse(readFileSync(new URL(`../test/plans/insights/${shape.file}.expect.json`, import.meta.url), 'utf8')) as { insights: { rule: string }[] }).insights.map((i) => i.rule);
  await plans.query('begin');
  let root: InsightRoot;
  try {
    for (const [name, value] of Object.entries(shape.settings ?? {})) await plans.query('select set_config($1, $2, true)', [name, value]);
    root = (await plans.query<{ 'QUERY PLAN': InsightRoot[] }>(`explain (analyze, buffers, verbose, format json) ${shape.query}`)).rows[0]!['QUERY PLAN'][0]!;
  } finally {
    await plans.query('rollback');
  }
  const got = planInsights(root, { query: shape.query, tables: await tableStats(plans, shape.tables) }).map((i) => i.rule);
  planCases.push({ file: shape.file, expected: [...new Set(want)].sort(), found: [...new Set(got)].sort() });
}
await plans.end();

// 4. The demo shop.
const demo = await database('health_demo');
await demo.query('create extension if not exists hypopg');
await loadDemo(demo, { scale: 0.05 });
const demoPool = new pg.Pool({ connectionString: databaseUrl(url, 'health_demo'), max: 3 });
await runWorkload(demoPool, { seconds: 20 });
await demoPool.end();
const demoReport = await check(demo);
await demo.end();
await close();

// The report.
const byKind = (report: HealthReport, kind: string) => report.findings.filter((f) => f.kind === kind);
const planHits = planCases.reduce((n, c) => n + c.expected.filter((r) => c.found.includes(r)).length, 0);
const planWant = planCases.reduce((n, c) => n + c.expected.length, 0);
const planMissed = planCases.flatMap((c) => c.expected.filter((r) => !c.found.includes(r)).map((r) => `${c.file}: ${r}`));
const planExtra = planCases.flatMap((c) => c.found.filter((r) => !c.expected.includes(r)).map((r) => `${c.file}: ${r}`));
const cleanInsights = cleanPlans.flatMap((p) => p.rules.map((r) => `${p.query}: ${r}`));
// Plan insights judge plans, not the catalog: their row is the live plans of part 3.
const planRow = ['plan_insight (live plans)', `${planHits}/${planWant}`, planMissed.join(', ') || '–', planExtra.join(', ') || '–', `${cleanInsights.length} on ${cleanPlans.length} plans`];
const plantedRows = KINDS.filter((k) => k !== 'plan_insight').map((kind) => {
  const want = expected.filter((e) => e.startsWith(`${kind}/`));
  const hit = want.filter((e) => found.has(e));
  const extra = byKind(plantedReport, kind).map(keyOf).filter((k) => !expected.includes(k));
  return [kind, `${hit.length}/${want.length}`, want.filter((e) => !found.has(e)).join(', ') || '–', extra.join(', ') || '–', String(byKind(cleanReport, kind).length)];
});

console.log(`# Health advisors (${describeMachine()}; ${((performance.now() - started) / 1000).toFixed(0)} s in all)\n`);
console.log(table(['advisor', 'recall (planted)', 'missed', 'found beyond the plan', 'false alarms (clean)'], [planRow, ...plantedRows]));
console.log('\nClean database, every finding and plan insight (false alarms):');
for (const f of cleanReport.findings) console.log(`  ${keyOf(f)}: ${f.title}`);
for (const line of cleanInsights) console.log(`  ${line}`);
console.log('\nDemo shop (scale 0.05, 20 s of its workload):');
for (const kind of KINDS) console.log(`  ${kind}: ${byKind(demoReport, kind).map((f) => `${f.rule} ${f.subject}`).join('; ') || 'nothing'}`);
console.log('\nNotes on the planted run:');
for (const note of plantedReport.notes) console.log(`  ${note}`);
if (values.json) writeFileSync(values.json, JSON.stringify({ cleanReport, plantedReport, planCases, cleanPlans, demoReport, expected }, null, 2));
