import type { Rows, SqlRequest, Step } from '../engine/protocol.ts';
import { splitStatements } from '../engine/statement-text.ts';

/**
 * The synchronous host: drives a step inside PostgreSQL through plv8. No Node APIs here: this file
 * is bundled into every generated function and runs in plv8's bare V8 context, whose only
 * non-standard global is `plv8`.
 */

/** The part of plv8's global `plv8` object the host uses (see plv8_func.cc). */
export interface Plv8 {
  execute(sql: string, params?: readonly unknown[]): Rows | number;
  prepare(sql: string, types?: readonly string[]): Plv8Plan;
  elog(level: number, ...message: unknown[]): void;
}

export interface Plv8Plan {
  execute(params?: readonly unknown[]): Rows | number;
  cursor(params?: readonly unknown[]): Plv8Cursor;
  free(): void;
}

export interface Plv8Cursor {
  /** With a count, an array of up to `count` rows, or undefined when none are left. */
  fetch(count: number): Rows | undefined;
  close(): void;
}

/** Runs one request; throws the database error. */
export type ExecuteSync = (request: SqlRequest) => Rows;

/**
 * Drives `step` to its end, answering each request with `execute`. A failed request is thrown into
 * the step at its `yield`, so engine code may catch a SQLSTATE it expects.
 *
 * @example
 *   const facts = runStepSync(serverFacts(), (request) => fakeRows(request.sql, request.params));
 */
export function runStepSync<T>(step: Step<T>, execute: ExecuteSync): T {
  let result = step.next();
  while (!result.done) {
    const request = result.value;
    let rows: Rows;
    try {
      // One session: forked steps run one after the other in it (protocol.ts fork).
      rows = request.fork ? forkedResults(request.fork.steps, (inner) => runStepSync(inner, execute)) : execute(request);
    } catch (error) {
      result = step.throw(error);
      continue;
    }
    result = step.next(rows);
  }
  return result.value;
}

/**
 * How plv8 (one session) answers a fork: each step in turn, with `run` (the host's own
 * driver), the first failure rethrown after all have run.
 */
function forkedResults(steps: readonly Step<unknown>[], run: (step: Step<unknown>) => unknown): Rows {
  const outcomes = steps.map((step) => {
    try {
      return { value: run(step) };
    } catch (error) {
      return { error };
    }
  });
  const failed = outcomes.find((o) => 'error' in o);
  if (failed) throw failed.error;
  return outcomes.map((o) => ({ value: (o as { value: unknown }).value }));
}

const FETCH_BATCH = 1000;

/**
 * Runs exactly one statement through plv8. A cursor, not `plan.execute()`: SPI_prepare accepts
 * `select 1; select 2` and plan.execute runs both, while SPI_cursor_open refuses a multi-query
 * plan (42P11, "cannot open multi-query plan as cursor"). See the safety rule in protocol.ts.
 * `plv8.prepare(sql)` without types lets the parser infer parameter types, as node-postgres does.
 */
export function executeOneStatement(plv8: Plv8, sql: string, params: readonly unknown[]): Rows {
  const plan = plv8.prepare(sql);
  try {
    const cursor = plan.cursor(params);
    try {
      const rows: Rows[number][] = [];
      for (;;) {
        const batch = cursor.fetch(FETCH_BATCH);
        if (batch === undefined || batch.length === 0) break;
        rows.push(...batch);
        if (batch.length < FETCH_BATCH) break;
      }
      return rows;
    } finally {
      cursor.close();
    }
  } finally {
    plan.free();
  }
}

/**
 * Runs a command request (PREPARE, DEALLOCATE: no rows, so no cursor) with plv8.execute, which
 * would run every statement of its text: the lexical check makes sure there is exactly one.
 */
export function executeOneCommand(plv8: Plv8, sql: string, params: readonly unknown[]): Rows {
  const statements = splitStatements(sql);
  if (statements.length !== 1) throw new Error(`a command request must hold exactly one statement, not ${statements.length}`);
  plv8.execute(sql, params);
  return [];
}

/**
 * The generated functions pin `search_path = pg_catalog, pg_temp` (scripts/build-plv8.ts), so no
 * name in them resolves to someone else's object; but the statements a step plans (the user's
 * query, hypopg's functions) must resolve as they do for the sidecar host, whose connection has
 * the session's default search_path. So the step runs with that default (reset_val: the server's,
 * database's or role's setting, not a SET by the caller), between pg_catalog and pg_temp. Local:
 * the function's SET clause puts the pinned path back when the function returns.
 */
export const ANALYSIS_SEARCH_PATH_SQL = `select pg_catalog.set_config('search_path',
  pg_catalog.concat_ws(', ', 'pg_catalog', nullif(s.reset_val, ''), 'pg_temp'), true) as search_path
  from pg_catalog.pg_settings s where s.name = 'search_path'`;

/**
 * What every generated SQL function calls with plv8's global object and its own arguments.
 * plv8 runs each SPI call in a subtransaction of its own, so a request that fails (caught by the
 * step) leaves the caller's transaction usable for the next one.
 */
export function runInPlv8<T>(plv8: Plv8, step: Step<T>): T {
  executeOneStatement(plv8, ANALYSIS_SEARCH_PATH_SQL, []);
  return runStepSync(step, (request) =>
    request.command === true ? executeOneCommand(plv8, request.sql, request.params ?? []) : executeOneStatement(plv8, request.sql, request.params ?? []),
  );
}
