/**
 * The pooling advisor (kind 'pooling', issue 14 §4): whether the server needs a connection pooler
 * (connection-pooler.ts) and a timeout for sessions left idle in a transaction
 * (idle-in-transaction.ts). Three reads: pg_stat_activity now, pg_stat_database's session
 * counters, and, when the target is monitored, OptiSchema's activity samples of it (facts.ts).
 *
 * @example
 *   const { findings } = await poolingAdvisorWith({ cores: 8 }).run({ target, store: { db: store, targetId } });
 */
import { readFileSync } from 'node:fs';
import type { Advisor, AdvisorResult, HealthInput } from '../finding.ts';
import { connectionPoolerFindings } from './connection-pooler.ts';
import { ActivityNow, ActivitySamples, POOLING_THRESHOLDS, SessionStats, type PoolingFacts, type PoolingThresholds } from './facts.ts';
import { idleInTransactionFindings } from './idle-in-transaction.ts';

const ACTIVITY_NOW_SQL = readFileSync(new URL('./activity-now.sql', import.meta.url), 'utf8');
const ACTIVITY_SAMPLES_SQL = readFileSync(new URL('./activity-samples.sql', import.meta.url), 'utf8');
const SESSION_STATS_SQL = readFileSync(new URL('./session-stats.sql', import.meta.url), 'utf8');

export interface PoolingOptions extends Partial<PoolingThresholds> {
  /** The server's CPU cores, for the pool size; without it the peak of active sessions stands in. */
  cores?: number;
  /** Accepted for one options shape across advisors; pooling does not use it. */
  storage?: 'ssd' | 'hdd';
}

export function poolingAdvisorWith(options: PoolingOptions = {}): Advisor {
  const { cores, storage: _storage, ...given } = options;
  const thresholds: PoolingThresholds = { ...POOLING_THRESHOLDS, ...given };
  return {
    kind: 'pooling',
    async run(input: HealthInput): Promise<AdvisorResult> {
      const notes: string[] = [];
      const now = ActivityNow.parse((await input.target.query(ACTIVITY_NOW_SQL, [thresholds.idleInTransactionSeconds])).rows[0]);
      const sessionRow = (await input.target.query(SESSION_STATS_SQL)).rows[0];
      const sessions = sessionRow ? SessionStats.parse(sessionRow) : null;
      let samples: PoolingFacts['samples'] = null;
      if (input.store) {
        const row = (await input.store.db.query(ACTIVITY_SAMPLES_SQL, [input.store.targetId, thresholds.sampleHours])).rows[0];
        samples = { ...ActivitySamples.parse(row), hours: thresholds.sampleHours };
        if (samples.samples < thresholds.minSamples) notes.push(`only ${samples.samples} activity samples in the last ${thresholds.sampleHours} h (${thresholds.minSamples} needed): judged on one look at pg_stat_activity`);
      } else {
        notes.push('the target is not monitored: judged on one look at pg_stat_activity, not on activity samples over time');
      }
      const facts: PoolingFacts = { now, samples, sessions };
      return { findings: [...connectionPoolerFindings(facts, thresholds, cores ?? input.cores ?? undefined), ...idleInTransactionFindings(facts, thresholds)], notes };
    },
  };
}

export const poolingAdvisor: Advisor = poolingAdvisorWith();
