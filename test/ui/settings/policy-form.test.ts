import { describe, expect, it } from 'vitest';
import { parsePolicyForm, policyFormValues, windowText, type PolicyFormValues } from '../../../ui/src/pages/settings/policy-form.ts';
import { toTargetView } from '../../../ui/src/pages/settings/target-view.ts';
import targets from './fixtures/targets.json' with { type: 'json' };

const demo = toTargetView(targets.allTargets.nodes.find((t) => t.name === 'optischema')!);
const values = (patch: Partial<PolicyFormValues> = {}): PolicyFormValues => ({ ...policyFormValues(demo.policy), ...patch });

describe('policyFormValues', () => {
  it('starts from the stored policy (recorded from the demo)', () => {
    expect(policyFormValues(demo.policy)).toEqual({
      sandboxStrategy: 'sample',
      sandboxSampleFraction: '0.02',
      autoValidate: true,
      autoApply: 'validated',
      windowEnabled: false,
      windowStart: '02:00',
      windowMinutes: '60',
    });
  });

  it("reads the API's time of day as HH:MM", () => {
    const v = policyFormValues({ ...demo.policy, applyWindowStart: '02:30:00.000000', applyWindowMinutes: 90 });
    expect(v).toMatchObject({ windowEnabled: true, windowStart: '02:30', windowMinutes: '90' });
  });
});

describe('parsePolicyForm', () => {
  it('builds the setTargetPolicy input, clearing the window when there is none', () => {
    expect(parsePolicyForm(demo.id, values(), 'sample')).toEqual({
      ok: true,
      value: {
        targetId: demo.id,
        sandboxStrategy: 'sample',
        sandboxSampleFraction: 0.02,
        autoValidate: true,
        autoApply: 'validated',
        applyWindowStart: null,
        applyWindowMinutes: null,
        clearApplyWindow: true,
      },
    });
  });

  it('sends a window as its start and length', () => {
    const parsed = parsePolicyForm(demo.id, values({ windowEnabled: true, windowStart: '23:30', windowMinutes: ' 90 ' }), 'sample');
    expect(parsed).toMatchObject({ ok: true, value: { applyWindowStart: '23:30', applyWindowMinutes: 90, clearApplyWindow: false } });
  });

  it.each([
    ['0', 'the sample fraction must be more than 0'],
    ['1.5', 'the sample fraction is at most 1'],
    ['', 'the sample fraction is required'],
    ['a lot', 'the sample fraction must be a number'],
  ])('refuses the sample fraction %j', (fraction, message) => {
    expect(parsePolicyForm(demo.id, values({ sandboxSampleFraction: fraction }), 'sample')).toEqual({ ok: false, errors: { sandboxSampleFraction: message } });
  });

  it.each(['0', '1441', '1.5', ''])('refuses a window of %j minutes', (minutes) => {
    const parsed = parsePolicyForm(demo.id, values({ windowEnabled: true, windowMinutes: minutes }), 'sample');
    expect(parsed).toEqual({ ok: false, errors: { windowMinutes: 'the window lasts a whole number of minutes, from 1 to 1440' } });
  });

  it('refuses a start that is not a time of day, and ignores the window fields when there is no window', () => {
    expect(parsePolicyForm(demo.id, values({ windowEnabled: true, windowStart: '25:00' }), 'sample')).toMatchObject({
      ok: false,
      errors: { windowStart: expect.stringContaining('time of day') },
    });
    expect(parsePolicyForm(demo.id, values({ windowEnabled: false, windowStart: 'x', windowMinutes: '0' }), 'sample').ok).toBe(true);
  });

  it('refuses values the API does not know', () => {
    expect(parsePolicyForm(demo.id, values({ autoApply: 'always' }), 'sample')).toMatchObject({
      ok: false,
      errors: { autoApply: 'choose when changes are applied' },
    });
    expect(parsePolicyForm(demo.id, values({ sandboxStrategy: 'docker' }), 'sample')).toMatchObject({
      ok: false,
      errors: { sandboxStrategy: 'choose a sandbox strategy' },
    });
  });

  it('keeps a url sandbox as it is, and does not set one (the CLI seals its URL)', () => {
    expect(parsePolicyForm(demo.id, values({ sandboxStrategy: 'url' }), 'url')).toMatchObject({ ok: true, value: { sandboxStrategy: null } });
    expect(parsePolicyForm(demo.id, values({ sandboxStrategy: 'url' }), 'sample')).toMatchObject({
      ok: false,
      errors: { sandboxStrategy: expect.stringContaining('CLI') },
    });
  });
});

describe('windowText', () => {
  it('gives the window with its end, past midnight too', () => {
    expect(windowText('02:30:00.000000', 60)).toBe('02:30 UTC for 60 min (until 03:30)');
    expect(windowText('23:30:00', 90)).toBe('23:30 UTC for 90 min (until 01:00)');
    expect(windowText(null, null)).toContain('none');
  });
});
