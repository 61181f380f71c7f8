/**
 * Rule connection_pooler: the server needs PgBouncer in front of it when it gets full (connections
 * above a share of max_connections), when connections are short-lived (each costs a fork and a
 * backend's start-up), or when a large share of the running sessions wait. The finding sizes the
 * pools; no SQL installs a pooler, so its `sql` is the pgbouncer.ini snippet as comments.
 *
 * Pool size (the field notes: cores × 2 + disks, one disk assumed): default_pool_size = cores × 2 + 1.
 * Without options.cores, the observed peak of active sessions stands in for the cores: the server
 * never ran more statements at once, so that is the concurrency it has served.
 */
import type { Finding } from '../finding.ts';
import type { PoolingFacts, PoolingThresholds } from './facts.ts';

/** Connections kept out of the pools for maintenance, replication and OptiSchema itself. */
export const ADMIN_HEADROOM = 5;
/** max_client_conn: the peak of client connections with 50 % to spare, at least PgBouncer's default of 100. */
export const CLIENT_HEADROOM = 1.5;
export const MIN_MAX_CLIENT_CONN = 100;

export function connectionPoolerFindings(facts: PoolingFacts, thresholds: PoolingThresholds, cores: number | undefined): Finding[] {
  const { now, samples, sessions } = facts;
  const sampled = samples !== null && samples.samples >= thresholds.minSamples ? samples : null;
  const reasons: string[] = [];
  const evidence: Record<string, unknown> = {
    now: { connections: now.connections, active: now.active, idle: now.idle, idleInTransaction: now.idle_in_transaction, waiting: now.waiting, maxConnections: now.max_connections, medianConnectionAgeSeconds: now.median_connection_age_s, source: 'pg_stat_activity, one look now (all databases)' },
    thresholds,
  };
  const pct = (x: number) => `${Math.round(x * 100)} %`;

  // How full: the samples' peak when there are enough of them, else now.
  const ratioNow = now.connections / now.max_connections;
  if (sampled && sampled.peak_ratio !== null) {
    evidence.samples = {
      samples: sampled.samples, hours: sampled.hours, firstAt: sampled.first_at?.toISOString() ?? null, lastAt: sampled.last_at?.toISOString() ?? null,
      peakConnections: sampled.peak_connections, peakRatio: sampled.peak_ratio, p95Ratio: sampled.p95_ratio, peakActive: sampled.peak_active,
      source: `OptiSchema's activity samples of the target over the last ${sampled.hours} h`,
    };
    if (sampled.peak_ratio > thresholds.connectionShare) {
      reasons.push(`connections peaked at ${sampled.peak_connections} of ${sampled.max_connections} max_connections (${pct(sampled.peak_ratio)}; 95th percentile ${pct(sampled.p95_ratio ?? 0)}) over ${sampled.samples} activity samples in the last ${sampled.hours} h`);
    }
  }
  if (!reasons.length && ratioNow > thresholds.connectionShare) {
    reasons.push(`${now.connections} of ${now.max_connections} max_connections are in use now (${pct(ratioNow)}, one look at pg_stat_activity)`);
  }

  // Short-lived connections.
  if (sessions && sessions.sessions > 0 && sessions.window_s >= thresholds.shortSessionsMinWindowSeconds) {
    const meanS = sessions.session_time_ms / sessions.sessions / 1000;
    const perMinute = sessions.sessions / (sessions.window_s / 60);
    const since = sessions.stats_reset ? `since the statistics reset at ${sessions.stats_reset.toISOString()}` : 'since the server started (the statistics were never reset: an upper bound)';
    evidence.sessions = { sessions: sessions.sessions, meanSessionSeconds: meanS, sessionsPerMinute: perMinute, windowSeconds: sessions.window_s, statsReset: sessions.stats_reset?.toISOString() ?? null, source: `pg_stat_database of ${now.database}, ${since}` };
    if (meanS < thresholds.shortSessionSeconds && perMinute >= thresholds.shortSessionsPerMinute) {
      reasons.push(`sessions last ${meanS.toFixed(1)} s on average, ${perMinute.toFixed(1)} new ones a minute (pg_stat_database of ${now.database}, ${since})`);
    }
  }

  // Waiting sessions.
  const waitingNow = Object.values(now.waiting).reduce((a, b) => a + b, 0);
  if (sampled && (sampled.active_sessions ?? 0) >= thresholds.waitingMinActiveSampled) {
    const share = (sampled.waiting_sessions ?? 0) / sampled.active_sessions!;
    if (share >= thresholds.waitingShare) reasons.push(`${pct(share)} of the active sessions sampled in the last ${sampled.hours} h were waiting (${sampled.waiting_sessions} of ${sampled.active_sessions} over ${sampled.samples} samples)`);
  } else if (now.active >= thresholds.waitingMinActiveNow && waitingNow / now.active >= thresholds.waitingShare) {
    reasons.push(`${waitingNow} of ${now.active} active sessions are waiting now (${pct(waitingNow / now.active)}, one look at pg_stat_activity: ${JSON.stringify(now.waiting)})`);
  }
  if (reasons.length === 0) return [];

  const peakConnections = Math.max(now.connections, sampled?.peak_connections ?? 0);
  const peakActive = Math.max(now.active, sampled?.peak_active ?? 0, 1);
  const basis = cores ?? peakActive;
  const available = Math.max(1, now.max_connections - now.superuser_reserved_connections - ADMIN_HEADROOM);
  const poolSize = Math.min(basis * 2 + 1, available);
  const maxClientConn = Math.max(MIN_MAX_CLIENT_CONN, Math.ceil((peakConnections * CLIENT_HEADROOM) / 10) * 10);
  const coresSaid = cores === undefined ? `${peakActive}, the peak of active sessions observed (no core count was given)` : `${cores} cores (as given)`;
  const sizing = { defaultPoolSize: poolSize, maxClientConn, poolMode: 'transaction', coresOrPeakActive: basis, coresGiven: cores !== undefined, peakConnections, poolsMustStayBelow: available };
  const sql = [
    '-- Put PgBouncer in front of PostgreSQL (pgbouncer.ini); no SQL statement can do it.',
    '-- [databases]',
    `-- ${now.database} = host=<this server> port=<its port> dbname=${now.database}`,
    '-- [pgbouncer]',
    '-- pool_mode = transaction',
    `-- default_pool_size = ${poolSize}`,
    `-- max_client_conn = ${maxClientConn}`,
    '-- max_prepared_statements = 100',
    `-- ; every pool (database × user) takes up to default_pool_size server connections: keep their sum below ${available}`,
    `-- ; (max_connections ${now.max_connections} − superuser_reserved_connections ${now.superuser_reserved_connections} − ${ADMIN_HEADROOM} for maintenance).`,
    '-- ; transaction mode breaks: session-level SET (use SET LOCAL), advisory locks held across transactions,',
    '-- ; LISTEN/NOTIFY, WITH HOLD cursors, temporary tables kept across transactions, and protocol-level',
    '-- ; prepared statements before PgBouncer 1.21 (1.21+ tracks them with max_prepared_statements).',
    '-- Then point the application at PgBouncer (port 6432 by default) instead of PostgreSQL.',
  ].join('\n');
  return [{
    kind: 'pooling',
    rule: 'connection_pooler',
    subject: 'server',
    title: `Put a connection pooler in front: ${reasons[0]!.split(' (')[0]}`,
    rationale:
      `${reasons.join('; ')}. Each PostgreSQL connection is a process with its own memory; a pooler in transaction mode lets many clients share a few server connections. ` +
      `Sizing: default_pool_size = ${basis} × 2 + 1 = ${basis * 2 + 1}${poolSize < basis * 2 + 1 ? `, capped at ${poolSize}` : ''} (from ${coresSaid}); ` +
      `max_client_conn = ${maxClientConn} (the peak of ${peakConnections} client connections with ${Math.round((CLIENT_HEADROOM - 1) * 100)} % headroom). ` +
      'Transaction mode breaks session state: session SET, advisory locks, LISTEN, and protocol-level prepared statements before PgBouncer 1.21.',
    sql,
    rollbackSql: null,
    risk: 'medium',
    evidence: { ...evidence, reasons, sizing },
  }];
}
