/**
 * The closed loop on the embedded demo, from `optischema start` (issue 11 §8): how long each stage
 * takes — slow query seen → recommended → sandbox ready → validated → applied → realized gain —
 * and the sandbox's before/after medians of the first applied index.
 *
 *   node bench/demo-loop.ts [--scale 1] [--timeout 600] [--fresh-clone] [--json]
 *
 * Starts OptiSchema on a fresh embedded cluster in a temporary home (the demo loads, its workload
 * runs in the background, its policy validates and applies by itself), reads OptiSchema's own tables
 * once a second, and stops at the first measured realized gain (or the timeout). Times are seconds
 * since the start command was spawned. Target: the first applied, validated index within 180 s.
 *
 * A browser (Debian's Chromium) watches the web app's list of recommendations from the moment the
 * server answers: `validatedInBrowser` is when the first validated one (or one already scheduled or
 * applied after its validation) shows on that page (it updates live; the page is never reloaded). Target (issue 12): at most 180 s from the first README
 * command. With --fresh-clone the command is the README's own, `npm start`, in a new clone of this
 * checkout (so its set-up installs the npm packages and builds the web app first).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { launchBrowser } from '../test/support/browser.ts';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, timeout: { type: 'string', default: '600' }, 'fresh-clone': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
});
const BIN = new URL('../bin/optischema.js', import.meta.url).pathname;
const home = await mkdtemp(path.join(os.tmpdir(), 'optischema-loop-'));
await chmod(home, 0o711);
const env = { ...process.env, OPTISCHEMA_HOME: path.join(home, 'home'), DATABASE_URL: '' };
const dataDir = path.join(home, 'pg');
const port = String(20000 + Math.floor(Math.random() * 20000));
const started = performance.now();
const since = () => Math.round((performance.now() - started) / 100) / 10;

const children: ChildProcess[] = [];
const startArgs = ['start', '--port', port, '--data-dir', dataDir, '--demo-scale', values.scale!];
let start: ChildProcess;
if (values['fresh-clone']) {
  const clone = path.join(home, 'clone');
  execFileSync('git', ['clone', '-q', new URL('..', import.meta.url).pathname, clone]);
  // `npm start -- …`: the README's first command, with the bench's port and data directory.
  // Its own process group: Ctrl-C in a terminal signals npm and the OptiSchema it runs alike.
  start = spawn('npm', ['start', '--', ...startArgs.slice(1)], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
} else {
  start = spawn(process.execPath, [BIN, ...startArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}
children.push(start);
let log = '';
start.stdout!.on('data', (d) => (log += d));
start.stderr!.on('data', (d) => (log += d));

const stages: Record<string, number> = {};
let client: pg.Client | null = null;
let browser: Awaited<ReturnType<typeof launchBrowser>> | null = null;
try {
  while (!/OptiSchema is running at/.test(log)) {
    if (start.exitCode !== null) throw new Error(`optischema start exited:\n${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  stages.started = since();
  // `optischema start` runs the demo application's traffic itself, at its bounded rate.
  // The embedded cluster keeps its password beside its data directory.
  const password = (await readFile(`${dataDir}.password`, 'utf8')).trim();
  const pgPort = /127\.0\.0\.1:(\d+)/.exec(log)![1];
  client = new pg.Client({ connectionString: `postgres://optischema:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/optischema` });
  await client.connect();
  const deadline = Number(values.timeout) * 1000;
  browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(`http://localhost:${port}/recommendations`);
  // Validated, or already past it: the demo's policy applies a validated index within seconds.
  const validatedOrLater = /^(validated|scheduled|applying|applied)$/;
  const inBrowser = async () => {
    if (stages.validatedInBrowser !== undefined) return;
    const states = await page.getByTestId('recommendation-row').getByTestId('state').allTextContents();
    if (states.some((s) => validatedOrLater.test(s.trim()))) stages.validatedInBrowser = since();
  };
  const first = async (stage: string, sql: string) => {
    if (stages[stage] !== undefined) return;
    const { rows } = await client!.query(sql);
    if (rows[0]?.found) stages[stage] = since();
  };
  while (performance.now() - started < deadline) {
    await first('slowQuerySeen', 'select exists (select from optischema.slow_queries_found) as found');
    await first('recommended', 'select exists (select from optischema.recommendations) as found');
    await first('sandboxReady', `select exists (select from optischema.sandboxes where state = 'ready') as found`);
    await first('validated', `select exists (select from optischema.audit_log where action = 'recommendation.validated') as found`);
    await first('applied', `select exists (select from optischema.recommendations where state = 'applied') as found`);
    await first('realizedGain', `select exists (select from optischema.changes where realized_at is not null) as found`);
    await inBrowser();
    if (stages.realizedGain !== undefined && stages.validatedInBrowser !== undefined) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const { rows: sandbox } = await client.query(`select strategy, build_ms, size_bytes from optischema.sandboxes`);
  const { rows: applied } = await client.query(`
    select r.statement, r.improvement_pct::float8 as estimated_pct, r.measured_improvement_pct::float8 as measured_pct,
           c.realized_improvement_pct::float8 as realized_pct, c.realized,
           (select jsonb_agg(jsonb_build_object('query', left(s ->> 'query', 80), 'beforeMs', s -> 'before' -> 'medianMs', 'afterMs', s -> 'after' -> 'medianMs'))
              from jsonb_array_elements(r.validation -> 'statements') s where s ->> 'role' = 'served') as medians
      from optischema.recommendations r join optischema.changes c on c.recommendation_id = r.id order by c.applied_at limit 1`);
  const { rows: states } = await client.query(`select state, count(*)::int as n from optischema.recommendations group by state order by state`);
  // The sidecar's own log: one line per meaningful event (job completions are debug lines).
  const logLinesPerMinute = Math.round((log.split('\n').filter(Boolean).length / since()) * 60);
  const result = { scale: Number(values.scale), command: values['fresh-clone'] ? 'npm start (fresh clone)' : 'optischema start', stagesSeconds: stages, logLinesPerMinute, firstAppliedWithin180s: (stages.applied ?? Infinity) <= 180, validatedInBrowserWithin180s: (stages.validatedInBrowser ?? Infinity) <= 180, sandbox: sandbox[0] ?? null, firstApplied: applied[0] ?? null, recommendations: states };
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`demo loop at scale ${values.scale}, seconds since \`${result.command}\`:`);
    for (const [stage, s] of Object.entries(stages)) console.log(`  ${stage.padEnd(14)} ${s.toFixed(1).padStart(6)}`);
    console.log(`sandbox: ${JSON.stringify(result.sandbox)}`);
    console.log(`first applied: ${JSON.stringify(result.firstApplied, null, 2)}`);
    console.log(`recommendations by state: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}`);
    console.log(`start's log: ${logLinesPerMinute} lines a minute`);
  }
} finally {
  await browser?.close().catch(() => undefined);
  await client?.end().catch(() => undefined);
  for (const child of children.reverse()) {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      if (values['fresh-clone'] && child === start && child.pid) process.kill(-child.pid, 'SIGINT');
      else child.kill('SIGINT');
      await exited;
    }
  }
  await rm(home, { recursive: true, force: true });
}
