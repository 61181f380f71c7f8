import { describe, expect, it } from 'vitest';
import { compactJson, factLabel, findingFacts, findingOf, formatNumber } from '../../../ui/src/pages/recommendations/finding-facts.ts';
import { changeOf, changeText, figures, findingValidation, showsIndexUse } from '../../../ui/src/pages/recommendations/finding-validation.ts';
import { availableActions, actionTitle } from '../../../ui/src/pages/recommendations/recommendation-actions.ts';
import { advisorLabel, isHealthKind, kindFilter, riskLevel, ruleLabel, words } from '../../../ui/src/pages/recommendations/recommendation-kind.ts';
import { listItems, targetNames } from '../../../ui/src/pages/recommendations/recommendation-list.ts';
import { isManual, recommendationView } from '../../../ui/src/pages/recommendations/recommendation-view.ts';
import { recordedIn, recordedRows, recordedTargets } from './fixtures.ts';
import { poolerRow, sharedBuffersRow, unusedIndexRow } from './health-fixtures.ts';

describe('advisors, rules and risks', () => {
  it('name each advisor, and an unknown kind in words', () => {
    expect(advisorLabel('index')).toBe('Index advisor');
    expect(advisorLabel('plan_insight')).toBe('Plan insights');
    expect(advisorLabel('index_hygiene')).toBe('Index hygiene');
    expect(advisorLabel('setting')).toBe('Settings');
    expect(advisorLabel('query')).toBe('Query rewrite');
    expect(advisorLabel('brand_new_advisor')).toBe('Brand new advisor');
    expect(advisorLabel(null)).toBe('Index advisor');
  });

  it('say a rule in plain words: from the map, else its name in words', () => {
    expect(ruleLabel('unused_index')).toBe('unused index');
    expect(ruleLabel('disk_spill')).toBe('sort or hash spills to disk');
    expect(ruleLabel('missing_fk_index')).toBe('foreign key without an index');
    expect(ruleLabel('some_rule_added_later')).toBe('some rule added later');
    expect(ruleLabel(null)).toBeNull();
    expect(ruleLabel('')).toBeNull();
  });

  it('filter only on a known advisor, and tell health kinds from the index advisor', () => {
    expect(kindFilter('pooling')).toBe('pooling');
    expect(kindFilter('index')).toBe('index');
    expect(kindFilter('query')).toBeUndefined();
    expect(kindFilter('DROP TABLE')).toBeUndefined();
    expect(kindFilter(undefined)).toBeUndefined();
    expect(isHealthKind('schema')).toBe(true);
    expect(isHealthKind('index')).toBe(false);
    expect(isHealthKind(null)).toBe(false);
  });

  it('keep only the three risk levels', () => {
    expect(riskLevel('high')).toBe('high');
    expect(riskLevel('HIGH')).toBeNull();
    expect(riskLevel(null)).toBeNull();
  });

  it('turn names into words', () => {
    expect(words('tableWritesSinceReset')).toBe('table writes since reset');
    expect(words('p95Ratio')).toBe('p95 ratio');
    expect(words('idle_in_transaction')).toBe('idle in transaction');
  });
});

describe('the list rows of health recommendations', () => {
  it('carry the advisor, the rule in words and the risk; an index advisor row has no rule', () => {
    const rows = [
      { ...recordedRows[0]!, kind: 'index', rule: null, risk: null },
      { ...recordedRows[0]!, rowId: 'h1', kind: 'index_hygiene', rule: 'unused_index', risk: 'medium', title: 'Unused index public.orders_status_idx' },
      { ...recordedRows[0]!, rowId: 'h2', kind: 'pooling', rule: 'connection_pooler', risk: 'bogus' },
    ];
    const items = listItems(rows, targetNames(recordedTargets));
    expect(items.find((i) => i.id === recordedRows[0]!.rowId)).toMatchObject({ advisor: 'Index advisor', rule: null, risk: null });
    expect(items.find((i) => i.id === 'h1')).toMatchObject({ advisor: 'Index hygiene', rule: 'unused index', risk: 'medium', label: 'Unused index public.orders_status_idx' });
    expect(items.find((i) => i.id === 'h2')).toMatchObject({ advisor: 'Pooling', rule: 'a connection pooler is needed', risk: null });
  });
});

