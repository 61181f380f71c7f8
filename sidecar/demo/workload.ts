import pg from 'pg';
import { messageOf } from '../errors.ts';
import { pickWeighted, type Draw } from './random.ts';
import { WORKLOAD_QUERIES, type WorkloadQuery } from './workload-queries.ts';
import { loadWorkloadSample, type WorkloadSample } from './workload-sample.ts';

export interface WorkloadOptions {
  seconds: number;
  /** At most this many statements a second across all sessions (default: as fast as they run). */
  ratePerSecond?: number;
  /** Sessions running statements at once; default 2; the pool must allow at least this many. */
  concurrency?: number;
  /** About every five seconds, one line on how far it got. */
  onProgress?: (message: string) => void;
  /** Stops the workload early; statements already running finish first. */
  signal?: AbortSignal;
}

export interface WorkloadSummary {
  /** Wall-clock seconds from the first statement to the last one's end. */
  seconds: number;
  /** One entry per kind of WORKLOAD_QUERIES, in that order, even when a kind never ran. */
  statements: { kind: string; calls: number; errors: number; firstError?: string }[];
}

export const DEFAULT_CONCURRENCY = 2;
const MAX_CONCURRENCY = 64;
/** Per session: a statement slower than this is cancelled and counted as an error. */
const STATEMENT_TIMEOUT = '30s';
/**
 * All sessions together write at most this often, whatever the read speed, so a run adds about
 * `seconds × 2` small rows however fast the reads are.
 */
const WRITES_PER_SECOND = 2;
const PROGRESS_EVERY_MS = 5_000;
/** The demo shop's application role (constraints.sql makes it where the loader may). */
export const DEMO_APP_ROLE = 'optischema_demo_app';
/**
 * Each session runs as the demo's application role when this login may become it, as an
 * application runs as its own role: pg_stat_statements then records that role as the statements'
 * author, and OptiSchema plans them with its rights (docs/security.md).
 */
const AS_DEMO_APP_SQL = `select case when exists (select from pg_catalog.pg_roles r where r.rolname = $1 and pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'))
                                     then pg_catalog.set_config('role', $1, false) end as role`;
/** SQLSTATEs after which the session is gone (class 08 also counts): the run stops instead of spinning. */
const SESSION_LOST = new Set(['57P01', '57P02', '57P03']);

/**
 * Runs the demo shop's statements (WORKLOAD_QUERIES) with parameters drawn from the loaded data for
 * `seconds`, on `concurrency` sessions of `pool`, so that pg_stat_statements fills with a realistic
 * mix. A statement's error is counted and the run goes on; losing a session stops the run with an
 * error. Each session gets a statement_timeout and has it reset before it returns to the pool.
 *
 * @example
 *   const summary = await runWorkload(pool, { seconds: 30 });
 *   summary.statements // [{ kind: 'customer-by-email', calls: 41, errors: 0 }, …]
 */
export async function runWorkload(pool: pg.Pool, options: WorkloadOptions): Promise<WorkloadSummary> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  validateWorkloadOptions(options.seconds, concurrency);
  // Each session holds a client for the whole run: a smaller pool would leave sessions waiting idle.
  const poolSize = pool.options?.max ?? 10;
  if (poolSize < concurrency) {
    throw new Error(`workload concurrency ${concurrency} needs a pool of at least ${concurrency} connections (it has ${poolSize})`);
  }
  const draw: Draw = Math.random;
  const sample = await loadWorkloadSample(pool, draw);

  const counts = new Map(WORKLOAD_QUERIES.map((query) => [query.kind, { kind: query.kind, calls: 0, errors: 0 } as Counts]));
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const run: RunState = {
    counts,
    chooser: queryChooser(started),
    failure: undefined,
    shouldStop: () => performance.now() >= deadline || (options.signal?.aborted ?? false) || run.failure !== undefined,
    pace: pacer(options.ratePerSecond, options.signal),
  };

  const progress = options.onProgress;
  const timer = progress ? setInterval(() => progress(progressLine(run, started)), PROGRESS_EVERY_MS) : undefined;
  try {
    await Promise.all(Array.from({ length: concurrency }, () => runSession(pool, sample, draw, run)));
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  if (run.failure) {
    throw new Error(`the demo workload stopped after ${seconds.toFixed(1)} s: ${messageOf(run.failure)}`, { cause: run.failure });
  }
  return { seconds, statements: [...counts.values()] };
}

