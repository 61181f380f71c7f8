/**
 * One health check of a database: every advisor, one after the other, on one session of the target
 * inside one READ ONLY transaction with a statement timeout, each advisor behind its own savepoint
 * so that one failing read (a view the role may not see, a timeout) costs that advisor only. What an
 * advisor could not do is a note in the report, not a failure of the check.
 */
import type pg from 'pg';
import { messageOf } from '../errors.ts';
import type { Advisor, Finding, HealthInput, HealthKind } from './finding.ts';

export interface HealthReport {
  /** The advisors that ran to the end (their kinds): the store dismisses their findings no longer reported. */
  ran: HealthKind[];
  findings: Finding[];
  /** One line per advisor note or failure: "index_hygiene: …". */
  notes: string[];
}

export interface RunHealthOptions extends Omit<HealthInput, 'target'> {
  /** Only these advisors (default: all). */
  kinds?: readonly HealthKind[];
  /** statement_timeout of each read; default 15 s. */
  statementTimeoutMs?: number;
  /** The advisors to run; default the five of defaultAdvisors(). */
  advisors?: readonly Advisor[];
}

const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;

/** The five advisors with their default thresholds, loaded on demand (the CLI starts fast without them). */
export async function defaultAdvisors(): Promise<Advisor[]> {
  const [plan, indexes, schema, pooling, settings] = await Promise.all([
    import('./plan-insights/advisor.ts'),
    import('./index-hygiene/advisor.ts'),
    import('./schema/advisor.ts'),
    import('./pooling/advisor.ts'),
    import('./settings/advisor.ts'),
  ]);
  return [plan.planInsightAdvisor, indexes.indexHygieneAdvisor, schema.schemaAdvisor, pooling.poolingAdvisor, settings.settingsAdvisor];
}

/**
 * @example
 *   const client = await pool.connect();
 *   try {
 *     const report = await runHealth(client, { memoryBytes: 16 * 2 ** 30 });
 *     // { ran: ['plan_insight', 'index_hygiene', …], findings: [{ kind: 'index_hygiene', rule: 'unused_index', … }], notes: [...] }
 *   } finally { client.release(); }
 */
export async function runHealth(target: pg.ClientBase, options: RunHealthOptions = {}): Promise<HealthReport> {
  const advisors = (options.advisors ?? (await defaultAdvisors())).filter((a) => !options.kinds || options.kinds.includes(a.kind));
  const report: HealthReport = { ran: [], findings: [], notes: [] };
  await target.query('begin transaction isolation level repeatable read read only');
  try {
    await target.query('select set_config($1, $2, true)', ['statement_timeout', String(options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS)]);
    await target.query("select set_config('lock_timeout', '2000', true)");
    const { kinds: _kinds, statementTimeoutMs: _timeout, advisors: _advisors, ...given } = options;
    const input: HealthInput = { ...given, target };
    for (const advisor of advisors) {
      await target.query('savepoint health_advisor');
      try {
        const result = await advisor.run(input);
        await target.query('release savepoint health_advisor');
        report.ran.push(advisor.kind);
        report.findings.push(...result.findings);
        report.notes.push(...result.notes.map((note) => `${advisor.kind}: ${note}`));
      } catch (error) {
        await target.query('rollback to savepoint health_advisor');
        report.notes.push(`${advisor.kind}: not checked: ${messageOf(error)}`);
      }
    }
  } finally {
    // Read only: rolling back loses nothing and ends the snapshot.
    await target.query('rollback').catch(() => undefined);
  }
  return report;
}
