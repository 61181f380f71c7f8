/**
 * The index selection evaluation platform (Kossmann et al., PVLDB 2020; github.com/hyrise/
 * index_selection_evaluation): its research implementations of Extend, Relaxation, DB2Advis,
 * AutoAdmin and Dexter's algorithm, run on the bench's own cluster, so that OptiSchema and they see
 * the same data, the same statistics and the same hypopg.
 *
 * The platform generates and loads TPC-H itself (its tpch-kit submodule's dbgen, tables without
 * keys, `analyze` with a fixed seed) into `indexselection_tpch___<sf>`, generates the queries with
 * qgen's default substitutions (`qgen -c -d`), runs each algorithm and writes one CSV row per
 * configuration to benchmark_results/. It needs Python 3 with psycopg2 (Debian: python3-psycopg2)
 * and reaches the server through libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The algorithms compared, with the platform's own parameters for TPC-H (its example config:
 * max_index_width 2). Budgets in the platform's MB (10^6 bytes). */
export function platformConfig(scale: number, budgetsMb: readonly number[], queries: readonly number[]): object {
  const budget = { budget_MB: [...budgetsMb], max_index_width: 2 };
  return {
    database_system: 'postgres',
    benchmark_name: 'tpch',
    scale_factor: scale,
    pickle_workload: true,
    algorithms: [
      { name: 'no_index', parameters: {}, timeout: 300 },
      { name: 'extend', parameters: budget, timeout: 300 },
      { name: 'relaxation', parameters: budget, timeout: 300 },
      { name: 'db2advis', parameters: { ...budget, try_variations_seconds: 0 }, timeout: 300 },
      { name: 'auto_admin', parameters: { max_indexes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], max_indexes_naive: 1, max_index_width: 2 }, timeout: 300 },
      { name: 'dexter', parameters: { min_saving_percentage: [10, 50, 90, 95, 99] }, timeout: 300 },
    ],
    queries: [...queries],
  };
}

export interface PlatformResult {
  algorithm: string;
  /** The configuration's parameters as the platform printed them (a budget, an index count…). */
  parameters: string;
  /** The budget in bytes when the configuration had one. */
  budgetBytes: number | null;
  /** The algorithm's own run time, seconds (the platform's "algorithm runtime"). */
  seconds: number;
  /** hypopg's estimated size of the chosen indexes, bytes. */
  sizeBytes: number;
  /** Σ of the queries' estimated costs with the chosen indexes, as the platform measured it. */
  cost: number;
  /** The chosen indexes as CREATE INDEX statements. */
  indexes: string[];
}

/** libpq's environment for the platform's psycopg2 connections, from a postgres:// URL. */
export function libpqEnvironment(url: string): Record<string, string> {
  const u = new URL(url);
  return {
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
  };
}

/**
 * Runs the platform in `dir` (a git checkout with its tpch-kit submodule) on the server at `url`,
 * forwarding its log lines to `onLine`. Returns every configuration's result.
 */
