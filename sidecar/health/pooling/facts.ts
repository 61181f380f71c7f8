/**
 * The pooling advisor's facts, as its three reads return them (validated as they enter), and the
 * thresholds its rules weigh them by.
 *  - now: pg_stat_activity, one look (activity-now.sql);
 *  - samples: OptiSchema's activity samples of the target over the last hours (activity-samples.sql), when monitored;
 *  - sessions: pg_stat_database's session counters since the statistics reset (session-stats.sql).
 */
import { z } from 'zod';

export const ActivityNow = z.object({
  database: z.string(),
  connections: z.number(),
  active: z.number(),
  idle: z.number(),
  idle_in_transaction: z.number(),
  idle_in_transaction_long: z.number(),
  longest_idle_in_transaction_s: z.number().nullable(),
  waiting: z.record(z.string(), z.number()),
  median_connection_age_s: z.number().nullable(),
  max_connections: z.number(),
  superuser_reserved_connections: z.number(),
  idle_timeout: z.object({
    name: z.string(),
    setting: z.string(),
    unit: z.string().nullable(),
    context: z.string(),
    boot_val: z.string().nullable(),
    reset_val: z.string().nullable(),
    source: z.string(),
    pending_restart: z.boolean(),
  }),
});
export type ActivityNow = z.infer<typeof ActivityNow>;

export const ActivitySamples = z.object({
  samples: z.number(),
  first_at: z.date().nullable(),
  last_at: z.date().nullable(),
  peak_connections: z.number().nullable(),
  peak_active: z.number().nullable(),
  max_connections: z.number().nullable(),
  peak_ratio: z.number().nullable(),
  p95_ratio: z.number().nullable(),
  idle_in_transaction_share: z.number().nullable(),
  waiting_sessions: z.number().nullable(),
  active_sessions: z.number().nullable(),
});
export type ActivitySamples = z.infer<typeof ActivitySamples> & { hours: number };

export const SessionStats = z.object({
  sessions: z.number(),
  session_time_ms: z.number(),
  active_time_ms: z.number(),
  idle_in_transaction_time_ms: z.number(),
  sessions_abandoned: z.number(),
  stats_reset: z.date().nullable(),
  window_s: z.number(),
});
export type SessionStats = z.infer<typeof SessionStats>;

export interface PoolingThresholds {
  /** The field notes: connections above ~70 % of max_connections call for a pooler. */
  connectionShare: number;
  /** Active sessions waiting on something (a lock, I/O, an LWLock): the seed saw 45 % wait; 40 % is "large". */
  waitingShare: number;
  /** … judged only over this many active sessions (now) or sampled active sessions (samples): 1 of 2 waiting decides nothing. */
  waitingMinActiveNow: number;
  waitingMinActiveSampled: number;
  /** The field notes: connection lifetimes under a minute call for a pooler … */
  shortSessionSeconds: number;
  /** … when they come often: this many new sessions a minute, */
  shortSessionsPerMinute: number;
  /** … counted over at least this long (a fresh database's first sessions are no rate). */
  shortSessionsMinWindowSeconds: number;
  /** A session idle in a transaction longer than this now (seconds) holds locks and the xmin horizon for nothing. */
  idleInTransactionSeconds: number;
  /** … or sessions idle in transaction in this share of the samples. */
  idleInTransactionSampleShare: number;
  /** The fewest samples a share is read from (an hour at the collector's default 5-minute interval). */
  minSamples: number;
  /** The sample window, in hours. */
  sampleHours: number;
}

export const POOLING_THRESHOLDS: PoolingThresholds = {
  connectionShare: 0.7,
  waitingShare: 0.4,
  waitingMinActiveNow: 5,
  waitingMinActiveSampled: 20,
  shortSessionSeconds: 60,
  shortSessionsPerMinute: 10,
  shortSessionsMinWindowSeconds: 15 * 60,
  idleInTransactionSeconds: 60,
  idleInTransactionSampleShare: 0.25,
  minSamples: 12,
  sampleHours: 24,
};

export interface PoolingFacts {
  now: ActivityNow;
  samples: ActivitySamples | null;
  sessions: SessionStats | null;
}
