import { useState } from 'react';
import { ConfirmedRemoval, useConfirmedRemoval } from './ConfirmedRemoval.tsx';
import { formatTime } from '../../format.ts';
import { useActionStatus } from './action-status.ts';
import { ActionStatus } from './ActionStatus.tsx';
import type { MemberForm } from './access-forms.ts';
import { AddMemberForm } from './AddMemberForm.tsx';
import type { Outcome } from './outcome.ts';
import { ROLES } from './roles.ts';

export interface MemberView {
  userId: string;
  email: string | null;
  displayName: string | null;
  role: string | null;
  createdAt: string | null;
}

export interface MemberActions {
  add(form: MemberForm): Promise<Outcome<unknown>>;
  setRole(userId: string, role: string): Promise<Outcome<unknown>>;
  remove(userId: string): Promise<Outcome<unknown>>;
}

/** The tenant's members and their roles (admins): change a role, remove someone, add someone by email. */
export function MembersPanel({ members, selfEmail, actions }: { members: readonly MemberView[]; selfEmail: string | null; actions: MemberActions }) {
  const rows = useActionStatus();
  const removal = useConfirmedRemoval<MemberView>(
    (m) => actions.remove(m.userId),
    (m) => `${m.email ?? 'The member'} removed.`,
  );
  return (
    <div className="stack settings-panel" style={{ gap: '0.75rem' }}>
      <div className="table-scroll">
        <table data-testid="members">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col" className="hide-narrow">
                Name
              </th>
              <th scope="col">Role</th>
              <th scope="col" className="hide-narrow">
                Member since
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <MemberRow
                key={`${m.userId}:${m.role}`}
                member={m}
                self={selfEmail !== null && m.email === selfEmail}
                busy={rows.state.busy}
                onSetRole={(role) =>
                  void rows.run(
                    () => actions.setRole(m.userId, role),
                    () => `${m.email ?? 'The member'} is now ${role}.`,
                  )
                }
                onRemove={() => removal.ask(m)}
              />
            ))}
          </tbody>
        </table>
      </div>
      <ActionStatus state={rows.state} what="change the role" />
      <ConfirmedRemoval
        removal={removal}
        what="remove the member"
        title={(m) => `Remove ${m.email ?? 'this member'}?`}
        confirmLabel="Remove"
        failure="Could not remove them"
      >
        <p>They lose access to this team at once; their account and the audit log's record of what they did stay.</p>
      </ConfirmedRemoval>
      <AddMemberForm onAdd={actions.add} />
    </div>
  );
}

function MemberRow({
  member,
  self,
  busy,
  onSetRole,
  onRemove,
}: {
  member: MemberView;
  self: boolean;
  busy: boolean;
  onSetRole(role: string): void;
  onRemove(): void;
}) {
  const [role, setRole] = useState(member.role ?? 'viewer');
  const who = member.email ?? member.userId;
  return (
    <tr data-testid="member-row">
      <td>
        {who}
        {self && <span className="muted"> (you)</span>}
      </td>
      <td className="hide-narrow">{member.displayName || '–'}</td>
      <td>
        <div className="row">
          <select aria-label={`Role of ${who}`} value={role} onChange={(e) => setRole(e.target.value)}>
            {ROLES.map((r) => (
              <option key={r.role} value={r.role}>
                {r.label}
              </option>
            ))}
          </select>
          <button type="button" aria-label={`Change role of ${who}`} disabled={busy || role === member.role} onClick={() => onSetRole(role)}>
            Change role
          </button>
        </div>
      </td>
      <td className="hide-narrow">{formatTime(member.createdAt)}</td>
      <td>
        <button
          type="button"
          className="danger"
          aria-label={`Remove ${who}`}
          disabled={self}
          title={self ? 'you cannot remove yourself' : undefined}
          onClick={onRemove}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}
