import { describe, expect, it } from 'vitest';
import { NO_EVIDENCE, parseEvidence } from '../../../ui/src/pages/recommendations/recommendation-evidence.ts';
import { recordedIn, recordedRows } from './fixtures.ts';

describe('parseEvidence', () => {
  it('reads a recorded recommendation: risk, write estimate, each query with its parameter values', () => {
    const e = parseEvidence(recordedIn('applied').evidence);
    expect(e.risk).toEqual({ level: 'low', reason: 'low: concurrent build, 1.4 MiB table, 0 index writes/s' });
    expect(e.writeOverhead?.summary).toMatch(/index writes\/s/);
    expect(e.writeOverhead?.indexWritesPerSecond).toBe(0);
    expect(e.queries).toHaveLength(1);
    expect(e.queries[0]).toMatchObject({
      queryid: '-7337842682241061146',
      costBefore: 230,
      costAfter: 8.05,
      improvementPct: 96.5,
      parameterSource: 'statistics',
      valueSets: [{ label: 'typical', values: ['liam.moreau3983@example.net'] }],
    });
    expect(e.queries[0]!.query).toContain('where email = $1');
  });

  it('reads every recorded row without losing a query', () => {
    for (const row of recordedRows) {
      const queries = (row.evidence as { queries: unknown[] }).queries;
      expect(parseEvidence(row.evidence).queries).toHaveLength(queries.length);
    }
  });

  it('takes values given directly on a query before the advisor’s sets', () => {
    const e = parseEvidence({ queries: [{ query: 'select 1 where a = $1', values: [42, null], parameters: { sets: [{ label: 'x', values: ['1'] }] } }] });
    expect(e.queries[0]!.valueSets).toEqual([{ label: 'values', values: ['42', null] }]);
  });

  it('keeps the reason when no parameter values were known', () => {
    const e = parseEvidence({ queries: [{ query: 'select 1 where lower(e) = lower($1)', parameters: { source: 'generic', sets: [], why: 'no statistics describe it' } }] });
    expect(e.queries[0]).toMatchObject({ valueSets: [], parameterSource: 'generic', parameterNote: 'no statistics describe it' });
  });

  it('drops an unreadable query but keeps the others', () => {
    const e = parseEvidence({ queries: [{ queryid: '1' }, 'garbage', null, { query: 'select 2', queryid: 7, costBefore: 'NaN?' }] });
    expect(e.queries).toEqual([expect.objectContaining({ query: 'select 2', queryid: '7', costBefore: null })]);
  });

  it('reads numbers that arrive as strings', () => {
    const e = parseEvidence({ queries: [{ query: 'q', costBefore: '490.58', costAfter: '1e2' }] });
    expect(e.queries[0]).toMatchObject({ costBefore: 490.58, costAfter: 100 });
  });

  it.each([null, undefined, 'text', 42, [], { queries: 'no' }, { advice: 'x', queries: null }])('is empty, not broken, for %j', (raw) => {
    const e = parseEvidence(raw);
    expect(e.queries).toEqual([]);
    expect(e.risk).toBeNull();
  });

  it('returns the empty evidence for something that is not an object', () => {
    expect(parseEvidence('garbage')).toEqual(NO_EVIDENCE);
  });

  it('ignores a malformed advice but still reads the queries', () => {
    const e = parseEvidence({ advice: { risk: 'high', writeOverhead: 3, together: 'x' }, queries: [{ query: 'select 1' }] });
    expect(e.risk).toBeNull();
    expect(e.writeOverhead).toBeNull();
    expect(e.together).toEqual([]);
    expect(e.queries).toHaveLength(1);
  });

  it('reads the estimate’s caveat and the indexes assumed with it', () => {
    const e = parseEvidence({ advice: { uncertainty: { kind: 'expression', note: 'estimate unreliable' }, together: ['CREATE INDEX a ON t (x)'] } });
    expect(e.uncertainty).toBe('estimate unreliable');
    expect(e.together).toEqual(['CREATE INDEX a ON t (x)']);
  });
});
