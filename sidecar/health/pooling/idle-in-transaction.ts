/**
 * Rule idle_in_transaction: sessions that opened a transaction and sit idle hold their locks and
 * keep VACUUM from removing rows newer than their snapshot. idle_in_transaction_session_timeout
 * ends such sessions after a while; the rule proposes one when it is off or longer.
 */
import type { Finding } from '../finding.ts';
import { settingChange } from '../settings/setting-change.ts';
import { settingMs } from '../settings/setting-units.ts';
import type { PoolingFacts, PoolingThresholds } from './facts.ts';

/** The proposed timeout: long enough for any interactive pause in a transaction, short enough to free locks. */
export const PROPOSED_TIMEOUT = '5min';
const PROPOSED_TIMEOUT_MS = 5 * 60_000;

export function idleInTransactionFindings(facts: PoolingFacts, thresholds: PoolingThresholds): Finding[] {
  const { now, samples } = facts;
  const row = now.idle_timeout;
  const currentMs = settingMs(row.setting, row.unit) ?? 0;
  // 0 is "no timeout"; one at or below the proposal is already enough.
  if (currentMs > 0 && currentMs <= PROPOSED_TIMEOUT_MS) return [];
  const reasons: string[] = [];
  if (now.idle_in_transaction_long > 0) {
    reasons.push(`${now.idle_in_transaction_long} session(s) have been idle in a transaction for more than ${thresholds.idleInTransactionSeconds} s now, the longest ${Math.round(now.longest_idle_in_transaction_s ?? 0)} s (pg_stat_activity, one look)`);
  }
  const sampled = samples !== null && samples.samples >= thresholds.minSamples ? samples : null;
  if (sampled && (sampled.idle_in_transaction_share ?? 0) >= thresholds.idleInTransactionSampleShare) {
    reasons.push(`sessions were idle in a transaction in ${Math.round(sampled.idle_in_transaction_share! * 100)} % of the ${sampled.samples} activity samples of the last ${sampled.hours} h`);
  }
  if (reasons.length === 0) return [];
  const change = settingChange(row, PROPOSED_TIMEOUT);
  return [{
    kind: 'pooling',
    rule: 'idle_in_transaction',
    subject: 'server',
    title: `Sessions sit idle in transactions: end them after ${PROPOSED_TIMEOUT}`,
    rationale:
      `${reasons.join('; ')}. An idle transaction keeps its locks and stops VACUUM from cleaning rows newer than its snapshot. ` +
      `idle_in_transaction_session_timeout is ${currentMs === 0 ? 'off (0)' : change.current} now (pg_settings, source: ${row.source}); ` +
      `${PROPOSED_TIMEOUT} ends a session left idle in a transaction that long. An application that keeps transactions open on purpose will see those sessions end: check it first.`,
    sql: change.sql,
    rollbackSql: change.rollbackSql,
    risk: 'medium',
    needsRestart: change.needsRestart,
    evidence: {
      idleInTransactionNow: now.idle_in_transaction,
      idleInTransactionLongNow: now.idle_in_transaction_long,
      longestIdleInTransactionSeconds: now.longest_idle_in_transaction_s,
      ...(sampled ? { sampleShare: sampled.idle_in_transaction_share, samples: sampled.samples, sampleHours: sampled.hours } : {}),
      currentTimeout: change.current,
      proposedTimeout: PROPOSED_TIMEOUT,
      thresholds: { idleInTransactionSeconds: thresholds.idleInTransactionSeconds, idleInTransactionSampleShare: thresholds.idleInTransactionSampleShare, minSamples: thresholds.minSamples },
      source: `pg_stat_activity one look now${sampled ? `; OptiSchema's activity samples over the last ${sampled.hours} h` : ''}; pg_settings`,
      reasons,
    },
  }];
}
