import { useId, useState, type FormEvent } from 'react';
import { useActionStatus } from './action-status.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { parseApiKeyForm, type ApiKeyForm } from './access-forms.ts';
import { Field } from './Field.tsx';
import type { FieldErrors } from './form-errors.ts';
import { NewKeySecret, type NewKey } from './NewKeySecret.tsx';
import type { Outcome } from './outcome.ts';
import { RoleHint } from './RoleHint.tsx';
import { ROLES } from './roles.ts';

/** Creates an API key and shows its secret, this once. */
export function CreateApiKeyForm({ onCreate }: { onCreate(form: ApiKeyForm): Promise<Outcome<NewKey>> }) {
  const id = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [errors, setErrors] = useState<FieldErrors<'name' | 'role'>>({});
  // The secret lives here only, never in the URL or a cache: hiding it forgets it.
  const [created, setCreated] = useState<NewKey | null>(null);
  const { state, run } = useActionStatus();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseApiKeyForm({ name, role });
    setErrors(parsed.ok ? {} : parsed.errors);
    if (!parsed.ok) return;
    setCreated(null);
    const outcome = await run(
      () => onCreate(parsed.value),
      (k) => `Key ${k.name} created.`,
    );
    if (outcome.ok) {
      setCreated(outcome.data);
      setName('');
    }
  };
  return (
    <div className="stack" style={{ gap: '0.5rem' }}>
      <form onSubmit={submit} noValidate className="stack settings-form" aria-labelledby={`${id}-heading`} data-testid="create-key">
        <h3 id={`${id}-heading`}>Create an API key</h3>
        <div className="row" style={{ alignItems: 'end' }}>
          <Field label="Name (what will use it)" error={errors.name}>
            {(p) => <input {...p} type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label="Role" error={errors.role}>
            {(p) => (
              <select {...p} value={role} onChange={(e) => setRole(e.target.value)}>
                {ROLES.map((r) => (
                  <option key={r.role} value={r.role}>
                    {r.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" className="primary" disabled={state.busy}>
            Create key
          </button>
        </div>
        <RoleHint />
        <ActionStatus state={state} what="create the key" />
      </form>
      {created && <NewKeySecret created={created} onDone={() => setCreated(null)} />}
    </div>
  );
}
