import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDemo } from '../../sidecar/demo/load.ts';
import { runWorkload, type WorkloadSummary } from '../../sidecar/demo/workload.ts';
import { WORKLOAD_QUERIES } from '../../sidecar/demo/workload-queries.ts';
import { UserError } from '../../sidecar/errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  const client = await db.pool.connect();
  try {
    await loadDemo(client, { scale: 0.002 });
  } finally {
    client.release();
  }
  await db.pool.query('create extension if not exists pg_stat_statements');
});

afterAll(async () => {
  await db?.close();
});

async function count(table: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(`select count(*) as n from demo.${pg.escapeIdentifier(table)}`);
  return Number(rows[0]?.n);
}

function callsOf(summary: WorkloadSummary, kind: string): number {
  return summary.statements.find((statement) => statement.kind === kind)?.calls ?? 0;
}

/**
 * pg_stat_statements replaces every constant with $n, numbering after the statement's own
 * parameters; compare texts with both kinds of value reduced to "?".
 */
function normalize(text: string): string {
  return text
    .replace(/\$\d+/g, '?')
    .replace(/'[^']*'/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('runWorkload on a loaded demo', () => {
  let summary: WorkloadSummary;
  const before = { orders: 0, orderItems: 0, events: 0 };
  let timeouts: string[] = [];

  beforeAll(async () => {
    before.orders = await count('orders');
    before.orderItems = await count('order_items');
    before.events = await count('events');
    // Its own pool, ended afterwards: a session's statistics reach the views at the latest when it exits.
    const pool = new pg.Pool({ connectionString: db.url, max: 2, statement_timeout: 12_345 });
    try {
      summary = await runWorkload(pool, { seconds: 2, concurrency: 2 });
      // Both sessions went back to the pool: each must have its own timeout again, not the workload's.
      const sessions = await Promise.all([pool.connect(), pool.connect()]);
      for (const session of sessions) {
        const { rows } = await session.query<{ statement_timeout: string }>('show statement_timeout');
        timeouts.push(rows[0]?.statement_timeout ?? '');
        session.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('runs every kind of statement, without errors, for about the time asked', () => {
    expect(summary.statements.map((statement) => statement.kind)).toEqual(WORKLOAD_QUERIES.map((query) => query.kind));
    expect(summary.statements.filter((statement) => statement.errors > 0)).toEqual([]);
    for (const statement of summary.statements) expect(statement.calls, statement.kind).toBeGreaterThan(0);
    expect(summary.seconds).toBeGreaterThanOrEqual(2);
    expect(summary.seconds).toBeLessThan(6);
  });

  it('fills pg_stat_statements with every statement text', async () => {
    const { rows } = await db.pool.query<{ query: string; calls: string }>(
      `select query, calls from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())`,
    );
    for (const query of WORKLOAD_QUERIES) {
      const recorded = rows.filter((row) => normalize(row.query) === normalize(query.text));
      expect(recorded, query.kind).toHaveLength(1);
      expect(Number(recorded[0]?.calls), query.kind).toBeGreaterThanOrEqual(callsOf(summary, query.kind));
    }
  });

  it('writes only a few small rows, whatever the read speed', async () => {
    const writes = WORKLOAD_QUERIES.filter((query) => query.access === 'write').reduce((sum, query) => sum + callsOf(summary, query.kind), 0);
    const reads = summary.statements.reduce((sum, statement) => sum + statement.calls, 0) - writes;
    // Two writes a second across all sessions, the first at once.
    expect(writes).toBeLessThanOrEqual(2 * summary.seconds + 1);
    expect(reads).toBeGreaterThan(10 * writes);
    expect((await count('orders')) - before.orders).toBe(callsOf(summary, 'insert-order'));
    expect((await count('order_items')) - before.orderItems).toBe(callsOf(summary, 'insert-order'));
    expect((await count('events')) - before.events).toBe(callsOf(summary, 'insert-event'));
  });

  it("never scans the unused index, while the workload's key lookups do scan theirs", async () => {
    const scans = async () => {
      const { rows } = await db.pool.query<{ name: string; scans: string }>(
        `select indexrelname as name, idx_scan as scans from pg_stat_user_indexes
         where schemaname = 'demo' and indexrelname in ('events_created_at_idx', 'orders_pkey')`,
      );
      return Object.fromEntries(rows.map((row) => [row.name, Number(row.scans)]));
    };
    await vi.waitFor(async () => expect((await scans()).orders_pkey).toBeGreaterThan(0), { timeout: 15_000, interval: 250 });
    expect((await scans()).events_created_at_idx).toBe(0);
  });

  it("resets each session's statement_timeout before handing it back", () => {
    expect(timeouts).toEqual(['12345ms', '12345ms']);
  });
});

describe('runWorkload', () => {
  it('stops early when its signal aborts', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 300);
      const summary = await runWorkload(pool, { seconds: 60, signal: stop.signal });
      expect(summary.seconds).toBeLessThan(5);
      expect(summary.statements.reduce((sum, statement) => sum + statement.calls, 0)).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
  });

  it('keeps to its rate limit, however fast the statements run', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      const summary = await runWorkload(pool, { seconds: 1.5, concurrency: 2, ratePerSecond: 4 });
      const calls = summary.statements.reduce((sum, statement) => sum + statement.calls, 0);
      // Slots 1/4 s apart from the start: at most 1.5 × 4 + 1 statements begin within 1.5 s.
      expect(calls).toBeGreaterThan(0);
      expect(calls).toBeLessThanOrEqual(7);
    } finally {
      await pool.end();
    }
  });

  it.each([
    [{ seconds: 0 }, /^workload seconds must be a number greater than 0/],
    [{ seconds: Number.NaN }, /^workload seconds must be a number greater than 0/],
    [{ seconds: 5, concurrency: 0 }, /^workload concurrency must be a whole number from 1 to 64/],
  ])('rejects %o before using the pool', async (options, message) => {
    const fake = { query: vi.fn(), connect: vi.fn() };
    await expect(runWorkload(fake as unknown as pg.Pool, options)).rejects.toThrow(message);
    expect(fake.query).not.toHaveBeenCalled();
    expect(fake.connect).not.toHaveBeenCalled();
  });

  it('rejects a pool too small for the sessions asked for', async () => {
    const fake = { options: { max: 1 }, query: vi.fn(), connect: vi.fn() };
    await expect(runWorkload(fake as unknown as pg.Pool, { seconds: 1, concurrency: 2 })).rejects.toThrow(
      'workload concurrency 2 needs a pool of at least 2 connections (it has 1)',
    );
    expect(fake.connect).not.toHaveBeenCalled();
  });

  it('tells the user to load the demo first when it is missing', async () => {
    const empty = await createTestDatabase();
    try {
      const attempt = runWorkload(empty.pool, { seconds: 1 });
      await expect(attempt).rejects.toBeInstanceOf(UserError);
      await expect(attempt).rejects.toThrow('the demo dataset is not loaded in this database; run `optischema demo load` first');
    } finally {
      await empty.close();
    }
  });

  it('stops with an error, not a loop of failures, when a session is lost', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2, application_name: 'demo-workload-victim' });
    pool.on('error', () => undefined);
    try {
      setTimeout(() => {
        void db.pool.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'demo-workload-victim'`);
      }, 500);
      const attempt = runWorkload(pool, { seconds: 30 });
      await expect(attempt).rejects.toThrow(/^the demo workload stopped after \d+\.\d s: /);
    } finally {
      await pool.end();
    }
  });
});