/** Throws a plain Error with a one-line message for a bad duration or session count. */
export function validateWorkloadOptions(seconds: number, concurrency: number): void {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`workload seconds must be a number greater than 0 (got ${String(seconds)})`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new Error(`workload concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got ${String(concurrency)})`);
  }
}

interface Counts {
  kind: string;
  calls: number;
  errors: number;
  firstError?: string;
}

interface RunState {
  counts: Map<string, Counts>;
  chooser: (now: number, draw: Draw) => WorkloadQuery;
  /** The first lost session; set once, it stops every session. */
  failure: unknown;
  shouldStop: () => boolean;
  /** Waits for the next statement's turn under the rate limit (at once without one). */
  pace: () => Promise<void>;
}

/**
 * Spaces statements `1 / rate` s apart across every session: each takes the next free slot and
 * waits for it. The wait ends early when the workload is stopped.
 */
function pacer(rate: number | undefined, signal: AbortSignal | undefined): () => Promise<void> {
  if (rate === undefined) return async () => {};
  const interval = 1000 / rate;
  let next = performance.now();
  return () => {
    const now = performance.now();
    // A slow statement does not bank slots for a burst afterwards.
    next = Math.max(next, now);
    const wait = next - now;
    next += interval;
    if (wait <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  };
}

async function runSession(pool: pg.Pool, sample: WorkloadSample, draw: Draw, run: RunState): Promise<void> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    run.failure ??= error;
    return;
  }
  let lost: unknown;
  // A checked-out client reports a dead socket as an 'error' event; unheard, it would end the process.
  const onError = (error: Error) => {
    lost ??= error;
    run.failure ??= error;
  };
  client.on('error', onError);
  try {
    await client.query(`select set_config('statement_timeout', $1, false)`, [STATEMENT_TIMEOUT]);
    await client.query(AS_DEMO_APP_SQL, [DEMO_APP_ROLE]);
    while (!run.shouldStop()) {
      await run.pace();
      if (run.shouldStop()) break;
      const query = run.chooser(performance.now(), draw);
      const counts = run.counts.get(query.kind);
      if (!counts) throw new Error(`no counter for workload kind "${query.kind}"`);
      try {
        await client.query(query.text, query.params(sample, draw));
        counts.calls += 1;
      } catch (error) {
        if (isSessionLost(error)) throw error;
        counts.calls += 1;
        counts.errors += 1;
        counts.firstError ??= messageOf(error);
      }
    }
    await client.query('reset statement_timeout; reset role');
  } catch (error) {
    lost = error;
    run.failure ??= error;
  } finally {
    client.off('error', onError);
    // A broken client is destroyed (release(true)) rather than handed to the pool's next user.
    client.release(lost !== undefined);
  }
}

/**
 * Picks each next statement: a write when one is due (writes take turns, in proportion to their
 * weights, one every 1/WRITES_PER_SECOND s across all sessions), otherwise a read by weight.
 */
export function queryChooser(startedAt: number, queries: readonly WorkloadQuery[] = WORKLOAD_QUERIES) {
  const reads = queries.filter((query) => query.access === 'read').map((query) => ({ item: query, weight: query.weight }));
  const writeTurns = queries.filter((query) => query.access === 'write').flatMap((query) => Array<WorkloadQuery>(query.weight).fill(query));
  const interval = 1000 / WRITES_PER_SECOND;
  let nextWriteAt = startedAt;
  let turn = 0;
  return (now: number, draw: Draw): WorkloadQuery => {
    const write = writeTurns[turn % writeTurns.length];
    if (write && now >= nextWriteAt) {
      // Counted from now, not from the missed slot: after a slow read, writes do not catch up in a burst.
      nextWriteAt = now + interval;
      turn += 1;
      return write;
    }
    return pickWeighted(reads, draw);
  };
}

/** Errors that leave the session unusable: anything not from the server (the socket broke), or a shutdown. */
function isSessionLost(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return true;
  const code = error.code ?? '';
  return code.startsWith('08') || SESSION_LOST.has(code);
}

function progressLine(run: RunState, started: number): string {
  let calls = 0;
  let errors = 0;
  for (const counts of run.counts.values()) {
    calls += counts.calls;
    errors += counts.errors;
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  return `${seconds} s: ${calls} statements, ${errors} errors`;
}
