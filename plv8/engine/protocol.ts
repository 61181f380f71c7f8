/**
 * The sans-IO protocol between the advisor engine and the host that runs it.
 *
 * The engine never opens a connection and never awaits: each step is a generator that yields the
 * SQL it needs and receives the rows. Two hosts drive the same generators: the sidecar over
 * node-postgres (asynchronous, sidecar/advisor/run-step.ts) and plv8 inside PostgreSQL
 * (synchronous, plv8/host/plv8-host.ts).
 *
 * Glossary
 * - engine: the code under plv8/engine/: plain TypeScript, no Node APIs, no runtime dependencies,
 *   because the same text runs in plv8's bare V8 context.
 * - step: a generator (`Step<T>`) that yields SQL requests and returns a plain-data result `T`.
 * - request: one `SqlRequest`, one SQL statement with bind parameters.
 * - rows: what the host sends back for a request: plain objects keyed by column name.
 * - host: what runs a step against a database: it sends each request and resumes the generator
 *   with the rows, or throws the database error into the generator at the `yield`.
 * - entry point: a step exposed as a SQL function `optischema.engine_…` (plv8/entry-points.ts).
 *
 * Safety rule: a host runs each request as exactly ONE statement, so a request's text can never
 * smuggle a second command (`select 1; drop table t`).
 * - Node host: the extended query protocol, whose Parse message refuses several commands (42601).
 *   node-postgres uses it only when asked (`queryMode: 'extended'`): with an empty `values` array it
 *   falls back to the simple protocol, which runs every statement of the text.
 * - plv8 host: `plv8.prepare(sql).cursor(params)`. SPI_prepare accepts several statements and
 *   `plan.execute()` / `plv8.execute()` run them all; SPI_cursor_open refuses a multi-query plan
 *   (42P11). A cursor also needs a statement that returns rows, so every request returns rows
 *   (SELECT, VALUES, EXPLAIN, `select set_config(…)` rather than SET) unless it is a `command`.
 * - command requests (PREPARE and DEALLOCATE, which a generic plan needs and which return no rows):
 *   the Node host runs them like any other; the plv8 host runs them with `plv8.execute` after its
 *   own lexical check (statement-text.ts) has found exactly one statement in the text, since no
 *   SPI call that accepts a row-less statement refuses a second one.
 */

/** One SQL statement and its bind parameters (`$1`, `$2`, …). Values are never spliced into `sql`. */
export interface SqlRequest {
  sql: string;
  params?: readonly unknown[];
  /** The statement returns no rows (PREPARE, DEALLOCATE); the host answers with []. */
  command?: boolean;
  /** Not a statement (`sql` is empty): independent steps for the host to run (see `fork`). */
  fork?: Fork;
}

/** What `fork` hands the host. */
export interface Fork {
  steps: readonly Step<unknown>[];
  /** Makes a fresh session of the same database ready to run any of the steps (the planning guard).
   * A host prepares each session once per run: the forks of one run need the same preparation. */
  prepare: () => Step<void>;
}

/** One result row: column name → value as the host's driver decodes it. */
export type Row = Readonly<Record<string, unknown>>;

/** The rows a host sends back for one request. */
export type Rows = readonly Row[];

/**
 * A unit of engine logic: yields requests, receives rows, returns plain data.
 *
 * @example
 *   function* tableCount(): Step<number> {
 *     const rows = yield { sql: 'select count(*)::int as n from pg_class where relkind = $1', params: ['r'] };
 *     return Number(rows[0]?.n);
 *   }
 */
export type Step<T> = Generator<SqlRequest, T, Rows>;

/**
 * Runs steps that do not depend on each other and returns their results in the order given. A
 * host may run them side by side, each on one of its sessions of the same database (the Node host
 * opens a second one for an analysis: planning is CPU-bound in the server, one core per session),
 * or one after the other in its own session (plv8, which has one). A session other than the
 * caller's is made ready by `prepare` before its first step and closed when the host is done, so
 * what the steps leave in a session (hypothetical indexes, temporary functions) goes with it;
 * the caller's session must hold nothing the steps may not see. The steps must not rely on each
 * other's requests, and shared JavaScript state they touch must come out the same in any order
 * (caches of catalog facts do). If steps fail, each still runs, and the first failure in the
 * given order is thrown here.
 *
 * @example
 *   const costs = yield* fork(queries.map((q) => explainCost(q)), { prepare: () => openGuard(planners) });
 */
export function* fork<T>(steps: readonly Step<T>[], session: { prepare: () => Step<void> }): Step<T[]> {
  const rows = yield { sql: '', fork: { steps, prepare: session.prepare } };
  return rows.map((row) => row.value as T);
}

