import { useState, type FormEvent } from 'react';
import type { Outcome } from './outcome.ts';
import { useActionStatus } from './action-status.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { Field } from './Field.tsx';
import type { FieldErrors } from './form-errors.ts';
import { AUTO_APPLY, parsePolicyForm, policyFormValues, STRATEGIES, type PolicyFormValues, type PolicyInput, type TargetPolicy } from './policy-form.ts';

/** An admin's form for where changes are tried and when they reach production. */
export function PolicyForm({
  targetId,
  targetName,
  policy,
  onSave,
}: {
  targetId: string;
  targetName: string;
  policy: TargetPolicy;
  onSave(input: PolicyInput): Promise<Outcome<unknown>>;
}) {
  const [values, setValues] = useState<PolicyFormValues>(() => policyFormValues(policy));
  const [errors, setErrors] = useState<FieldErrors<keyof PolicyFormValues>>({});
  const { state, run } = useActionStatus();
  const set = <K extends keyof PolicyFormValues>(key: K, value: PolicyFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parsePolicyForm(targetId, values, policy.sandboxStrategy);
    setErrors(parsed.ok ? {} : parsed.errors);
    if (parsed.ok)
      await run(
        () => onSave(parsed.value),
        () => 'Policy saved.',
      );
  };

  return (
    <form onSubmit={submit} noValidate className="stack settings-form" aria-label={`Sandbox and apply policy of ${targetName}`} data-testid="policy-form">
      <Field label="Sandbox strategy" error={errors.sandboxStrategy}>
        {(p) => (
          <select {...p} value={values.sandboxStrategy} onChange={(e) => set('sandboxStrategy', e.target.value)}>
            {STRATEGIES.map((s) => (
              // A url sandbox's URL is sealed by the CLI: offered only when it is already the strategy.
              <option key={s.value} value={s.value} disabled={s.value === 'url' && policy.sandboxStrategy !== 'url'}>
                {s.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Sample fraction (sample strategy: the share of each table copied, up to 1)" error={errors.sandboxSampleFraction}>
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="decimal"
            step="any"
            min="0"
            max="1"
            value={values.sandboxSampleFraction}
            onChange={(e) => set('sandboxSampleFraction', e.target.value)}
          />
        )}
      </Field>
      <label className="inline">
        <input type="checkbox" checked={values.autoValidate} onChange={(e) => set('autoValidate', e.target.checked)} /> Validate every new index recommendation
        in the sandbox by itself
      </label>
      <Field label="Apply automatically" error={errors.autoApply}>
        {(p) => (
          <select {...p} value={values.autoApply} onChange={(e) => set('autoApply', e.target.value)}>
            {AUTO_APPLY.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset>
        <legend>Daily apply window (UTC)</legend>
        <label className="inline">
          <input type="checkbox" checked={values.windowEnabled} onChange={(e) => set('windowEnabled', e.target.checked)} /> Apply only inside a daily window
        </label>
        <div className="row" style={{ alignItems: 'start' }}>
          <Field label="Starts at" error={errors.windowStart}>
            {(p) => (
              <input {...p} type="time" value={values.windowStart} disabled={!values.windowEnabled} onChange={(e) => set('windowStart', e.target.value)} />
            )}
          </Field>
          <Field label="Lasts (minutes)" error={errors.windowMinutes}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min="1"
                max="1440"
                step="1"
                value={values.windowMinutes}
                disabled={!values.windowEnabled}
                onChange={(e) => set('windowMinutes', e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <div className="row">
        <button type="submit" className="primary" disabled={state.busy}>
          Save policy
        </button>
      </div>
      <ActionStatus state={state} what="save the policy" />
    </form>
  );
}
