import type pg from 'pg';
import { closeGuard, guardedPlan, openGuard, type GuardedPlan, type PlanKind } from '../../plv8/engine/guard/guarded-plan.ts';
import { choosePlanners, isPlanner, type AuthorRef, type Planner } from '../../plv8/engine/guard/planners.ts';
import { ensureAnalysisRole } from '../advisor/ensure-analysis-role.ts';
import { runStep } from '../advisor/run-step.ts';
import { inRolledBackTransaction, type TransactionLimits } from './rolled-back-transaction.ts';
import { StatementError } from './statement-check.ts';

/** What a guarded session offers its action: the chosen planner, and planning as it. */
export interface GuardedSession {
  planner: Planner;
  plan(kind: PlanKind, statement: string, extra?: { checkText?: string; values?: readonly (string | null)[] | null }): Promise<GuardedPlan>;
}

/**
 * Runs `action` in a transaction that is always rolled back, with the planning guard open for the
 * planner of `authors` (most calls first; empty: this session's own role). Every EXPLAIN of a
 * statement OptiSchema did not write goes through here or through the engine's steps, which use
 * the same guard (plv8/engine/guard/). A statement no role may plan for is refused with
 * StatementError, whose message says what to grant.
 *
 * @example
 *   const plan = await inGuardedSession(client, ['16390'], limits, ({ plan }) => plan('generic', 'select * from t where id = $1'));
 */
export async function inGuardedSession<T>(
  client: pg.ClientBase,
  authors: readonly AuthorRef[],
  limits: TransactionLimits,
  action: (session: GuardedSession) => Promise<T>,
): Promise<T> {
  const db = client;
  await ensureAnalysisRole(client);
  // read write: the guard creates its temporary functions; it makes its own subtransaction READ
  // ONLY before anyone else's code runs, and everything is rolled back.
  return inRolledBackTransaction(client, { ...limits, mode: 'read write' }, async () => {
    const [choice] = await runStep(choosePlanners([authors]), db);
    if (!choice || !isPlanner(choice)) throw new StatementError(choice?.refused ?? 'no role to plan the statement as');
    await runStep(openGuard([choice]), db);
    try {
      return await action({ planner: choice, plan: (kind, statement, extra) => runStep(guardedPlan(choice, kind, statement, extra), db) });
    } finally {
      // The rollback drops the guard too; closing it first keeps an aborted transaction's error the one reported.
      await runStep(closeGuard(), db).catch(() => undefined);
    }
  });
}
