import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { adviseQueries, type QueryAdviceResult } from '../../advisor/advise.ts';
import { openPool } from '../../database/connection.ts';
import { UsageError } from '../../errors.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { print, printJson } from '../output.ts';

interface AdviseCliOptions extends DatabaseOptions {
  json?: boolean;
  query: string[];
  file: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerAdvise(program: Command): void {
  addDatabaseOptions(
    program
      .command('advise')
      .description('suggest indexes for queries from the planner\'s estimates with hypothetical indexes (hypopg); literal queries only, no $n'),
  )
    .option('--query <sql>', 'a query to advise on (repeatable)', collect, [])
    .option('--file <file.sql>', 'queries to advise on, separated by lines ending in ";" (repeatable)', collect, [])
    .option('--json', 'print the results as JSON')
    .action(async (options: AdviseCliOptions) => {
      const queries = [...options.query];
      for (const file of options.file) queries.push(...splitStatements(await readFile(file, 'utf8')));
      if (queries.length === 0) throw new UsageError('nothing to advise on: give --query SQL or --file F.sql');
      const database = await openDatabase(options);
      try {
        const pool = await openPool(database.url, { max: 1 });
        const report = await adviseQueries(pool, queries).finally(() => pool.end());
        if (options.json) printJson(report);
        else printReport(report.results);
      } finally {
        await database.release();
      }
    });
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
      print(`    why: ${r.rationale}`);
      print(`    undo: ${r.rollbackSql};`);
    }
  });
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
