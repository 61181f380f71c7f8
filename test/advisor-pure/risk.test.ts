import { describe, expect, it } from 'vitest';
import { assessRisk, writeOverhead } from '../../plv8/advisor/recommendation/risk.ts';
import type { TableFacts } from '../../plv8/catalog/table-facts.ts';

const MIB = 1024 * 1024;
const table = (more: Partial<TableFacts>): TableFacts => ({
  schema: 'public', table: 'orders', kind: 'r', rows: 1e6, bytes: 120 * MIB,
  insertsPerSecond: 0, updatesPerSecond: 0, deletesPerSecond: 0, hotUpdatesPerSecond: 0, statsSeconds: 86_400, ...more,
});
const risk = (t: TableFacts) => assessRisk(t, writeOverhead(t));

describe('write overhead and risk of a new index', () => {
  it('counts inserts and non-HOT updates as index writes; HOT updates are at risk, deletes write nothing', () => {
    const overhead = writeOverhead(table({ insertsPerSecond: 10, updatesPerSecond: 8, hotUpdatesPerSecond: 3, deletesPerSecond: 50 }));
    expect(overhead).toMatchObject({ indexWritesPerSecond: 15, hotUpdatesAtRiskPerSecond: 3 });
    expect(overhead.summary).toBe('about 15 index writes/s (inserts and non-HOT updates over the last 1 d); 3 HOT updates/s stop being HOT if they change an indexed column');
  });

  it('is low for a quiet table of moderate size', () => {
    expect(risk(table({ insertsPerSecond: 2 }))).toEqual({ level: 'low', reason: 'low: concurrent build, 120.0 MiB table, 2 index writes/s' });
  });

  it('is medium from 100 index writes/s, a table over 1 GiB, or any partitioned table', () => {
    expect(risk(table({ insertsPerSecond: 400 })).reason).toBe('medium: concurrent build, 120.0 MiB table, 400 index writes/s');
    expect(risk(table({ bytes: 2 * 1024 * MIB })).level).toBe('medium');
    expect(risk(table({ kind: 'p' })).reason).toMatch(/^medium: a partitioned table cannot be indexed concurrently/);
  });

  it('is high from 1000 index writes/s, 10 GiB, or a partitioned table over 1 GiB', () => {
    expect(risk(table({ insertsPerSecond: 900, updatesPerSecond: 200 })).level).toBe('high');
    expect(risk(table({ bytes: 11 * 1024 * MIB })).level).toBe('high');
    expect(risk(table({ kind: 'p', bytes: 2 * 1024 * MIB })).level).toBe('high');
  });
});
