import { describe, expect, it } from 'vitest';
import { aiSettingsFormValues, parseAiSettingsForm } from '../../../ui/src/pages/ai/ai-settings-form.ts';
import { statusView } from '../../../ui/src/pages/ai/ai-status.ts';
import recorded from './fixtures/analyses.json' with { type: 'json' };

const values = aiSettingsFormValues(statusView(recorded.statusOn));

describe('the AI settings form', () => {
  it('starts from the status, the base URL empty (it is not read back)', () => {
    expect(values).toEqual({ enabled: true, provider: 'openai', model: 'gpt-4.1-mini', baseUrl: '', sendLiterals: false, monthlyTokenBudget: '2000000', reviewsPerHour: '20' });
    expect(aiSettingsFormValues(null)).toMatchObject({ enabled: true, provider: '', monthlyTokenBudget: '2000000', reviewsPerHour: '20' });
  });

  it('gives setAiSettings its input: BigInt as a string, no provider as the server default', () => {
    expect(parseAiSettingsForm({ ...values, provider: 'ollama', model: ' qwen2.5-coder:7b ', baseUrl: 'http://127.0.0.1:11434', monthlyTokenBudget: '500000', reviewsPerHour: '10' })).toEqual({
      ok: true,
      value: { enabled: true, provider: 'ollama', model: 'qwen2.5-coder:7b', baseUrl: 'http://127.0.0.1:11434', sendLiterals: false, monthlyTokenBudget: '500000', reviewsPerHour: 10 },
    });
    expect(parseAiSettingsForm({ ...values, provider: '', model: 'left over' })).toMatchObject({ ok: true, value: { provider: null, model: null, baseUrl: null } });
  });

  it('refuses what the database would, one message per field', () => {
    expect(parseAiSettingsForm({ ...values, model: '' })).toEqual({ ok: false, errors: { model: 'a provider needs a model (e.g. gpt-4.1-mini, qwen2.5-coder:7b)' } });
    expect(parseAiSettingsForm({ ...values, provider: 'claude' })).toMatchObject({ ok: false, errors: { provider: 'choose a provider' } });
    expect(parseAiSettingsForm({ ...values, baseUrl: 'ftp://x' })).toMatchObject({ ok: false, errors: { baseUrl: 'a base URL starts with http:// or https://' } });
    expect(parseAiSettingsForm({ ...values, monthlyTokenBudget: '-1', reviewsPerHour: '10001' })).toEqual({
      ok: false,
      errors: { monthlyTokenBudget: 'the monthly token budget is a whole number, 0 or more', reviewsPerHour: 'the hourly rate is at most 10,000' },
    });
  });
});
