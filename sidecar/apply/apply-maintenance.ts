/**
 * Applying (or rolling back) a health recommendation's maintenance or setting statements on the
 * target: each statement checked by maintenance-statements.ts, then run on its own (autocommit:
 * VACUUM refuses a transaction block), with the apply session's bounded lock and statement waits
 * and its advisory lock keyed on the recommendation's subject, so two appliers of one finding take
 * turns. A failure stops at that statement; the ones before it are reported as run.
 */
import type pg from 'pg';
import { toApplyError } from './apply-errors.ts';
import { resolveSettings, withApplySession, type ApplySettings } from './apply-session.ts';
import { maintenanceStatements } from './maintenance-statements.ts';
import { StatementLog } from './statement-log.ts';

export interface AppliedMaintenance {
  /** Every statement that ran, in order. */
  statements: string[];
  /** Wall-clock time on the sidecar (performance.now()), lock waits included. */
  ms: number;
}

/**
 * @example
 *   await applyMaintenance(client, 'public.events', 'ALTER TABLE public.events SET (autovacuum_vacuum_scale_factor = 0.01);')
 *   // { statements: ['ALTER TABLE public.events SET (autovacuum_vacuum_scale_factor = 0.01)'], ms: 12 }
 */
export async function applyMaintenance(target: pg.ClientBase, subject: string, text: string, settings?: ApplySettings): Promise<AppliedMaintenance> {
  const started = performance.now();
  const resolved = resolveSettings(settings);
  const statements = await maintenanceStatements(text);
  const log = new StatementLog(target);
  try {
    await withApplySession(target, `health:${subject}`, resolved, async () => {
      for (const statement of statements) await log.run(statement.sql);
    });
    return { statements: log.statements, ms: performance.now() - started };
  } catch (error) {
    const failed = statements[log.statements.length];
    const applyError = toApplyError(error, { doing: `running ${failed?.what ?? 'the statements'} for ${subject}`, lockTimeoutMs: resolved.lockTimeoutMs });
    applyError.statements = log.statements;
    throw applyError;
  }
}
