import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { settingsAdvisor, settingsAdvisorWith } from '../../sidecar/health/settings/advisor.ts';
import { pgtune } from '../../sidecar/health/settings/pgtune.ts';
import { formatBytes, settingBytes, settingLiteral } from '../../sidecar/health/settings/setting-units.ts';
import { settingChange, type SettingRow } from '../../sidecar/health/settings/setting-change.ts';
import { AUTOVACUUM_THRESHOLDS, autovacuumTableFindings, type AutovacuumTableRow } from '../../sidecar/health/settings/autovacuum-table.ts';
import { runHealth } from '../../sidecar/health/run-health.ts';
import type { Finding } from '../../sidecar/health/finding.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { waitFor } from '../collector/fixtures.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('PgTune formulas, by hand for 16 GB RAM, 100 connections, 8 worker processes', () => {
  it('web load', () => {
    const v = pgtune({ memoryBytes: 16 * GiB, maxConnections: 100, maxWorkerProcesses: 8, workload: 'web' });
    expect(v.shared_buffers).toBe(4 * GiB); // 16 GB / 4
    expect(v.effective_cache_size).toBe(12 * GiB); // 16 GB × 3/4
    expect(v.maintenance_work_mem).toBe(1 * GiB); // 16 GB / 16, under the 2 GB cap
    expect(v.wal_buffers).toBe(16 * MiB); // 3 % of 4 GB = 122.9 MB, capped at 16 MB
    // (16 GB − 4 GB) / ((100 + 8) × 3) = 12 582 912 kB / 324 = 38 836.15 kB → 38 836 kB.
    expect(v.work_mem).toBe(38_836 * 1024);
    expect(formatBytes(v.work_mem)).toBe('38836kB');
    expect(formatBytes(v.shared_buffers)).toBe('4GB');
  });

  it('mixed load halves work_mem; a small server keeps the 4 MB floor', () => {
    expect(pgtune({ memoryBytes: 16 * GiB, maxConnections: 100, maxWorkerProcesses: 8, workload: 'mixed' }).work_mem).toBe(19_418 * 1024);
    expect(pgtune({ memoryBytes: 1 * GiB, maxConnections: 500, maxWorkerProcesses: 8, workload: 'web' }).work_mem).toBe(4 * MiB);
  });
});

describe('setting values with their units', () => {
  it('reads pg_settings units and writes units PostgreSQL accepts', () => {
    expect(settingBytes('16384', '8kB')).toBe(128 * MiB);
    expect(settingBytes('4096', 'kB')).toBe(4 * MiB);
    expect(settingBytes('-1', 'kB')).toBeNull();
    expect(settingLiteral('16384', '8kB')).toBe('128MB');
    expect(settingLiteral('300000', 'ms')).toBe('5min');
    expect(settingLiteral('0', 'ms')).toBe('0');
    expect(settingLiteral('4', null)).toBe('4');
    expect(formatBytes(64 * 1024)).toBe('64kB');
  });

  it('a postmaster setting says it needs a restart; a default is RESET on rollback', () => {
    const row = { name: 'shared_buffers', setting: '16384', unit: '8kB', context: 'postmaster', boot_val: '16384', reset_val: '16384', source: 'configuration file', pending_restart: false };
    expect(settingChange(row, '4GB')).toEqual({
      sql: "ALTER SYSTEM SET shared_buffers = '4GB';\n-- takes effect after a restart of PostgreSQL",
      rollbackSql: "ALTER SYSTEM SET shared_buffers = '128MB';\n-- takes effect after a restart of PostgreSQL",
      needsRestart: true,
      current: '128MB',
    });
    const workMem = { ...row, name: 'work_mem', setting: '4096', unit: 'kB', context: 'user', source: 'default' };
    expect(settingChange(workMem, '32MB')).toMatchObject({
      sql: "ALTER SYSTEM SET work_mem = '32MB';\nSELECT pg_reload_conf();",
      rollbackSql: 'ALTER SYSTEM RESET work_mem;\nSELECT pg_reload_conf();',
      needsRestart: false,
    });
  });
});

