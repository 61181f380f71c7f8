import { useId, useState, type FormEvent } from 'react';
import { useActionStatus } from './action-status.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { parseMemberForm, type MemberForm } from './access-forms.ts';
import { Field } from './Field.tsx';
import type { FieldErrors } from './form-errors.ts';
import type { Outcome } from './outcome.ts';
import { RoleHint } from './RoleHint.tsx';
import { ROLES } from './roles.ts';

/** Adds someone to the team by email, with a role; the email is checked before it is sent. */
export function AddMemberForm({ onAdd }: { onAdd(form: MemberForm): Promise<Outcome<unknown>> }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('viewer');
  const [errors, setErrors] = useState<FieldErrors<'email' | 'role'>>({});
  const { state, run } = useActionStatus();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseMemberForm({ email, role });
    setErrors(parsed.ok ? {} : parsed.errors);
    if (!parsed.ok) return;
    const outcome = await run(
      () => onAdd(parsed.value),
      () => `${parsed.value.email} added as ${parsed.value.role}.`,
    );
    if (outcome.ok) setEmail('');
  };
  return (
    <form onSubmit={submit} noValidate className="stack settings-form" aria-labelledby={`${id}-heading`} data-testid="add-member">
      <h3 id={`${id}-heading`}>Add a member</h3>
      <p className="muted">Someone new signs in with single sign-on under this email; someone with an account in another team is added to this one.</p>
      <div className="row" style={{ alignItems: 'end' }}>
        <Field label="Email" error={errors.email}>
          {(p) => <input {...p} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />}
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
          Add member
        </button>
      </div>
      <RoleHint />
      <ActionStatus state={state} what="add the member" />
    </form>
  );
}
