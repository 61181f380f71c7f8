import { describe, expect, it } from 'vitest';
import { parseThresholdForm, thresholdFormValues } from '../../../ui/src/pages/settings/thresholds-form.ts';
import { toTargetView } from '../../../ui/src/pages/settings/target-view.ts';
import targets from './fixtures/targets.json' with { type: 'json' };

const demo = toTargetView(targets.allTargets.nodes[0]!);

describe('thresholds form', () => {
  it('starts from the stored thresholds and sends them as numbers (recorded)', () => {
    const values = thresholdFormValues(demo.thresholds);
    expect(values).toEqual({ slowThresholdMs: '100', slowMinCalls: '3', snapshotIntervalS: '30' });
    expect(parseThresholdForm(demo.id, { ...values, slowThresholdMs: '12.5' })).toEqual({
      ok: true,
      value: { targetId: demo.id, slowThresholdMs: 12.5, slowMinCalls: 3, snapshotIntervalS: 30 },
    });
  });

  it('checks the bounds the database checks, each beside its field', () => {
    const parsed = parseThresholdForm(demo.id, { slowThresholdMs: '0', slowMinCalls: '1.5', snapshotIntervalS: '86401' });
    expect(parsed).toEqual({
      ok: false,
      errors: {
        slowThresholdMs: 'the slow threshold must be more than 0 ms',
        slowMinCalls: 'the minimum calls is a whole number',
        snapshotIntervalS: 'the snapshot interval is at most 86400 s (a day)',
      },
    });
  });

  it('requires every field', () => {
    expect(parseThresholdForm(demo.id, { slowThresholdMs: '', slowMinCalls: '3', snapshotIntervalS: '30' })).toEqual({
      ok: false,
      errors: { slowThresholdMs: 'the slow threshold is required' },
    });
  });
});
