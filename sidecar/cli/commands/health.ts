import { Option, type Command } from 'commander';
import { openPool, redactUrl } from '../../database/connection.ts';
import { UsageError } from '../../errors.ts';
import { HEALTH_KINDS, type Finding, type HealthKind } from '../../health/finding.ts';
import type { HealthReport } from '../../health/run-health.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { print, printJson } from '../output.ts';
import { parseSize } from '../parse-size.ts';

interface HealthCliOptions extends DatabaseOptions {
  json?: boolean;
  kind: string[];
  memory?: string;
  cores?: string;
  storage?: 'ssd' | 'hdd';
  replica: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `optischema health`: every health advisor on one database, once, printed as recommendations
 * (kind = the advisor). Nothing is stored and nothing is changed; exit 0 whatever is found, 1 only
 * when the database cannot be reached. On a database where OptiSchema is installed, its own
 * monitoring of that database (captured plans, activity samples) is used as well.
 */
export function registerHealth(program: Command): void {
  addDatabaseOptions(
    program
      .command('health')
      .description('run every health advisor (plan insights, index hygiene, schema, pooling, settings) on a database once and print what it finds'),
  )
    .option('--json', 'print the report as JSON')
    .option('--kind <advisor>', `only this advisor (repeatable): ${HEALTH_KINDS.join(', ')}`, collect, [])
    .option('--memory <size>', "the server's RAM, e.g. 16GB (memory settings are checked only when it is given)")
    .option('--cores <n>', "the server's CPU cores (pool sizes)")
    .addOption(new Option('--storage <kind>', 'what the data sits on (random_page_cost)').choices(['ssd', 'hdd']))
    .option('--replica <url>', 'a read replica to check index usage on as well (repeatable)', collect, [])
    .action(async (options: HealthCliOptions) => {
      const unknown = options.kind.filter((k) => !(HEALTH_KINDS as readonly string[]).includes(k));
      if (unknown.length) throw new UsageError(`--kind ${unknown[0]}: the advisors are ${HEALTH_KINDS.join(', ')}`);
      const memoryBytes = options.memory === undefined ? null : parseSize(options.memory);
      if (options.memory !== undefined && memoryBytes === null) throw new UsageError(`--memory ${options.memory}: give a size such as 16GB or 512MB`);
      const cores = options.cores === undefined ? null : Number(options.cores);
      if (cores !== null && !(Number.isInteger(cores) && cores > 0 && cores <= 4096)) throw new UsageError(`--cores ${options.cores}: give a whole number of cores`);
      const database = await openDatabase(options);
      const pools = [];
      try {
        const pool = await openPool(database.url, { max: 2 });
        pools.push(pool);
        const replicas = [];
        for (const url of options.replica) {
          const replica = await openPool(url, { max: 1 });
          pools.push(replica);
          replicas.push({ name: redactUrl(url), db: replica });
        }
        const { runHealth } = await import('../../health/run-health.ts');
        const { localStore } = await import('../../health/local-store.ts');
        const client = await pool.connect();
        let report: HealthReport;
        try {
          const store = await localStore(pool);
          report = await runHealth(client, {
            ...(options.kind.length ? { kinds: options.kind as HealthKind[] } : {}),
            ...(store ? { store } : {}),
            memoryBytes,
            cores,
            storage: options.storage ?? null,
            replicas,
          });
        } finally {
          client.release();
        }
        if (options.json) printJson(report);
        else printReport(report, database.url);
      } finally {
        await Promise.all(pools.map((p) => p.end()));
        await database.release();
      }
    });
}

function printReport(report: HealthReport, url: string): void {
  print(`OptiSchema health: ${redactUrl(url)}`);
  for (const kind of report.ran) {
    const found = report.findings.filter((f) => f.kind === kind);
    print('');
    print(`${kind}: ${found.length === 0 ? 'nothing found' : `${found.length} finding${found.length === 1 ? '' : 's'}`}`);
    for (const finding of found) printFinding(finding);
  }
  if (report.notes.length) {
    print('');
    print('Notes:');
    for (const line of report.notes) print(`  ${line}`);
  }
  print('');
  print(`${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} from ${report.ran.length} advisor${report.ran.length === 1 ? '' : 's'}.`);
}

function printFinding(finding: Finding): void {
  print(`  [${finding.risk} risk] ${finding.title}  (${finding.rule})`);
  print(`      ${finding.rationale}`);
  for (const line of finding.sql.split('\n')) print(`      ${line}`);
  if (finding.rollbackSql) print(`      rollback: ${finding.rollbackSql.split('\n').join(' ')}`);
  if (finding.needsRestart) print('      needs a restart of PostgreSQL');
}
