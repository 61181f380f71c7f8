import type pg from 'pg';
import { inGuardedSession } from '../../sidecar/plans/guarded-session.ts';
import { inRolledBackTransaction } from '../../sidecar/plans/rolled-back-transaction.ts';

export interface GuardOverhead {
  statements: number;
  /** Median ms of a plain EXPLAIN in a rolled-back transaction, as OptiSchema planned before the guard. */
  plainMs: number;
  /** Median ms of the same EXPLAIN through the planning guard, one session each (install, plan, close). */
  guardedSessionMs: number;
  /** Median ms of one more guarded EXPLAIN in an open guard: what each further plan of an analysis costs. */
  guardedPlanMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * The planning guard's cost, side by side in one run: each literal statement planned plainly, in a
 * fresh guarded session, and once more inside that session's open guard.
 */
export async function measureGuardOverhead(client: pg.ClientBase, statements: readonly string[], authors: readonly string[]): Promise<GuardOverhead> {
  const limits = { statementTimeoutMs: 10_000, lockTimeoutMs: 2_000 };
  const plain: number[] = [];
  const session: number[] = [];
  const again: number[] = [];
  for (const statement of statements) {
    let t = performance.now();
    await inRolledBackTransaction(client, limits, () => client.query(`explain (verbose, format json) ${statement}`));
    plain.push(performance.now() - t);
    t = performance.now();
    await inGuardedSession(client, authors, limits, async ({ plan }) => {
      await plan('explain', statement);
      session.push(performance.now() - t);
      const t2 = performance.now();
      await plan('explain', statement);
      again.push(performance.now() - t2);
    });
  }
  return { statements: statements.length, plainMs: median(plain), guardedSessionMs: median(session), guardedPlanMs: median(again) };
}
