/**
 * Rule random_page_cost: PostgreSQL's default of 4 prices a random page read four times a
 * sequential one, as on a spinning disk; on SSDs random reads cost about the same, and 4 steers
 * the planner away from index scans. Only the operator knows the storage: without
 * options.storage there is no finding, a note.
 */
import type { Finding } from '../finding.ts';
import { settingChange, type SettingRow } from './setting-change.ts';

/** PgTune's value for SSD storage. */
export const SSD_RANDOM_PAGE_COST = 1.1;
/** On SSD, a cost above 2 still models seeks (the default 4 is a spinning disk's). */
export const SSD_RANDOM_PAGE_COST_MAX = 2;

export function randomPageCostFindings(row: SettingRow | undefined, storage: 'ssd' | 'hdd'): Finding[] {
  const current = Number(row?.setting);
  if (!row || storage !== 'ssd' || !(current > SSD_RANDOM_PAGE_COST_MAX)) return [];
  const change = settingChange(row, String(SSD_RANDOM_PAGE_COST));
  return [{
    kind: 'setting',
    rule: 'random_page_cost',
    subject: 'random_page_cost',
    title: `random_page_cost is ${row.setting} on SSD storage; ${SSD_RANDOM_PAGE_COST} fits it`,
    rationale:
      `random_page_cost = ${row.setting} (pg_settings now, source: ${row.source}) prices a random read as a spinning disk's seek; ` +
      `the storage was given as SSD, where random and sequential reads cost about the same (PgTune: ${SSD_RANDOM_PAGE_COST}). ` +
      'Too high a cost makes the planner prefer sequential scans over index scans. A session may SET it, so the sandbox can test it on the workload first.',
    sql: change.sql,
    rollbackSql: change.rollbackSql,
    risk: 'low',
    needsRestart: change.needsRestart,
    evidence: { current: row.setting, recommended: SSD_RANDOM_PAGE_COST, storage, source: 'pg_settings, one look now; storage as given to the advisor', settingSource: row.source },
  }];
}
