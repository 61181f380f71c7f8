import { describe, expect, it } from 'vitest';
import { measuredOverhead, parseValidation, statementChangePct, timingBars } from '../../../ui/src/pages/recommendations/validation-report.ts';
import { recordedIn } from './fixtures.ts';

describe('parseValidation', () => {
  it('reads a recorded validation: verdict, runs, noise, build, size, overhead, statements with plans', () => {
    const v = parseValidation(recordedIn('applied').validation)!;
    expect(v).toMatchObject({
      verdict: 'validated',
      reason: '1 statement(s) faster: 0.06 → 0.04 ms (median of 5)',
      runs: 5,
      noisePct: 10,
      sizeBytes: 40960,
      sandbox: { strategy: 'sample' },
      planDiffersFromProduction: false,
    });
    expect(v.buildMs).toBeCloseTo(3.93, 2);
    expect(measuredOverhead(v)).toMatchObject({ rows: 10000 });
    expect(v.statements).toHaveLength(2);
    const [served, other] = v.statements;
    expect(served).toMatchObject({ role: 'served', queryid: '-7337842682241061146', usesIndex: true, values: ['liam.moreau3983@example.net'], label: 'typical' });
    expect(served!.before).toMatchObject({ medianMs: 0.059, minMs: 0.058, maxMs: 0.06 });
    expect(served!.after).toMatchObject({ medianMs: 0.044, minMs: 0.016, maxMs: 0.046 });
    expect(served!.planBefore).toBeTypeOf('object');
    expect(served!.planAfter).toBeTypeOf('object');
    expect(other).toMatchObject({ role: 'other', usesIndex: false });
  });

  it('reads an inconclusive one with its skipped statements', () => {
    const v = parseValidation(recordedIn('inconclusive').validation)!;
    expect(v.verdict).toBe('inconclusive');
    expect(v.skipped).toHaveLength(1);
    expect(v.skipped[0]!.why).toMatch(/no parameter values known/);
  });

  it.each([null, undefined, 'garbage', 3, [], {}, { statements: 'no' }])('is null (no validation yet) for %j', (raw) => {
    expect(parseValidation(raw)).toBeNull();
  });

  it('keeps a statement whose runs are missing or broken, without timings', () => {
    const v = parseValidation({ verdict: 'inconclusive', statements: [{ query: 'select 1', before: { medianMs: 'slow' }, error: 'timeout' }, 'junk'] })!;
    expect(v.statements).toHaveLength(1);
    expect(v.statements[0]).toMatchObject({ query: 'select 1', before: null, after: null, error: 'timeout', usesIndex: null, role: 'served' });
  });

  it('tells a failed write-overhead measurement from a measured one', () => {
    const v = parseValidation({ verdict: 'validated', writeOverhead: { error: 'permission denied' } })!;
    expect(v.writeOverhead).toEqual({ error: 'permission denied' });
    expect(measuredOverhead(v)).toBeNull();
    expect(parseValidation({ verdict: 'validated', writeOverhead: 'fast' })!.writeOverhead).toBeNull();
  });
});

describe('statementChangePct and timingBars', () => {
  const v = parseValidation(recordedIn('applied').validation)!;

  it('gives the median time saved (negative when slower)', () => {
    expect(statementChangePct(v.statements[0]!)).toBeCloseTo(((0.059 - 0.044) / 0.059) * 100, 5);
    const rejected = parseValidation(recordedIn('rejected').validation)!;
    expect(rejected.statements.some((s) => (statementChangePct(s) ?? 0) < 0)).toBe(true);
    expect(statementChangePct({ ...v.statements[0]!, after: null })).toBeNull();
  });

  it('scales both bars to the slowest run', () => {
    const bars = timingBars(v.statements[0]!)!;
    expect(bars.scaleMs).toBe(0.06);
    expect(bars.before!.max).toBe(1);
    expect(bars.after!.median).toBeCloseTo(0.044 / 0.06, 5);
    expect(bars.after!.min).toBeCloseTo(0.016 / 0.06, 5);
  });

  it('has no bars without timings', () => {
    expect(timingBars({ ...v.statements[0]!, before: null, after: null })).toBeNull();
  });
});
