import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { WorkloadRecommendation } from '../../../plv8/advisor/workload/advise-workload.ts';
import { formatBytes } from '../../../plv8/advisor/recommendation/risk.ts';
import type { QueryAdviceResult } from '../../advisor/advise.ts';
import type { WorkloadAdvice } from '../../advisor/workload.ts';
import { openPool } from '../../database/connection.ts';
import { UsageError } from '../../errors.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { print, printJson } from '../output.ts';
import { parseInterval } from '../parse-interval.ts';
import { parseSize } from '../parse-size.ts';

interface AdviseCliOptions extends DatabaseOptions {
  json?: boolean;
  query: string[];
  file: string[];
  workload?: boolean;
  since?: string;
  budget?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerAdvise(program: Command): void {
  addDatabaseOptions(
    program
      .command('advise')
      .description(
        'suggest indexes from the planner\'s estimates with hypothetical indexes (hypopg): per query (literal values or $n ' +
          'parameters, as pg_stat_statements prints them), or one set for the whole workload (--workload)',
      ),
  )
    .option('--query <sql>', 'a query to advise on (repeatable)', collect, [])
    .option('--file <file.sql>', 'queries to advise on, separated by lines ending in ";" (repeatable)', collect, [])
    .option('--workload', "one set of indexes for the database's workload: OptiSchema's collected history, else pg_stat_statements")
    .option('--since <interval>', 'with --workload: the window of collected history, e.g. 30m, 1h, 2d (default 1h)')
    .option('--budget <size>', 'with --workload: at most this much index storage in all, e.g. 500MB, 2GB (default: no limit)')
    .option('--json', 'print the results as JSON')
    .action(async (options: AdviseCliOptions) => {
      if (options.workload) return adviseWorkloadCommand(options);
      if (options.since !== undefined || options.budget !== undefined) throw new UsageError('--since and --budget go with --workload');
      const queries = [...options.query];
      for (const file of options.file) queries.push(...splitStatements(await readFile(file, 'utf8')));
      if (queries.length === 0) throw new UsageError('nothing to advise on: give --query SQL or --file F.sql');
      const database = await openDatabase(options);
      try {
        const pool = await openPool(database.url, { max: 1 });
        const { adviseQueries } = await import('../../advisor/advise.ts');
        const report = await adviseQueries(pool, queries).finally(() => pool.end());
        if (options.json) printJson(report);
        else printReport(report.results);
      } finally {
        await database.release();
      }
    });
}

async function adviseWorkloadCommand(options: AdviseCliOptions): Promise<void> {
  if (options.query.length > 0 || options.file.length > 0) throw new UsageError('--workload advises on the whole workload: leave out --query and --file');
  const since = options.since === undefined ? '1 hours' : parseInterval(options.since);
  if (since === null) throw new UsageError(`--since ${options.since}: give a length of time such as 30m, 1h, 2d or "90 minutes"`);
  const budgetBytes = options.budget === undefined ? null : parseSize(options.budget);
  if (budgetBytes === null && options.budget !== undefined) throw new UsageError(`--budget ${options.budget}: give a size in bytes or with a unit, such as 500MB or 2GB`);
  const database = await openDatabase(options);
  try {
    const pool = await openPool(database.url, { max: 1 });
    const { adviseWorkload } = await import('../../advisor/workload.ts');
    const advice = await adviseWorkload(pool, { since, budgetBytes }).finally(() => pool.end());
    if (options.json) printJson(advice);
    else printWorkloadReport(advice);
  } finally {
    await database.release();
  }
}

/**
 * A file's statements: split where a line ends in `;`. A `;` at the end of a line inside a string
 * literal would split there too; such a statement then fails the parser check and says so.
 */
export function splitStatements(text: string): string[] {
  return text
    .split(/;[ \t]*\r?\n/)
    .map((s) => s.trim().replace(/;\s*$/, '').trim())
    .filter((s) => s !== '' && !/^(--[^\n]*\n?\s*)+$/.test(`${s}\n`));
}

function printReport(results: QueryAdviceResult[]): void {
  results.forEach((result, n) => {
    if (n > 0) print();
    print(`Query ${n + 1}: ${oneLine(result.query)}`);
    for (const error of result.errors) print(`  error: ${error}`);
    if (result.recommendations.length === 0 && result.errors.length === 0) {
      print('  no index to suggest: no candidate cut the estimated cost by 20% or more');
    }
    for (const r of result.recommendations) {
      print(`  ${r.sql};`);
      print(`    estimated cost ${r.costBefore} → ${r.costAfter} (−${r.improvementPct}%), index about ${r.sizeBytes} bytes (hypopg estimates)`);
      print(`    risk ${r.risk.reason}; writes: ${r.writeOverhead.summary}`);
      print(`    why: ${r.rationale}`);
      print(`    undo: ${r.rollbackSql};`);
    }
  });
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function printWorkloadReport(advice: WorkloadAdvice): void {
  const w = advice.workload;
  const window =
    w.source === 'collector'
      ? `OptiSchema's collected history since ${w.since} (${Math.round(w.windowSeconds)} s of snapshots)`
      : w.source === 'pg_stat_statements'
        ? `pg_stat_statements, cumulative since ${w.since ?? 'the server started'} (no collected history for this window)`
        : 'the statements given';
  print(`Workload: ${w.statements} statements from ${window}; ${w.analyzed} planned`);
  const budget = w.budgetBytes === null ? 'no budget' : `budget ${formatBytes(w.budgetBytes)}`;
  print(
    `Estimated with the suggested set (hypopg): calls-weighted cost ${w.costBefore} → ${w.costAfter} (−${w.improvementPct}%), ` +
      `time ${w.timeMs} ms → about ${w.estimatedTimeMsAfter} ms; ${advice.recommendations.length} index(es), ${formatBytes(w.sizeBytes)} (${budget})`,
  );
  if (advice.recommendations.length === 0) {
    print();
    print(`No index to suggest: no candidate saves at least 20% of the time of the statements it speeds up, net of its write overhead${w.budgetBytes === null ? '' : ', within the budget'}.`);
  }
  advice.recommendations.forEach((r, n) => printRecommendation(r, n + 1));
  if (advice.errors.length > 0) {
    print();
    print(`Statements that could not be analyzed (${advice.errors.length}):`);
    for (const e of advice.errors) print(`  ${oneLine(e.query)}\n    error: ${e.error}`);
  }
}

function printRecommendation(r: WorkloadRecommendation, n: number): void {
  print();
  print(`${n}. ${r.sql};`);
  print(`   serves ${r.queries.length} statement(s), about ${r.estimatedSavedMs} ms saved over the window; index about ${formatBytes(r.sizeBytes)}; writes about ${r.writeCostMs} ms; risk ${r.risk.reason}`);
  for (const q of r.queries) {
    print(`   - −${q.improvementPct}% (cost ${q.costBefore} → ${q.costAfter}), ${q.calls} calls × ${q.meanMs} ms: ${oneLine(q.query)}`);
  }
  print(`   why: ${r.rationale}`);
  print(`   undo: ${r.rollbackSql};`);
}