describe('autovacuum_table on recorded rows', () => {
  const row: AutovacuumTableRow = {
    schema_name: 'public', table_name: 'big', n_live_tup: 10_000_000, n_dead_tup: 0, writes: 50_000, reltuples: 10_000_000,
    last_autovacuum: null, reloptions: [], parent: null, stats_reset: null,
  };
  const server = new Map<string, SettingRow>();

  it('a big written table whose default trigger is 2 M dead tuples is found', () => {
    const [f] = autovacuumTableFindings([row], server, AUTOVACUUM_THRESHOLDS);
    expect(f?.rationale).toContain('autovacuum waits for 2000050 dead tuples (50 + 0.2 × 10000000 rows)');
    expect(f?.evidence.triggerDeadTuples).toBe(2_000_050);
  });

  it('not a big table nobody writes, nor one already tuned as proposed', () => {
    expect(autovacuumTableFindings([{ ...row, writes: 0 }], server, AUTOVACUUM_THRESHOLDS)).toEqual([]);
    const tuned = ['autovacuum_vacuum_scale_factor=0.005', 'autovacuum_vacuum_threshold=1000', 'autovacuum_analyze_scale_factor=0.02'];
    expect(autovacuumTableFindings([{ ...row, reloptions: tuned }], server, AUTOVACUUM_THRESHOLDS)).toEqual([]);
  });
});

