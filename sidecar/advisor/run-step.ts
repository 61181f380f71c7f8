import type { Rows, Step } from '../../plv8/engine/protocol.ts';

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
 * is thrown into the step at its `yield`.
 *
 * @example
 *   const facts = await runStep(serverFacts(), pool); // { version: 150004, hypopg: true, plv8: false }
 */
export async function runStep<T>(step: Step<T>, db: StepQueryable): Promise<T> {
  let result = step.next();
  while (!result.done) {
    const request = result.value;
    let rows: Rows;
    try {
      ({ rows } = await db.query({ text: request.sql, values: [...(request.params ?? [])], queryMode: 'extended' }));
    } catch (error) {
      result = step.throw(error);
      continue;
    }
    result = step.next(rows);
  }
  return result.value;
}
