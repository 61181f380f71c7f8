/**
 * Measures how long one `optischema.snapshot()` takes as pg_stat_statements grows. Target: under
 * 100 ms for 5,000 statement entries.
 *
 *   node bench/collector-snapshot.ts [--sizes 1000,5000,10000] [--runs 5] [--changed 0.1] [--text-bytes 300]
 *
 * Starts a throwaway PostgreSQL (test/support/cluster.ts), raises pg_stat_statements.max above the
 * largest size (ALTER SYSTEM and a restart: the setting is read at server start), and for each size,
 * in a fresh database with OptiSchema installed:
 *   1. empties pg_stat_statements and runs that many distinct statements (each selects its own list
 *      of columns, so each gets its own queryid; a leading comment pads each text to about
 *      `--text-bytes`, as ORM and sqlcommenter tags do), then checks the entries are there;
 *   2. takes the baseline snapshot (the target's first: it stores counters, no history);
 *   3. `--runs` times: re-runs a `--changed` fraction of the statements (a different slice each
 *      time), then times `select * from optischema.snapshot()` from the client and reads the
 *      duration the function measured itself (snapshots.duration_ms).
 * Prints median and p95 (nearest rank; of 5 runs that is the slowest) per size, and where the time
 * went inside the snapshot: the nested statements' time from pg_stat_statements (track = all),
 * as a delta over the timed runs, per snapshot.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { databaseUrl, describeServer } from './support/server.ts';
import { median, percentile, table } from './support/stats.ts';

const TARGET_MS = 100;
const TARGET_SIZE = 5000;
const BREAKDOWN_LINES = 12;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,5000,10000' },
    runs: { type: 'string', default: '5' },
    changed: { type: 'string', default: '0.1' },
    'text-bytes': { type: 'string', default: '300' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const changedFraction = Number(values.changed);
const textBytes = Number(values['text-bytes']);
if (sizes.some((size) => !Number.isInteger(size) || size <= 0) || !(Number.isInteger(runs) && runs > 0) || !(changedFraction > 0 && changedFraction <= 1)) {
  console.error('usage: node bench/collector-snapshot.ts [--sizes 1000,5000,10000] [--runs 5] [--changed 0.1] [--text-bytes 300]');
  process.exit(2);
}
// Room above the largest size for the snapshot's own statements (track = all records them too), so
// nothing is evicted while measuring.
const pssMax = Math.max(10_000, Math.ceil(Math.max(...sizes) * 1.2));

/*
 * The generated statements: statement i selects columns c<a>, c<b>, c<c> (i's digits in base 32) of
 * bench.wide, so every i has its own query tree and queryid; the comment only lengthens the text.
 */
const SETUP_SQL = `
create schema bench;
create table bench.wide as
  select g as id, ${Array.from({ length: 32 }, (_, c) => `g + ${c} as c${c}`).join(', ')}
  from generate_series(1, 10) g;
create function bench.statement_text(i int, text_bytes int) returns text language sql immutable as $$
  select rpad(format('/* app=bench route=/statements/%s ', i), greatest(text_bytes - 80, 0), 'x') || ' */ ' ||
         format('select id, c%s, c%s, c%s from bench.wide where id = 1 order by id limit 5',
                i % 32, (i / 32) % 32, (i / 1024) % 32)
$$;
create function bench.run_statements(p_from int, p_count int, p_size int, text_bytes int) returns void language plpgsql as $$
begin
  for n in 0 .. p_count - 1 loop
    execute bench.statement_text((p_from + n) % p_size, text_bytes);
  end loop;
end
$$;`;

interface SizeResult {
  size: number;
  entries: number;
  meanTextBytes: number;
  baselineMs: number;
  changed: number[];
  clientMs: number[];
  serverMs: number[];
  breakdown: { query: string; msPerSnapshot: number; callsPerSnapshot: number }[];
}

const { cluster, url, close } = await privateCluster();
try {
  const admin = new pg.Client({ connectionString: url, application_name: 'optischema-bench-admin' });
  await admin.connect();
  await admin.query(`alter system set pg_stat_statements.max = ${pssMax}`);
  await admin.end();
  await cluster.stop();
  await cluster.start();

  const results: SizeResult[] = [];
  for (const size of sizes) {
    const database = `bench_${size}`;
    const adminAgain = new pg.Client({ connectionString: url, application_name: 'optischema-bench-admin' });
    await adminAgain.connect();
    if (results.length === 0) console.log(`server: ${await describeServer(adminAgain)}\n`);
    await adminAgain.query(`create database ${database}`);
    await adminAgain.end();
    const dbUrl = databaseUrl(url, database);
    await runMigrations(dbUrl);
    const client = new pg.Client({ connectionString: dbUrl, application_name: 'optischema-bench-snapshot' });
    await client.connect();
    try {
      results.push(await measure(client, size));
    } finally {
      await client.end();
    }
    const last = results.at(-1);
    if (last) console.log(`${size}: ${last.entries} entries, snapshot median ${median(last.serverMs).toFixed(1)} ms (server)`);
  }
  printSummary(results);
} finally {
  await close();
}

