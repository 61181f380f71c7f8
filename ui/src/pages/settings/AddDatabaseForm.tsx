import { useId, useState, type FormEvent } from 'react';
import { useActionStatus } from './action-status.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { parseTargetForm, type TargetForm } from './access-forms.ts';
import type { CheckView } from './check-result.ts';
import { CheckResultView } from './CheckResultView.tsx';
import { Field } from './Field.tsx';
import type { FieldErrors } from './form-errors.ts';
import type { Outcome } from './outcome.ts';

export interface CreatedTarget {
  targetId: string;
  name: string;
  /** The connection test run right after: its result, or why it could not run. */
  check: Outcome<CheckView>;
}

/**
 * Registers a database. The connection string is a password field that is emptied once sent:
 * the server seals it and never returns it, so it is never on screen again.
 */
export function AddDatabaseForm({ onCreate }: { onCreate(form: TargetForm): Promise<Outcome<CreatedTarget>> }) {
  const id = useId();
  const [name, setName] = useState('');
  const [connectionString, setConnectionString] = useState('');
  const [errors, setErrors] = useState<FieldErrors<'name' | 'connectionString'>>({});
  const [created, setCreated] = useState<CreatedTarget | null>(null);
  const { state, run } = useActionStatus();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseTargetForm({ name, connectionString });
    setErrors(parsed.ok ? {} : parsed.errors);
    if (!parsed.ok) return;
    setCreated(null);
    const outcome = await run(
      () => onCreate(parsed.value),
      (t) => `Added ${t.name}.`,
    );
    if (outcome.ok) {
      setCreated(outcome.data);
      setName('');
      setConnectionString('');
    }
  };

  return (
    <div className="stack" style={{ gap: '0.5rem' }}>
      <form onSubmit={submit} noValidate className="stack settings-form" aria-labelledby={`${id}-heading`} data-testid="add-database">
        <h3 id={`${id}-heading`}>Add a database</h3>
        <Field label="Name" error={errors.name}>
          {(p) => <input {...p} type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Connection string (postgres://user:password@host:5432/database; stored encrypted, never shown again)" error={errors.connectionString}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={connectionString}
              onChange={(e) => setConnectionString(e.target.value)}
            />
          )}
        </Field>
        <div className="row">
          <button type="submit" className="primary" disabled={state.busy}>
            {state.busy ? 'Adding and testing…' : 'Add and test the connection'}
          </button>
        </div>
        <ActionStatus state={state} what="add the database" />
      </form>
      {created && (
        <div data-testid="created-check">
          <h4>Connection test of {created.name}</h4>
          {created.check.ok ? (
            <CheckResultView check={created.check.data} />
          ) : (
            <p role="alert" className="error">
              The database was added, but its connection could not be tested: {created.check.message}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