describe('finding facts', () => {
  const facts = findingOf(unusedIndexRow().evidence);
  const byKey = (key: string) => facts.find((f) => f.key === key);

  it('turn keys into words and format each number by its unit', () => {
    expect(byKey('sizeBytes')).toEqual({ key: 'sizeBytes', label: 'Size', value: '48.0 MB', json: false });
    expect(byKey('minSizeBytes')).toMatchObject({ label: 'Min size', value: '1.0 MB' });
    expect(byKey('tableWritesSinceReset')).toMatchObject({ label: 'Table writes since reset', value: '120,000' });
    expect(byKey('scans')).toMatchObject({ label: 'Scans', value: '0' });
    expect(byKey('partitioned')).toMatchObject({ value: 'no' });
    expect(byKey('replicaScans')).toMatchObject({ label: 'Replica scans', value: 'none' });
    expect(byKey('statsReset')!.value).toMatch(/2026/);
    expect(byKey('statsReset')!.value).not.toContain('T00:00');
  });

  it('summarize a flat group on one line and show a deeper one as compact JSON', () => {
    const pooler = findingOf(poolerRow().evidence);
    const now = pooler.find((f) => f.key === 'now')!;
    expect(now).toMatchObject({ label: 'Now', json: false });
    expect(now.value).toBe('connections: 41; active: 6; idle: 33; max connections: 100; source: pg_stat_activity, one look now (all databases)');
    const sizing = pooler.find((f) => f.key === 'sizing')!;
    expect(sizing.json).toBe(true);
    expect(JSON.parse(sizing.value)).toEqual({ poolSize: 20, cores: 8, formula: { name: 'cores × 2 + spindles', inputs: { cores: 8, spindles: 4 } } });
    expect(pooler.find((f) => f.key === 'reasons')).toMatchObject({ value: 'connections peaked at 96 of 100 max_connections', json: false });
  });

  it('leave the queries to their own section', () => {
    expect(findingOf({ finding: { queries: [{ query: 'select 1' }], scans: 3 } }).map((f) => f.key)).toEqual(['scans']);
  });

  it('format times, percents and long lists', () => {
    const f = findingFacts({ meanSessionSeconds: 0.4, windowSeconds: 3600, bloatPct: 37.25, ids: Array.from({ length: 15 }, (_, i) => i), ratio: 0.000123 });
    expect(f.map((x) => [x.label, x.value])).toEqual([
      ['Mean session', '0.4 s'],
      ['Window', '60.0 min'],
      ['Bloat', '37.3 %'],
      ['Ids', '0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more'],
      ['Ratio', '0.000123'],
    ]);
    expect(formatNumber(1234567.891)).toBe('1,234,567.89');
    expect(factLabel('maxConnections')).toBe('Max connections');
  });

  it.each([null, undefined, 'text', 42, [], [1, 2], { finding: 'no' }, { finding: null }])('are empty, not broken, for %j', (raw) => {
    expect(findingOf(raw)).toEqual([]);
  });

  it('cut long JSON and survive what JSON cannot write', () => {
    expect(compactJson({ a: 'x'.repeat(2000) })).toHaveLength(600);
    expect(compactJson({ a: 'x'.repeat(2000) }).endsWith('…')).toBe(true);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(compactJson(cycle)).toBe('(not readable)');
    expect(findingFacts({ n: 10n, deep: { cycle } })).toEqual([
      { key: 'n', label: 'N', value: '(not readable)', json: true },
      { key: 'deep', label: 'Deep', value: '(not readable)', json: true },
    ]);
  });
});

