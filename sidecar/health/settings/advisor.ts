/**
 * The settings advisor (kind 'setting', issue 14 §4): server settings against PgTune and
 * postgresqltuner, the SSD planner cost, and per-table autovacuum. Two catalog reads (pg_settings;
 * pg_stat_user_tables with pg_class), then pure rules, one module each:
 *  - memory_setting (memory-setting.ts), worst_case_memory (worst-case-memory.ts): need the RAM;
 *  - random_page_cost (random-page-cost.ts): needs the storage kind;
 *  - autovacuum_table (autovacuum-table.ts).
 *
 * @example
 *   const { findings, notes } = await settingsAdvisorWith({ storage: 'ssd' }).run({ target, memoryBytes: 16 * 1024 ** 3 });
 */
import { readFileSync } from 'node:fs';
import type { Advisor, AdvisorResult, Finding, HealthInput } from '../finding.ts';
import { AUTOVACUUM_THRESHOLDS, AutovacuumTableRow, autovacuumTableFindings, type AutovacuumThresholds } from './autovacuum-table.ts';
import { memorySettingFindings, TOLERANCE } from './memory-setting.ts';
import type { WorkloadType } from './pgtune.ts';
import { randomPageCostFindings } from './random-page-cost.ts';
import type { SettingRow } from './setting-change.ts';
import { WORST_CASE_SHARE, worstCaseMemoryFindings } from './worst-case-memory.ts';

const SETTINGS_SQL = readFileSync(new URL('./settings.sql', import.meta.url), 'utf8');
const AUTOVACUUM_TABLES_SQL = readFileSync(new URL('./autovacuum-tables.sql', import.meta.url), 'utf8');

const SETTING_NAMES = [
  'shared_buffers', 'effective_cache_size', 'maintenance_work_mem', 'wal_buffers', 'work_mem',
  'max_connections', 'max_worker_processes', 'autovacuum_max_workers', 'autovacuum_work_mem', 'random_page_cost',
  'autovacuum_vacuum_threshold', 'autovacuum_vacuum_scale_factor',
];

export interface SettingsOptions {
  /** The server's CPU cores (not used by these formulas yet; accepted for one options shape across advisors). */
  cores?: number;
  /** The storage under the data directory: random_page_cost is judged only when given. */
  storage?: 'ssd' | 'hdd';
  /** PgTune's workload type; default 'web' (PgTune's own default). */
  workload?: WorkloadType;
  /** The band around PgTune's figure inside which a value is left alone (default TOLERANCE: ½ to 2 ×). */
  tolerance?: { low: number; high: number };
  /** Worst-case memory above this share of RAM is flagged (default WORST_CASE_SHARE, 0.8). */
  worstCaseShare?: number;
  autovacuum?: Partial<AutovacuumThresholds>;
}

export function settingsAdvisorWith(options: SettingsOptions = {}): Advisor {
  return {
    kind: 'setting',
    async run(input: HealthInput): Promise<AdvisorResult> {
      const { rows } = await input.target.query<SettingRow>(SETTINGS_SQL, [SETTING_NAMES]);
      const byName = new Map(rows.map((r) => [r.name, r]));
      const findings: Finding[] = [];
      const notes: string[] = [];
      const memory = input.memoryBytes ?? null;
      if (memory === null || !(memory > 0)) {
        notes.push("the server's RAM is unknown, so memory settings were not judged: give the server's RAM: optischema health --memory 16GB");
      } else {
        findings.push(...memorySettingFindings(byName, memory, { workload: options.workload ?? 'web', tolerance: options.tolerance ?? TOLERANCE }));
        findings.push(...worstCaseMemoryFindings(byName, memory, options.worstCaseShare ?? WORST_CASE_SHARE));
      }
      const storage = options.storage ?? input.storage ?? undefined;
      if (storage === undefined) {
        notes.push('the storage kind is unknown, so random_page_cost was not judged: give it (SSD: 1.1 fits; the default 4 is a spinning disk\'s)');
      } else {
        findings.push(...randomPageCostFindings(byName.get('random_page_cost'), storage));
      }
      const tables = await input.target.query(AUTOVACUUM_TABLES_SQL);
      const parsed = tables.rows.map((r) => AutovacuumTableRow.parse(r));
      findings.push(...autovacuumTableFindings(parsed, byName, { ...AUTOVACUUM_THRESHOLDS, ...options.autovacuum }));
      return { findings, notes };
    },
  };
}

export const settingsAdvisor: Advisor = settingsAdvisorWith();
