/**
 * Rule autovacuum_table: tables autovacuum leaves behind. Autovacuum vacuums a table once its dead
 * tuples pass autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor × reltuples (defaults
 * 50 + 20 %): a hot table outruns that, and on a big table the trigger is so high that bloat
 * builds up between runs. The fix sets per-table storage parameters, which override the server's.
 */
import { z } from 'zod';
import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';
import type { Finding } from '../finding.ts';
import type { SettingRow } from './setting-change.ts';

/** One row of autovacuum-tables.sql. */
export const AutovacuumTableRow = z.object({
  schema_name: z.string(),
  table_name: z.string(),
  n_live_tup: z.number(),
  n_dead_tup: z.number(),
  writes: z.number(),
  reltuples: z.number(),
  last_autovacuum: z.date().nullable(),
  reloptions: z.array(z.string()),
  parent: z.string().nullable(),
  stats_reset: z.date().nullable(),
});
export type AutovacuumTableRow = z.infer<typeof AutovacuumTableRow>;

export interface AutovacuumThresholds {
  /** Dead tuples above this share of live ones: autovacuum is behind (the default scale factor is 0.2, so 20 %). */
  deadShare: number;
  /** … and at least this many, so a small table's handful of dead rows is no finding. */
  deadMin: number;
  /** A default trigger of this many dead tuples is huge: about 5 M rows at the default 20 %. */
  triggerHuge: number;
  /** … for a table that is written to (updates + deletes since the statistics reset). */
  writesMin: number;
}

export const AUTOVACUUM_THRESHOLDS: AutovacuumThresholds = { deadShare: 0.2, deadMin: 10_000, triggerHuge: 1_000_000, writesMin: 10_000 };

/**
 * The per-table parameters proposed: vacuum at 1 % dead (+1000), analyze at 2 % changed — the
 * values commonly given for large, busy tables (e.g. the PostgreSQL wiki and Crunchy Data's
 * autovacuum tuning guides).
 */
export const PROPOSED = { autovacuum_vacuum_scale_factor: 0.01, autovacuum_vacuum_threshold: 1000, autovacuum_analyze_scale_factor: 0.02 } as const;
type Parameter = keyof typeof PROPOSED;
const PARAMETERS = Object.keys(PROPOSED) as Parameter[];

export function autovacuumTableFindings(rows: readonly AutovacuumTableRow[], byName: ReadonlyMap<string, SettingRow>, thresholds: AutovacuumThresholds): Finding[] {
  const server = (name: string, fallback: number) => Number(byName.get(name)?.setting ?? fallback);
  const findings: Finding[] = [];
  for (const row of rows) {
    const own = ownOptions(row.reloptions);
    if (PARAMETERS.every((p) => own[p] !== undefined && Number(own[p]) <= PROPOSED[p])) continue;
    const threshold = Number(own.autovacuum_vacuum_threshold ?? server('autovacuum_vacuum_threshold', 50));
    const scale = Number(own.autovacuum_vacuum_scale_factor ?? server('autovacuum_vacuum_scale_factor', 0.2));
    // reltuples is -1 before the first VACUUM or ANALYZE: the live-tuple count stands in.
    const tuples = row.reltuples >= 0 ? row.reltuples : row.n_live_tup;
    const trigger = threshold + scale * tuples;
    const behind = row.n_dead_tup >= thresholds.deadMin && row.n_dead_tup > thresholds.deadShare * row.n_live_tup;
    const huge = trigger >= thresholds.triggerHuge && row.writes >= thresholds.writesMin;
    if (!behind && !huge) continue;
    const name = `${row.schema_name}.${row.table_name}`;
    const quoted = `${quoteIdent(row.schema_name)}.${quoteIdent(row.table_name)}`;
    const since = row.stats_reset ? `since the statistics were reset at ${row.stats_reset.toISOString()}` : 'since the statistics were last reset (never, in this database)';
    const disabled = own.autovacuum_enabled !== undefined && /^(off|false|no|0)$/i.test(own.autovacuum_enabled);
    const reasons = [
      ...(behind ? [`${row.n_dead_tup} dead tuples, ${Math.round((row.n_dead_tup / Math.max(1, row.n_live_tup)) * 100)} % of its ${row.n_live_tup} live ones (more than ${Math.round(thresholds.deadShare * 100)} %)`] : []),
      ...(huge ? [`autovacuum waits for ${Math.round(trigger)} dead tuples (${threshold} + ${scale} × ${Math.round(tuples)} rows) on a table with ${row.writes} updates and deletes`] : []),
    ];
    findings.push({
      kind: 'setting',
      rule: 'autovacuum_table',
      subject: name,
      table: name,
      title: `Autovacuum lags on ${name}: ${reasons[0]!.split(' (')[0]}`,
      rationale:
        `${name} has ${reasons.join('; and ')}, counted by pg_stat_user_tables ${since} (one look now). ` +
        `Vacuuming at ${PROPOSED.autovacuum_vacuum_scale_factor * 100} % dead (+${PROPOSED.autovacuum_vacuum_threshold}) and analyzing at ${PROPOSED.autovacuum_analyze_scale_factor * 100} % changed keeps it small and its statistics fresh.` +
        (row.parent ? ` It is a partition of ${row.parent}: a partitioned table has no storage, so autovacuum works (and is tuned) on each partition.` : '') +
        (disabled ? ' Autovacuum is switched off on this table (autovacuum_enabled = off); this change does not switch it on.' : ''),
      sql: `ALTER TABLE ${quoted} SET (${PARAMETERS.map((p) => `${p} = ${PROPOSED[p]}`).join(', ')});`,
      rollbackSql: rollbackOf(quoted, own),
      risk: 'low',
      evidence: {
        nLiveTup: row.n_live_tup,
        nDeadTup: row.n_dead_tup,
        updatesAndDeletes: row.writes,
        reltuples: row.reltuples,
        triggerDeadTuples: Math.round(trigger),
        thresholds,
        ownOptions: own,
        lastAutovacuum: row.last_autovacuum?.toISOString() ?? null,
        statsReset: row.stats_reset?.toISOString() ?? null,
        ...(row.parent ? { partitionOf: row.parent } : {}),
        source: 'pg_stat_user_tables and pg_class.reloptions, one look now (counts since the statistics reset)',
      },
    });
  }
  return findings;
}

/** reloptions (`{autovacuum_enabled=off,fillfactor=90}`) as a map. */
function ownOptions(reloptions: readonly string[]): Record<string, string> {
  return Object.fromEntries(reloptions.map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]));
}

/** RESET what the table did not set itself; SET back what it did. Null when an old value is not a plain number (it is never spliced). */
function rollbackOf(quoted: string, own: Record<string, string>): string | null {
  const kept = PARAMETERS.filter((p) => own[p] !== undefined);
  if (kept.some((p) => !/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(own[p]!))) return null;
  const reset = PARAMETERS.filter((p) => own[p] === undefined);
  return [
    ...(reset.length ? [`ALTER TABLE ${quoted} RESET (${reset.join(', ')});`] : []),
    ...(kept.length ? [`ALTER TABLE ${quoted} SET (${kept.map((p) => `${p} = ${own[p]}`).join(', ')});`] : []),
  ].join('\n');
}
