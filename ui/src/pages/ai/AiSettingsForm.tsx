import { useState, type FormEvent } from 'react';
import { useActionStatus } from '../settings/action-status.ts';
import { ActionStatus } from '../settings/ActionStatus.tsx';
import { Field } from '../settings/Field.tsx';
import type { FieldErrors } from '../settings/form-errors.ts';
import type { Outcome } from '../settings/outcome.ts';
import type { AiSettingsInput } from './ai-queries.ts';
import { aiSettingsFormValues, parseAiSettingsForm, PROVIDERS, type AiSettingsField, type AiSettingsFormValues } from './ai-settings-form.ts';
import type { AiStatusView } from './ai-status.ts';

/** An admin's form for the tenant's model: provider, model, address, literals, budget and rate. Never the key. */
export function AiSettingsForm({ status, onSave }: { status: AiStatusView | null; onSave(input: AiSettingsInput): Promise<Outcome<unknown>> }) {
  const [values, setValues] = useState<AiSettingsFormValues>(() => aiSettingsFormValues(status));
  const [errors, setErrors] = useState<FieldErrors<AiSettingsField>>({});
  const { state, run } = useActionStatus();
  const set = <K extends AiSettingsField>(key: K, value: AiSettingsFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseAiSettingsForm(values);
    setErrors(parsed.ok ? {} : parsed.errors);
    if (parsed.ok)
      await run(
        () => onSave(parsed.value),
        () => 'AI settings saved.',
      );
  };
  const defaultProvider = values.provider === '';
  return (
    <form onSubmit={submit} noValidate className="stack settings-form" aria-label="AI settings" data-testid="ai-settings-form">
      <label className="inline">
        <input type="checkbox" checked={values.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Analyse slow statements with the model
      </label>
      <Field label="Provider" error={errors.provider}>
        {(p) => (
          <select {...p} value={values.provider} onChange={(e) => set('provider', e.target.value)}>
            {PROVIDERS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Model" error={errors.model}>
        {(p) => (
          <input
            {...p}
            type="text"
            value={defaultProvider ? '' : values.model}
            disabled={defaultProvider}
            maxLength={200}
            placeholder={defaultProvider ? "the server's default" : 'e.g. gpt-4.1-mini, qwen2.5-coder:7b'}
            onChange={(e) => set('model', e.target.value)}
          />
        )}
      </Field>
      <Field label="Base URL (optional: Azure OpenAI, an OpenAI-compatible server, Ollama)" error={errors.baseUrl}>
        {(p) => (
          <input
            {...p}
            type="url"
            inputMode="url"
            value={values.baseUrl}
            placeholder="the provider's own address"
            onChange={(e) => set('baseUrl', e.target.value)}
          />
        )}
      </Field>
      <p className="muted ai-hint">The saved base URL is not read back: saving with this field empty uses the provider's own address.</p>
      <label className="inline">
        <input type="checkbox" checked={values.sendLiterals} onChange={(e) => set('sendLiterals', e.target.checked)} /> Send literal values to the model
        (query constants, pg_qualstats samples, most-common values)
      </label>
      {values.sendLiterals && <p className="warn ai-hint">Literal values can be personal data: they leave this server for the provider.</p>}
      <div className="row" style={{ alignItems: 'start' }}>
        <Field label="Monthly token budget" error={errors.monthlyTokenBudget}>
          {(p) => (
            <input {...p} type="number" inputMode="numeric" min="0" step="1" value={values.monthlyTokenBudget} onChange={(e) => set('monthlyTokenBudget', e.target.value)} />
          )}
        </Field>
        <Field label="Analyses per hour, at most" error={errors.reviewsPerHour}>
          {(p) => (
            <input {...p} type="number" inputMode="numeric" min="0" max="10000" step="1" value={values.reviewsPerHour} onChange={(e) => set('reviewsPerHour', e.target.value)} />
          )}
        </Field>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={state.busy}>
          Save AI settings
        </button>
      </div>
      <ActionStatus state={state} what="save the AI settings" />
    </form>
  );
}