export async function runPlatform(
  dir: string,
  url: string,
  config: object,
  options: { python?: string; onLine?: (line: string) => void } = {},
): Promise<PlatformResult[]> {
  const results = path.join(dir, 'benchmark_results');
  for (const name of await readdir(results)) if (/^results_.*\.csv$/.test(name)) await rm(path.join(results, name));
  const configFile = path.join(dir, 'optischema-tpch.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  // The platform imports SAP HANA's driver at start-up for its HANA connector, which a PostgreSQL
  // run never uses and which is not packaged for Debian: an empty module of that name satisfies
  // the import (any use would fail on a missing attribute).
  const shim = await mkdtemp(path.join(os.tmpdir(), 'optischema-tpch-'));
  await writeFile(path.join(shim, 'pyhdb.py'), '# Placeholder for the platform\'s unused HANA connector import.\n');
  await new Promise<void>((resolve, reject) => {
    // INFO_LOG: the algorithms' progress without every cost request.
    const child = spawn(options.python ?? '/usr/bin/python3', ['-m', 'selection', configFile, 'INFO_LOG'], {
      cwd: dir,
      env: { ...process.env, ...libpqEnvironment(url), PYTHONPATH: [shim, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const last: string[] = [];
    const forward = (chunk: Buffer) => {
      tail += chunk.toString();
      const lines = tail.split('\n');
      tail = lines.pop()!;
      for (const line of lines) {
        options.onLine?.(line);
        last.push(line);
        if (last.length > 20) last.shift();
      }
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`the platform exited with ${code}:\n${[...last, tail].join('\n')}`))));
  }).finally(() => rm(shim, { recursive: true, force: true }));
  const out: PlatformResult[] = [];
  for (const name of (await readdir(results)).filter((n) => /^results_.*\.csv$/.test(n)).sort()) {
    out.push(...parseResults(await readFile(path.join(results, name), 'utf8')));
  }
  return out;
}

/** The platform's CSV (`;`-separated, a header row): one result per row. */
export function parseResults(csv: string): PlatformResult[] {
  const [header, ...rows] = csv.trim().split('\n');
  const columns = header!.split(';');
  const at = (name: string) => columns.indexOf(name);
  const queries = columns.flatMap((c, i) => (/^q\d+$/.test(c) ? [i] : []));
  return rows.map((row) => {
    const cells = row.split(';');
    const parameters = cells[at('parameters')]!;
    const budget = /"budget_MB": (\d+(?:\.\d+)?)/.exec(parameters);
    return {
      algorithm: cells[at('algorithm name')]!,
      parameters,
      budgetBytes: budget ? Number(budget[1]) * 1e6 : null,
      seconds: Number(cells[at('algorithm runtime')]),
      sizeBytes: Number(cells[at('memory consumption')]),
      cost: queries.reduce((sum, i) => sum + queryCost(cells[i]!), 0),
      indexes: indexStatements(cells[at('indexed columns')]!),
    };
  });
}

/** A query's cell: `{"Cost": 1234.5, …}` as Python printed it (quotes made double). */
function queryCost(cell: string): number {
  const match = /"Cost": ([\d.e+-]+)/.exec(cell);
  if (!match) throw new Error(`no cost in the platform's cell ${cell.slice(0, 80)}`);
  return Number(match[1]);
}

/**
 * `[I(C lineitem.l_orderkey,C lineitem.l_shipdate), I(C orders.o_custkey)]` as
 * `create index on lineitem (l_orderkey, l_shipdate)`, …
 */
export function indexStatements(cell: string): string[] {
  return [...cell.matchAll(/I\(([^)]*)\)/g)].map((m) => {
    const columns = m[1]!.split(',').map((c) => c.trim().replace(/^C /, ''));
    const table = columns[0]!.split('.')[0]!;
    return `create index on ${table} (${columns.map((c) => c.split('.')[1]).join(', ')})`;
  });
}

/**
 * The queries the platform generated, from the workload it pickled (`pickle_workload`): number
 * and text, as it costs them.
 */
export async function platformQueries(dir: string, options: { python?: string } = {}): Promise<{ nr: number; text: string }[]> {
  const results = path.join(dir, 'benchmark_results');
  const pickle = (await readdir(results)).find((n) => /^workload_tpch_\d+_queries\.pickle$/.test(n));
  if (!pickle) throw new Error(`the platform pickled no workload in ${results}`);
  const script = [
    'import json, pickle, sys',
    `workload = pickle.load(open(sys.argv[1], "rb"))`,
    'print(json.dumps([{"nr": q.nr, "text": q.text} for q in workload.queries]))',
  ].join('\n');
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(options.python ?? '/usr/bin/python3', ['-c', script, path.join(results, pickle)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`reading the pickled workload failed: ${stderr}`))));
  });
  return JSON.parse(output) as { nr: number; text: string }[];
}