describe('a health validation report', () => {
  it('reads an index drop’s statements with their figures, change and index use', () => {
    const row = unusedIndexRow();
    const v = findingValidation(row.validation, row)!;
    expect(v.verdict).toBe('validated');
    expect(v.reason).toBe('no statement on public.orders got slower without the index (2 measured)');
    expect(v.sandbox).toBe('sample');
    expect(v.statements).toHaveLength(2);
    const [first, second] = v.statements!;
    expect(first).toMatchObject({
      query: 'select * from public.orders where status = $1',
      values: '$1 = late',
      before: 'cost 8.3; median 0.12 ms; min 0.10 ms; max 0.20 ms',
      after: 'cost 8.9; median 0.13 ms; min 0.11 ms; max 0.19 ms',
      changeOf: 'time',
      usedIndex: false,
      method: 'analyze',
    });
    expect(first!.changePct).toBeCloseTo(((0.12 - 0.125) / 0.12) * 100, 5);
    expect(changeText(first!)).toBe('4.2 % slower');
    expect(second).toMatchObject({ before: 'cost 1,520.5', changePct: 0, changeOf: 'cost' });
    expect(changeText(second!)).toBe('cost unchanged');
    expect(showsIndexUse(v.statements!)).toBe(true);
    expect(v.others).toEqual([]);
  });

  it('reads a setting’s report and an extended-statistics comparison', () => {
    const setting = findingValidation(
      { setting: 'work_mem', value: '64MB', statements: [{ query: 'select …', before: { medianMs: 40 }, after: { medianMs: 10 } }] },
      { state: 'validated', stateReason: '1 statement faster' },
    )!;
    expect(setting.setting).toEqual({ name: 'work_mem', value: '64MB' });
    expect(changeText(setting.statements![0]!)).toBe('75.0 % faster');
    expect(showsIndexUse(setting.statements!)).toBe(false);
    const stats = findingValidation({ before: { estimatedRows: 12, actualRows: 4800 }, after: { estimatedRows: 4650, actualRows: 4800 }, runs: 3 }, { state: 'validated', stateReason: 'estimate within 3 %' })!;
    expect(stats.statements).toBeNull();
    expect(stats.comparison).toEqual([
      { key: 'estimatedRows', label: 'Estimated rows', before: '12', after: '4,650' },
      { key: 'actualRows', label: 'Actual rows', before: '4,800', after: '4,800' },
    ]);
    expect(stats.others).toEqual([{ key: 'runs', label: 'Runs', value: '3', json: false }]);
  });

  it('takes the verdict from the row’s state only while it says one, and prefers its own', () => {
    expect(findingValidation({}, { state: 'inconclusive', stateReason: 'cannot test a pooler' })).toMatchObject({ verdict: 'inconclusive', reason: 'cannot test a pooler' });
    // Applied since: the state's reason is about the apply, not the validation.
    expect(findingValidation({}, { state: 'applied', stateReason: 'applied by admin' })).toMatchObject({ verdict: null, reason: null });
    expect(findingValidation({ verdict: 'rejected', reason: 'slower' }, { state: 'applied', stateReason: 'x' })).toMatchObject({ verdict: 'rejected', reason: 'slower' });
  });

  it.each([null, undefined, 'garbage', 3, [1]])('is null (no validation yet) for %j', (raw) => {
    expect(findingValidation(raw, { state: 'proposed', stateReason: null })).toBeNull();
  });

  it('never breaks on odd statements', () => {
    const v = findingValidation({ statements: ['select 1', null, { before: 'x', after: [1, 2], usesIndex: true }, { sql: 'select 2', before: { cost: 'high', plan: { huge: true } } }] }, { state: null, stateReason: null })!;
    expect(v.statements!.map((s) => [s.query, s.before, s.after, s.usedIndex])).toEqual([
      ['select 1', '–', '–', null],
      ['null', '–', '–', null],
      ['(statement text not recorded)', 'x', '1, 2', true],
      ['select 2', 'cost high', '–', null],
    ]);
    expect(v.statements!.every((s) => changeText(s) === '–')).toBe(true);
    expect(findingValidation({ statements: 'no' }, { state: null, stateReason: null })!.statements).toBeNull();
  });

  it('shows each side’s figures, cost first, without the list of runs', () => {
    expect(figures({ ms: [1, 2, 3], maxMs: 3, cost: 4, medianMs: 2 })).toBe('cost 4; median 2.00 ms; max 3.00 ms');
    expect(figures(null)).toBe('–');
    expect(changeOf({ cost: 0 }, { cost: 5 })).toBeNull();
  });
});

describe('the detail view of a health recommendation', () => {
  it('reads the advisor, rule, subject, risk, restart and manual columns', () => {
    const v = recommendationView(poolerRow());
    expect(v).toMatchObject({ health: true, advisor: 'Pooling', rule: 'a connection pooler is needed', subject: 'server', risk: 'medium', needsRestart: false, manual: true, statementLabel: 'Steps' });
    expect(v.validation).toBeNull();
    expect(v.findingValidation).toMatchObject({ verdict: 'inconclusive', statements: null });
    expect(recommendationView(sharedBuffersRow())).toMatchObject({ needsRestart: true, manual: false, statementLabel: 'SQL to apply', findingValidation: null });
  });

  it('keeps the index advisor’s view as it was', () => {
    const v = recommendationView(recordedIn('applied'));
    expect(v).toMatchObject({ health: false, advisor: 'Index advisor', rule: null, manual: false, statementLabel: 'SQL to apply', finding: [], findingValidation: null });
    expect(v.validation?.verdict).toBe('validated');
  });

  it('tells steps by hand from SQL when the API did not say', () => {
    expect(isManual(null, '-- 1. Install PgBouncer\n  -- 2. Point the application at it\n')).toBe(true);
    expect(isManual(undefined, '-- drop it\nDROP INDEX public.x_idx;')).toBe(false);
    expect(isManual(null, null)).toBe(false);
    expect(isManual(false, '-- only a comment')).toBe(false);
  });
});

describe('actions on steps to follow by hand', () => {
  it('offer validate and dismiss, never apply, schedule or force apply', () => {
    expect(availableActions('validated', 'admin', { manual: true })).toEqual(['validate', 'dismiss']);
    expect(availableActions('inconclusive', 'admin', { manual: true })).toEqual(['validate', 'dismiss']);
    expect(availableActions('inconclusive', 'admin', { manual: false })).toEqual(['validate', 'forceApply', 'dismiss']);
  });

  it('title a health change’s rollback as a change', () => {
    expect(actionTitle('rollback', false)).toBe('Roll back this change?');
    expect(actionTitle('rollback', true)).toBe('Roll back this index?');
  });
});
