import type { Fork, Rows, Step } from '../../plv8/engine/protocol.ts';

/**
 * What the Node host needs of a database: a query that takes a config object, so it can ask for
 * the extended protocol. pg.Pool, pg.Client and a transaction's client all fit.
 *
 * Not the shared Queryable (`query(text, params)`): node-postgres sends `query(text, [])` through
 * the simple protocol, which runs every statement in the text (see the safety rule in protocol.ts).
 */
export interface StepQueryable {
  query(config: ExtendedQuery): Promise<{ rows: Rows[number][] }>;
}

interface ExtendedQuery {
  text: string;
  values: unknown[];
  /** node-postgres: always Parse/Bind/Execute, even without parameters. PostgreSQL's Parse refuses several commands. */
  queryMode: 'extended';
}

/**
 * Drives an engine step over node-postgres: each request runs as one statement; a failed request
 * is thrown into the step at its `yield`. The steps of a fork (protocol.ts) run side by side on
 * `db` and the `helpers` (other sessions of the same database, each prepared once before its first
 * step; the caller closes them afterwards), or on `db` alone when there are none.
 *
 * @example
 *   const facts = await runStep(serverFacts(), pool); // { version: 150004, hypopg: true, plv8: false }
 */
export async function runStep<T>(step: Step<T>, db: StepQueryable, helpers: readonly StepQueryable[] = []): Promise<T> {
  return drive(step, db, { helpers, prepared: new Set(), unusable: new Set() });
}

interface Sessions {
  helpers: readonly StepQueryable[];
  prepared: Set<StepQueryable>;
  /** Helpers whose preparation failed: they take no steps. */
  unusable: Set<StepQueryable>;
}

async function drive<T>(step: Step<T>, db: StepQueryable, sessions: Sessions): Promise<T> {
  let result = step.next();
  while (!result.done) {
    const request = result.value;
    let rows: Rows;
    try {
      if (request.fork) rows = await runFork(request.fork, db, sessions);
      else ({ rows } = await db.query({ text: request.sql, values: [...(request.params ?? [])], queryMode: 'extended' }));
    } catch (error) {
      result = step.throw(error);
      continue;
    }
    result = step.next(rows);
  }
  return result.value;
}

/** Every step of the fork, each taken by the next free session; the first failure in order is thrown. */
async function runFork(fork: Fork, db: StepQueryable, sessions: Sessions): Promise<Rows> {
  const outcomes: ({ value: unknown } | { error: unknown })[] = new Array(fork.steps.length);
  let next = 0;
  // A step runs on one session from start to end; forks inside it run there, one step after another.
  const alone: Sessions = { helpers: [], prepared: sessions.prepared, unusable: sessions.unusable };
  const work = async (session: StepQueryable): Promise<void> => {
    if (session !== db && !sessions.prepared.has(session)) {
      if (sessions.unusable.has(session)) return;
      try {
        await drive(fork.prepare(), session, alone);
        sessions.prepared.add(session);
      } catch {
        sessions.unusable.add(session);
        return;
      }
    }
    while (next < fork.steps.length) {
      const n = next++;
      try {
        outcomes[n] = { value: await drive(fork.steps[n]!, session, alone) };
      } catch (error) {
        outcomes[n] = { error };
      }
    }
  };
  await Promise.all([db, ...sessions.helpers].map(work));
  const failed = outcomes.find((o) => 'error' in o);
  if (failed && 'error' in failed) throw failed.error;
  return outcomes.map((o) => ({ value: (o as { value: unknown }).value }));
}
