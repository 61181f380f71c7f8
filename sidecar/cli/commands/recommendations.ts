/**
 * The recommendation commands (issue 11 §5): list, validate, apply, roll back, dismiss. Each
 * transition is the database's own function (optischema.validate/apply/rollback/dismiss, which
 * check the state machine and write the audit log), called as the role of --db, the role that
 * installed OptiSchema. `--wait` follows the job to its end, with progress on stderr: the running
 * sidecar does the work, or, when none runs, this process does (only the recommendation jobs).
 */
import type { Command } from 'commander';
import type pg from 'pg';
import { openPool } from '../../database/connection.ts';
import { UsageError, UserError } from '../../errors.ts';
import { HEALTH_KINDS } from '../../health/finding.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { note, print, printJson } from '../output.ts';
import { resolveRecommendationId } from '../recommendation-id.ts';

const STATES = ['proposed', 'validating', 'validated', 'rejected', 'inconclusive', 'scheduled', 'applying', 'applied', 'failed', 'rolling_back', 'rolled_back', 'dismissed'];

interface ListRow {
  id: string;
  target: string;
  state: string;
  title: string;
  improvement_pct: string | null;
  measured_improvement_pct: string | null;
  state_reason: string | null;
  apply_at: Date | null;
  statement: string;
  kind: string;
  rule: string | null;
}

/** The advisors, as recommendations.kind names them. */
const KINDS: readonly string[] = ['index', ...HEALTH_KINDS];

export function registerRecommendations(program: Command): void {
  addDatabaseOptions(program.command('recommendations').description('list recommendations, newest first'))
    .option('--state <state>', `only those in this state (${STATES.join(', ')})`)
    .option('--kind <advisor>', `only this advisor's (${KINDS.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { state?: string; kind?: string; json?: boolean }) => {
      if (options.state !== undefined && !STATES.includes(options.state)) throw new UsageError(`--state must be one of ${STATES.join(', ')}; not ${options.state}`);
      if (options.kind !== undefined && !KINDS.includes(options.kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}; not ${options.kind}`);
      await withPool(options, async (pool) => {
        const { rows } = await pool.query<ListRow>(
          `select r.id, t.name as target, r.state, r.title, r.improvement_pct::text, r.measured_improvement_pct::text, r.state_reason,
                  r.apply_at, r.statement, r.kind, r.rule
             from optischema.recommendations r join optischema.targets t on t.id = r.target_id
            where ($1::text is null or r.state = $1) and ($2::text is null or r.kind = $2)
            order by r.updated_at desc, r.id`,
          [options.state ?? null, options.kind ?? null],
        );
        if (options.json) return printJson(rows);
        if (rows.length === 0) return print(options.state ? `no ${options.state} recommendations` : 'no recommendations yet');
        for (const r of rows) {
          const estimate = r.improvement_pct === null ? '' : ` est. −${Number(r.improvement_pct)}%`;
          const measured = r.measured_improvement_pct === null ? '' : ` measured −${Number(r.measured_improvement_pct)}%`;
          // A health finding's statement can be several lines of steps: its title says what it is.
          const what = r.kind === 'index' ? r.statement : `[${r.kind}] ${r.title}`;
          print(`${r.id.slice(0, 8)}  ${r.state.padEnd(12)} ${r.target}: ${what}${estimate}${measured}`);
          if (r.state_reason) print(`          ${r.state_reason}`);
        }
      });
    });

  addDatabaseOptions(program.command('validate').description('validate a recommendation in its target\'s sandbox').argument('<id>', 'recommendation id (or a unique prefix of it)'))
    .option('--wait', 'wait for the verdict, with progress on stderr')
    .action(async (given: string, options: DatabaseOptions & { wait?: boolean }) => {
      await transition(options, given, 'select state from optischema.validate($1)', [], options.wait === true);
    });

  addDatabaseOptions(program.command('apply').description('apply a validated recommendation to its target (now, or at --at)').argument('<id>', 'recommendation id (or a unique prefix of it)'))
    .option('--at <time>', 'apply at this time (a maintenance window), e.g. 2026-12-05T02:00Z')
    .option('--force', 'apply a recommendation that is not validated (needs --reason; audited)')
    .option('--reason <text>', 'why it must be applied without validation')
    .option('--wait', 'wait until it is applied (or failed), with progress on stderr')
    .action(async (given: string, options: DatabaseOptions & { at?: string; force?: boolean; reason?: string; wait?: boolean }) => {
      if (options.force && !options.reason) throw new UsageError('--force needs --reason TEXT: why it must be applied without validation');
      if (options.reason && !options.force) throw new UsageError('--reason goes with --force');
      const at = options.at === undefined ? null : parseTime(options.at);
      await transition(options, given, 'select state, apply_at from optischema.apply($1, coalesce($2::timestamptz, now()), $3)', [at, options.reason ?? null], options.wait === true);
    });

  addDatabaseOptions(program.command('rollback').description('roll an applied recommendation back with its stored rollback SQL').argument('<id>', 'recommendation id (or a unique prefix of it)'))
    .option('--wait', 'wait until it is rolled back, with progress on stderr')
    .action(async (given: string, options: DatabaseOptions & { wait?: boolean }) => {
      await transition(options, given, 'select state from optischema.rollback($1)', [], options.wait === true);
    });

  addDatabaseOptions(program.command('dismiss').description('dismiss a recommendation').argument('<id>', 'recommendation id (or a unique prefix of it)'))
    .requiredOption('--reason <text>', 'why it is dismissed')
    .action(async (given: string, options: DatabaseOptions & { reason: string }) => {
      await transition(options, given, 'select state from optischema.dismiss($1, $2)', [options.reason], false);
    });
}

async function transition(options: DatabaseOptions, given: string, sql: string, params: unknown[], wait: boolean): Promise<void> {
  await withPool(options, async (pool, url) => {
    const id = await resolveRecommendationId(pool, given);
    const { rows } = await pool.query<{ state: string; apply_at?: Date | null }>(sql, [id, ...params]);
    const row = rows[0]!;
    const when = row.apply_at && row.apply_at.getTime() > Date.now() + 1000 ? ` (at ${row.apply_at.toISOString()})` : '';
    note(`${id}: ${row.state}${when}`);
    if (!wait) return;
    // Loaded here: following a job may run it, with graphile-worker.
    const { followRecommendation } = await import('../recommendation-wait.ts');
    const final = await followRecommendation(pool, url, id, note);
    print(`${id}: ${final.state}${final.state_reason ? `: ${final.state_reason}` : ''}`);
    if (['failed', 'inconclusive', 'rejected'].includes(final.state)) process.exitCode = 1;
  });
}

async function withPool(options: DatabaseOptions, work: (pool: pg.Pool, url: string) => Promise<void>): Promise<void> {
  const database = await openDatabase(options);
  try {
    const pool = await openPool(database.url, { max: 4 });
    try {
      await work(pool, database.url);
    } finally {
      await pool.end();
    }
  } finally {
    await database.release();
  }
}

function parseTime(text: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UserError(`--at must be a date and time such as 2026-12-05T02:00Z, not ${text}`);
  return new Date(ms).toISOString();
}
