import { useState, type FormEvent } from 'react';
import type { Outcome } from './outcome.ts';
import { useActionStatus } from './action-status.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { Field } from './Field.tsx';
import type { FieldErrors } from './form-errors.ts';
import { parseThresholdForm, thresholdFormValues, type TargetThresholds, type ThresholdFormValues, type ThresholdsInput } from './thresholds-form.ts';

const FIELDS: readonly { key: keyof ThresholdFormValues; label: string; step: string }[] = [
  { key: 'slowThresholdMs', label: 'Slow above (mean ms per call)', step: 'any' },
  { key: 'slowMinCalls', label: 'Slow only with at least (calls in the hour looked at)', step: '1' },
  { key: 'snapshotIntervalS', label: 'Snapshot every (seconds)', step: '1' },
];

/** An admin's form for when a statement counts as slow and how often statistics are read. */
export function ThresholdsForm({
  targetId,
  targetName,
  thresholds,
  onSave,
}: {
  targetId: string;
  targetName: string;
  thresholds: TargetThresholds;
  onSave(input: ThresholdsInput): Promise<Outcome<unknown>>;
}) {
  const [values, setValues] = useState<ThresholdFormValues>(() => thresholdFormValues(thresholds));
  const [errors, setErrors] = useState<FieldErrors<keyof ThresholdFormValues>>({});
  const { state, run } = useActionStatus();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseThresholdForm(targetId, values);
    setErrors(parsed.ok ? {} : parsed.errors);
    if (parsed.ok)
      await run(
        () => onSave(parsed.value),
        () => 'Thresholds saved.',
      );
  };
  return (
    <form onSubmit={submit} noValidate className="stack settings-form" aria-label={`Thresholds of ${targetName}`} data-testid="thresholds-form">
      <div className="row" style={{ alignItems: 'start' }}>
        {FIELDS.map((f) => (
          <Field key={f.key} label={f.label} error={errors[f.key]}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="decimal"
                step={f.step}
                min="0"
                value={values[f.key]}
                onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
              />
            )}
          </Field>
        ))}
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={state.busy}>
          Save thresholds
        </button>
      </div>
      <ActionStatus state={state} what="save the thresholds" />
    </form>
  );
}

export function ThresholdDetails({ thresholds }: { thresholds: TargetThresholds }) {
  return (
    <dl data-testid="threshold-details">
      <dt>Slow above</dt>
      <dd>{thresholds.slowThresholdMs ?? '–'} ms mean per call</dd>
      <dt>Slow only with at least</dt>
      <dd>{thresholds.slowMinCalls ?? '–'} calls in the hour looked at</dd>
      <dt>Snapshot every</dt>
      <dd>{thresholds.snapshotIntervalS ?? '–'} s</dd>
    </dl>
  );
}