describe('settings advisor on a real database', () => {
  let db: TestDatabase;
  let settings: Map<string, { setting: string; unit: string | null; source: string }>;
  const bytesOf = (name: string) => settingBytes(settings.get(name)!.setting, settings.get(name)!.unit)!;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { rows } = await db.pool.query(`select name, setting, unit, source from pg_settings`);
    settings = new Map(rows.map((r) => [r.name, r]));
  });
  afterAll(async () => {
    await db?.close();
  });

  const run = (memoryBytes: number | null, options: Parameters<typeof settingsAdvisorWith>[0] = {}) =>
    settingsAdvisorWith(options).run({ target: db.pool, memoryBytes });
  const find = (findings: Finding[], rule: string, subject: string) => findings.find((f) => f.rule === rule && f.subject === subject);

  it('16 GB of RAM against the test cluster\'s small shared_buffers: raise it to 4 GB, after a restart', async () => {
    expect(bytesOf('shared_buffers')).toBeLessThan(2 * GiB);
    const { findings } = await run(16 * GiB);
    const f = find(findings, 'memory_setting', 'shared_buffers');
    expect(f).toBeDefined();
    expect(f!.sql).toBe("ALTER SYSTEM SET shared_buffers = '4GB';\n-- takes effect after a restart of PostgreSQL");
    const current = settingLiteral(settings.get('shared_buffers')!.setting, '8kB');
    expect(f!.rollbackSql).toBe(settings.get('shared_buffers')!.source === 'default'
      ? 'ALTER SYSTEM RESET shared_buffers;\n-- takes effect after a restart of PostgreSQL'
      : `ALTER SYSTEM SET shared_buffers = '${current}';\n-- takes effect after a restart of PostgreSQL`);
    expect(f!.needsRestart).toBe(true);
    expect(f!.evidence).toMatchObject({ recommended: '4GB', memoryBytes: 16 * GiB, current });
  });

  it('no false alarm: the RAM for which PgTune recommends exactly the current shared_buffers', async () => {
    const { findings } = await run(4 * bytesOf('shared_buffers'));
    expect(find(findings, 'memory_setting', 'shared_buffers')).toBeUndefined();
  });

  it('runs inside the health runner\'s READ ONLY transaction', async () => {
    const client = await db.pool.connect();
    try {
      const report = await runHealth(client, { advisors: [settingsAdvisorWith({ storage: 'ssd' })], memoryBytes: 16 * GiB });
      expect(report.ran).toEqual(['setting']);
      expect(report.findings.map((f) => f.subject)).toEqual(expect.arrayContaining(['shared_buffers', 'random_page_cost']));
    } finally {
      client.release();
    }
  });

  it('without the RAM the memory rules are skipped, with a note saying how to give it', async () => {
    const { findings, notes } = await settingsAdvisor.run({ target: db.pool });
    expect(findings.filter((f) => f.rule === 'memory_setting' || f.rule === 'worst_case_memory')).toEqual([]);
    expect(notes.join('\n')).toContain('optischema health --memory 16GB');
  });

  it('worst-case memory above 80 % of RAM: a work_mem that fits', async () => {
    // The RAM at which the cluster's own settings use exactly 100 %: 80 % of it is exceeded.
    const workers = Number(settings.get('autovacuum_max_workers')!.setting);
    const autovacuum = settingBytes(settings.get('autovacuum_work_mem')!.setting, 'kB') ?? bytesOf('maintenance_work_mem');
    const connections = Number(settings.get('max_connections')!.setting);
    const worst = bytesOf('shared_buffers') + connections * bytesOf('work_mem') * 1.5 + workers * autovacuum;
    const memory = Math.ceil(worst / 0.9);
    const { findings } = await run(memory);
    const f = find(findings, 'worst_case_memory', 'server');
    expect(f).toBeDefined();
    const proposed = Number(/work_mem = '(\d+)MB'/.exec(f!.sql)?.[1]) * MiB;
    expect(proposed).toBeLessThan(bytesOf('work_mem'));
    expect(bytesOf('shared_buffers') + connections * proposed * 1.5 + workers * autovacuum).toBeLessThanOrEqual(memory * 0.8);
    // Plenty of RAM: no alarm.
    expect(find((await run(worst * 10)).findings, 'worst_case_memory', 'server')).toBeUndefined();
  });

  it('random_page_cost 4 → 1.1 only when the storage is given as SSD', async () => {
    expect(settings.get('random_page_cost')!.setting).toBe('4');
    const ssd = find((await run(null, { storage: 'ssd' })).findings, 'random_page_cost', 'random_page_cost');
    expect(ssd?.sql).toBe("ALTER SYSTEM SET random_page_cost = '1.1';\nSELECT pg_reload_conf();");
    expect(ssd?.needsRestart).toBe(false);
    expect(find((await run(null, { storage: 'hdd' })).findings, 'random_page_cost', 'random_page_cost')).toBeUndefined();
    const unknown = await run(null);
    expect(find(unknown.findings, 'random_page_cost', 'random_page_cost')).toBeUndefined();
    expect(unknown.notes.join('\n')).toContain('random_page_cost was not judged');
  });

  describe('autovacuum_table', () => {
    const reloptions = async (table: string) =>
      (await db.pool.query<{ o: string[] | null }>(`select reloptions as o from pg_class where oid = $1::regclass`, [table])).rows[0]!.o;

    beforeAll(async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        // Autovacuum off on each, so the dead tuples stay until the advisor reads them.
        await client.query(`
          create schema "Mixed Case";
          create table "Mixed Case"."Hot Events" (id int primary key, n int) with (autovacuum_enabled = off);
          create table public.tuned (id int primary key, n int) with (autovacuum_enabled = off, autovacuum_vacuum_scale_factor = 0.05);
          create table public.calm (id int primary key, n int) with (autovacuum_enabled = off);
          create table public.parted (id int, n int) partition by range (id);
          create table public.parted_1 partition of public.parted for values from (0) to (100000) with (autovacuum_enabled = off);
          insert into "Mixed Case"."Hot Events" select g, 0 from generate_series(1, 20000) g;
          insert into public.tuned select g, 0 from generate_series(1, 20000) g;
          insert into public.calm select g, 0 from generate_series(1, 20000) g;
          insert into public.parted select g, 0 from generate_series(1, 20000) g;
          update "Mixed Case"."Hot Events" set n = 1;
          update public.tuned set n = 1;
          update public.parted set n = 1;
          update public.calm set n = 1 where id <= 100;`);
        await client.query('select pg_stat_force_next_flush()');
      } finally {
        await client.end();
      }
      await waitFor('the updates to reach the table counters', async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_user_tables where relname in ('Hot Events', 'tuned', 'parted_1') and n_dead_tup >= 20000`,
        );
        return rows[0]!.n === 3;
      });
    });

    it('finds the hot tables (a quoted mixed-case one, a partition), not the calm one', async () => {
      const { findings } = await settingsAdvisor.run({ target: db.pool });
      const subjects = findings.filter((f) => f.rule === 'autovacuum_table').map((f) => f.subject).sort();
      expect(subjects).toEqual(['Mixed Case.Hot Events', 'public.parted_1', 'public.tuned']);
      const hot = find(findings, 'autovacuum_table', 'Mixed Case.Hot Events')!;
      expect(hot.table).toBe('Mixed Case.Hot Events');
      expect(hot.sql).toBe('ALTER TABLE "Mixed Case"."Hot Events" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.02);');
      expect(hot.rollbackSql).toBe('ALTER TABLE "Mixed Case"."Hot Events" RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_analyze_scale_factor);');
      expect(hot.rationale).toContain('autovacuum_enabled = off');
      expect(find(findings, 'autovacuum_table', 'public.parted_1')!.evidence).toMatchObject({ partitionOf: 'public.parted' });
    });

    it('sql then rollbackSql gives back the reloptions the tables started with, a table\'s own scale factor included', async () => {
      const { findings } = await settingsAdvisor.run({ target: db.pool });
      for (const table of ['"Mixed Case"."Hot Events"', 'public.tuned']) {
        const f = findings.find((x) => x.rule === 'autovacuum_table' && x.sql.includes(table))!;
        const before = await reloptions(table);
        await db.pool.query(f.sql);
        expect(await reloptions(table)).toContain('autovacuum_vacuum_scale_factor=0.01');
        await db.pool.query(f.rollbackSql!);
        expect(await reloptions(table)).toEqual(before);
      }
      expect(await reloptions('public.tuned')).toEqual(['autovacuum_enabled=off', 'autovacuum_vacuum_scale_factor=0.05']);
    });
  });
});
