import { ACTION_ROLE, can, type AppRole } from '../../app/session-context.tsx';
import { AddDatabaseForm, type CreatedTarget } from './AddDatabaseForm.tsx';
import type { TargetForm } from './access-forms.ts';
import type { Outcome } from './outcome.ts';
import { TargetCard, type TargetActions } from './TargetCard.tsx';
import type { TargetView } from './target-view.ts';

export interface DatabaseActions extends TargetActions {
  create(form: TargetForm): Promise<Outcome<CreatedTarget>>;
}

/** The monitored databases, each with its connection test and policy; admins add and delete them. */
export function DatabasesList({ targets, role, actions }: { targets: readonly TargetView[]; role: AppRole; actions: DatabaseActions }) {
  const admin = can(role, ACTION_ROLE.manageTargets);
  return (
    <div className="stack settings-panel">
      {targets.length === 0 && (
        <p className="muted" data-testid="no-targets">
          No database is monitored yet.{admin ? ' Add one below.' : ' An admin can add one.'}
        </p>
      )}
      {targets.map((t) => (
        <TargetCard key={t.id} target={t} role={role} actions={actions} />
      ))}
      {admin ? <AddDatabaseForm onCreate={actions.create} /> : <p className="muted">Adding and deleting databases needs the admin role.</p>}
    </div>
  );
}
