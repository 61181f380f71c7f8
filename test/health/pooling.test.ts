import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { poolingAdvisor, poolingAdvisorWith } from '../../sidecar/health/pooling/advisor.ts';
import { connectionPoolerFindings } from '../../sidecar/health/pooling/connection-pooler.ts';
import { POOLING_THRESHOLDS, type ActivityNow } from '../../sidecar/health/pooling/facts.ts';
import type { Finding } from '../../sidecar/health/finding.ts';
import { runHealth } from '../../sidecar/health/run-health.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const find = (findings: Finding[], rule: string) => findings.find((f) => f.rule === rule);

describe('pooling advisor on a real database', () => {
  let db: TestDatabase;
  let tenantId: string;
  const held: pg.Client[] = [];
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    const tenant = await db.pool.query<{ id: string }>(`insert into optischema.tenants (name, slug) values ('Pooling', 'pooling') returning id`);
    tenantId = tenant.rows[0]!.id;
  });
  afterAll(async () => {
    await Promise.all(held.map((c) => c.end().catch(() => undefined)));
    await db?.close();
  });

  const addTarget = async (name: string) =>
    (await db.pool.query<{ id: string }>(`insert into optischema.targets (tenant_id, name, secret_ref) values ($1, $2, 'env:POOLING_URL') returning id`, [tenantId, name])).rows[0]!.id;

  /** 24 samples, one every 5 minutes over the last 2 hours, of `connections` out of 100. */
  const plantSamples = (targetId: string, connections: number, idleInTransaction: (n: number) => number) =>
    db.pool.query(
      `insert into optischema.activity_samples (tenant_id, target_id, captured_at, active, idle, idle_in_transaction, idle_in_transaction_aborted,
         waiting, connections, max_connections)
       select $1, $2, now() - make_interval(mins => 5 * g), 6, $3 - 6 - idle_tx, idle_tx, 0, '{"Lock:transactionid": 1}', $3, 100
       from (select g, (array[${[...Array(24).keys()].map(idleInTransaction).join(',')}])[g + 1] as idle_tx from generate_series(0, 23) g) s`,
      [tenantId, targetId, connections],
    );

  it('no false alarm on a quiet server, unmonitored (it says it looked once)', async () => {
    const { findings, notes } = await poolingAdvisor.run({ target: db.pool });
    expect(find(findings, 'connection_pooler')).toBeUndefined();
    expect(find(findings, 'idle_in_transaction')).toBeUndefined();
    expect(notes.join('\n')).toContain('one look at pg_stat_activity');
  });

  it('samples at 80 % of max_connections over the last hours: PgBouncer, sized', async () => {
    const targetId = await addTarget('full');
    await plantSamples(targetId, 80, () => 0);
    const { findings } = await poolingAdvisorWith({ cores: 4 }).run({ target: db.pool, store: { db: db.pool, targetId } });
    const f = find(findings, 'connection_pooler');
    expect(f).toBeDefined();
    expect(f!.subject).toBe('server');
    expect(f!.risk).toBe('medium');
    expect(f!.rollbackSql).toBeNull();
    expect(f!.sql).toContain('-- pool_mode = transaction');
    expect(f!.sql).toContain('-- default_pool_size = 9'); // 4 cores × 2 + 1
    expect(f!.sql).toContain('-- max_client_conn = 120'); // peak 80 × 1.5
    expect(f!.sql.split('\n').every((line) => line.startsWith('--'))).toBe(true);
    expect(f!.rationale).toContain('80 of 100 max_connections (80 %');
    expect(f!.evidence).toMatchObject({ samples: { samples: 24, peakConnections: 80, peakRatio: 0.8 } });
    // Without the cores, the peak of active sessions (6) stands in: 6 × 2 + 1.
    const guessed = find((await poolingAdvisor.run({ target: db.pool, store: { db: db.pool, targetId } })).findings, 'connection_pooler');
    expect(guessed!.sql).toContain('-- default_pool_size = 13');
    expect(guessed!.rationale).toContain('the peak of active sessions observed');
  });

  it('samples at 30 %: no pooler; idle-in-transaction in half of them: a timeout', async () => {
    const targetId = await addTarget('calm');
    await plantSamples(targetId, 30, (n) => n % 2);
    const { findings } = await poolingAdvisor.run({ target: db.pool, store: { db: db.pool, targetId } });
    expect(find(findings, 'connection_pooler')).toBeUndefined();
    expect(find(findings, 'idle_in_transaction')?.evidence).toMatchObject({ sampleShare: 0.5, samples: 24 });
  });

  it('sessions held idle in a transaction now: a timeout, undone by RESET', async () => {
    for (let n = 0; n < 3; n++) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('begin');
      await client.query('select 1');
      held.push(client);
    }
    // The rule's 60 s age lowered to 0 s, so the test need not wait a minute.
    const { findings } = await poolingAdvisorWith({ idleInTransactionSeconds: 0 }).run({ target: db.pool });
    const f = find(findings, 'idle_in_transaction');
    expect(f).toBeDefined();
    expect(f!.subject).toBe('server');
    expect(f!.risk).toBe('medium');
    expect(f!.evidence.idleInTransactionLongNow).toBeGreaterThanOrEqual(3);
    expect(f!.sql).toBe("ALTER SYSTEM SET idle_in_transaction_session_timeout = '5min';\nSELECT pg_reload_conf();");
    const { rows } = await db.pool.query(`select source, setting from pg_settings where name = 'idle_in_transaction_session_timeout'`);
    expect(f!.rollbackSql).toBe(rows[0].source === 'default'
      ? 'ALTER SYSTEM RESET idle_in_transaction_session_timeout;\nSELECT pg_reload_conf();'
      : `ALTER SYSTEM SET idle_in_transaction_session_timeout = '${f!.evidence.currentTimeout}';\nSELECT pg_reload_conf();`);
    // The same through the health runner (READ ONLY, repeatable read).
    const client = await db.pool.connect();
    try {
      const report = await runHealth(client, { advisors: [poolingAdvisorWith({ idleInTransactionSeconds: 0 })] });
      expect(report.ran).toEqual(['pooling']);
      expect(find(report.findings, 'idle_in_transaction')).toBeDefined();
    } finally {
      client.release();
    }
    // With the default age (60 s) these fresh sessions are no finding yet.
    expect(find((await poolingAdvisor.run({ target: db.pool })).findings, 'idle_in_transaction')).toBeUndefined();
  });

  it('a timeout already at or below 5 min: no finding', async () => {
    const target = new pg.Client({ connectionString: db.url });
    await target.connect();
    try {
      // pg_settings shows this session's value; a session SET stands in for the server's.
      await target.query(`set idle_in_transaction_session_timeout = '1min'`);
      const { findings } = await poolingAdvisorWith({ idleInTransactionSeconds: 0 }).run({ target });
      expect(find(findings, 'idle_in_transaction')).toBeUndefined();
    } finally {
      await target.end();
    }
  });
});