async function measure(db: pg.Client, size: number): Promise<SizeResult> {
  await db.query(SETUP_SQL);
  // Emptying pg_stat_statements is acceptable HERE ONLY: this is a private throwaway cluster and the
  // benchmark needs a known number of entries. OptiSchema itself never resets it (other tools read it).
  await db.query('select pg_stat_statements_reset()');
  await db.query('select bench.run_statements(0, $1, $1, $2)', [size, textBytes]);
  const { rows: counts } = await db.query<{ total: number; generated: number; mean_bytes: number }>(
    `select count(*)::int as total,
            count(*) filter (where query like '/* app=bench %')::int as generated,
            avg(length(query)) filter (where query like '/* app=bench %')::int as mean_bytes
     from pg_stat_statements(true) where dbid = (select oid from pg_database where datname = current_database())`,
  );
  const count = counts[0];
  if (!count || count.generated < size) {
    throw new Error(`pg_stat_statements holds ${count?.generated ?? 0} of the ${size} generated statements (pg_stat_statements.max ${pssMax})`);
  }

  const snapshot = async () => {
    const began = performance.now();
    const { rows } = await db.query<{ statements: number; changed: number; duration_ms: number }>('select * from optischema.snapshot()');
    const row = rows[0];
    if (!row) throw new Error('optischema.snapshot() returned no row');
    return { clientMs: performance.now() - began, ...row };
  };
  const baseline = await snapshot();

  const before = await nestedTimes(db);
  const slice = Math.max(1, Math.round(size * changedFraction));
  const result: SizeResult = {
    size, entries: baseline.statements, meanTextBytes: count.mean_bytes, baselineMs: baseline.duration_ms,
    changed: [], clientMs: [], serverMs: [], breakdown: [],
  };
  for (let run = 0; run < runs; run++) {
    await db.query('select bench.run_statements($1, $2, $3, $4)', [run * slice, slice, size, textBytes]);
    const taken = await snapshot();
    result.changed.push(taken.changed);
    result.clientMs.push(taken.clientMs);
    result.serverMs.push(taken.duration_ms);
    result.entries = taken.statements;
  }
  const after = await nestedTimes(db);
  result.breakdown = [...after]
    .map(([query, now]) => {
      const then = before.get(query) ?? { ms: 0, calls: 0 };
      return { query, msPerSnapshot: (now.ms - then.ms) / runs, callsPerSnapshot: (now.calls - then.calls) / runs };
    })
    .filter((line) => line.callsPerSnapshot > 0)
    .sort((a, b) => b.msPerSnapshot - a.msPerSnapshot)
    .slice(0, BREAKDOWN_LINES);
  return result;
}

/**
 * Cumulative time of the statements run inside the snapshot, keyed by a one-line prefix of their
 * text. Nested times overlap: a function's time includes the statements it runs.
 */
async function nestedTimes(db: pg.Client): Promise<Map<string, { ms: number; calls: number }>> {
  const { rows } = await db.query<{ query: string; ms: number; calls: number }>(
    `select regexp_replace(query, '\\s+', ' ', 'g') as query, total_exec_time as ms, calls::int as calls
     from pg_stat_statements(true)
     where dbid = (select oid from pg_database where datname = current_database()) and query ~* 'optischema'
       and query !~ 'pg_stat_statements\\(true\\) where dbid = \\(select oid from pg_database where datname = current_database\\(\\)\\) and query ~'`,
  );
  const times = new Map<string, { ms: number; calls: number }>();
  for (const row of rows) {
    const key = row.query.trim().slice(0, 90);
    const sum = times.get(key) ?? { ms: 0, calls: 0 };
    times.set(key, { ms: sum.ms + row.ms, calls: sum.calls + row.calls });
  }
  return times;
}

function printSummary(results: SizeResult[]): void {
  console.log(`\nsnapshot duration, ${runs} timed runs per size, each after re-running ${changedFraction * 100} % of the statements (ms)`);
  console.log(
    table(
      ['entries', 'changed', 'text bytes', 'baseline', 'server median', 'server p95', 'client median', 'client p95'],
      results.map((r) => [
        String(r.entries), String(median(r.changed)), String(r.meanTextBytes), r.baselineMs.toFixed(1),
        median(r.serverMs).toFixed(1), percentile(r.serverMs, 95).toFixed(1),
        median(r.clientMs).toFixed(1), percentile(r.clientMs, 95).toFixed(1),
      ]),
    ),
  );
  console.log('(entries: rows the snapshot read, generated statements plus the collector\'s own; server: snapshots.duration_ms; client: round trip)');

  for (const r of results) {
    console.log(`\nwhere the time goes at ${r.size} generated statements: nested statements, ms per timed snapshot (overlapping: outer includes inner)`);
    console.log(table(['statement (start of text)', 'ms', 'calls'], r.breakdown.map((b) => [b.query, b.msPerSnapshot.toFixed(1), b.callsPerSnapshot.toFixed(0)])));
  }

  const target = results.find((r) => r.size === TARGET_SIZE);
  if (target) {
    const p95 = percentile(target.serverMs, 95);
    const verdict = p95 < TARGET_MS ? 'met' : `MISSED by ${(p95 - TARGET_MS).toFixed(1)} ms (${((p95 / TARGET_MS - 1) * 100).toFixed(0)} %)`;
    console.log(`\ntarget: snapshot over ${TARGET_SIZE} entries under ${TARGET_MS} ms (server p95 ${p95.toFixed(1)} ms): ${verdict}`);
  }
}