describe('connection_pooler on recorded facts', () => {
  const now: ActivityNow = {
    database: 'shop', connections: 20, active: 4, idle: 16, idle_in_transaction: 0, idle_in_transaction_long: 0, longest_idle_in_transaction_s: null,
    waiting: {}, median_connection_age_s: 12, max_connections: 100, superuser_reserved_connections: 3,
    idle_timeout: { name: 'idle_in_transaction_session_timeout', setting: '0', unit: 'ms', context: 'user', boot_val: '0', reset_val: '0', source: 'default', pending_restart: false },
  };
  const sessions = (count: number, meanS: number, windowS: number) => ({
    sessions: count, session_time_ms: count * meanS * 1000, active_time_ms: 0, idle_in_transaction_time_ms: 0, sessions_abandoned: 0, stats_reset: new Date('2026-12-01T00:00:00Z'), window_s: windowS,
  });

  it('short-lived connections (2 s each, 100 a minute over an hour) call for a pooler', () => {
    const [f] = connectionPoolerFindings({ now, samples: null, sessions: sessions(6000, 2, 3600) }, POOLING_THRESHOLDS, 8);
    expect(f?.rationale).toContain('sessions last 2.0 s on average, 100.0 new ones a minute');
    expect(f?.sql).toContain('-- default_pool_size = 17');
  });

  it('long sessions, or a window too short to be a rate: none', () => {
    expect(connectionPoolerFindings({ now, samples: null, sessions: sessions(6000, 600, 3600) }, POOLING_THRESHOLDS, 8)).toEqual([]);
    expect(connectionPoolerFindings({ now, samples: null, sessions: sessions(60, 2, 30) }, POOLING_THRESHOLDS, 8)).toEqual([]);
  });

  it('many active sessions waiting now, and a server nearly full now', () => {
    const waiting = connectionPoolerFindings({ now: { ...now, active: 10, waiting: { Lock: 3, LWLock: 2 } }, samples: null, sessions: null }, POOLING_THRESHOLDS, 2);
    expect(waiting[0]?.rationale).toContain('5 of 10 active sessions are waiting now');
    const full = connectionPoolerFindings({ now: { ...now, connections: 95, idle: 91 }, samples: null, sessions: null }, POOLING_THRESHOLDS, 64);
    // 64 × 2 + 1 = 129 is capped at 100 − 3 − 5 = 92 so the pools fit below max_connections.
    expect(full[0]?.sql).toContain('-- default_pool_size = 92');
    expect(full[0]?.sql).toContain('-- max_client_conn = 150');
  });
});
