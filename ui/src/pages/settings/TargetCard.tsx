import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ACTION_ROLE, can, type AppRole } from '../../app/session-context.tsx';
import { formatAgo, formatTime } from '../../format.ts';
import { useActionStatus } from './action-status.ts';
import { ActionStatus } from './ActionStatus.tsx';
import type { CheckView } from './check-result.ts';
import { CheckResultView } from './CheckResultView.tsx';
import type { Outcome } from './outcome.ts';
import { PolicyDetails } from './PolicyDetails.tsx';
import { PolicyForm } from './PolicyForm.tsx';
import type { PolicyInput } from './policy-form.ts';
import type { TargetView } from './target-view.ts';
import { ThresholdDetails, ThresholdsForm } from './ThresholdsForm.tsx';
import type { ThresholdsInput } from './thresholds-form.ts';

export interface TargetActions {
  test(targetId: string): Promise<Outcome<CheckView>>;
  savePolicy(input: PolicyInput): Promise<Outcome<unknown>>;
  saveThresholds(input: ThresholdsInput): Promise<Outcome<unknown>>;
  remove(targetId: string): Promise<Outcome<unknown>>;
}

const TONE = { ok: 'ok', warn: 'warn', error: 'error', muted: 'muted' } as const;

/** One monitored database: its collection status, last connection test, policy and thresholds. */
export function TargetCard({ target, role, actions }: { target: TargetView; role: AppRole; actions: TargetActions }) {
  const admin = can(role, ACTION_ROLE.manageTargets);
  const mayTest = can(role, 'analyst');
  const [tested, setTested] = useState<CheckView | null>(null);
  const [confirming, setConfirming] = useState(false);
  const testing = useActionStatus();
  const removing = useActionStatus();
  const heading = `target-${target.id}`;

  const test = async () => {
    const outcome = await testing.run(
      () => actions.test(target.id),
      (check) => `Connection tested: ${check.summary}.`,
    );
    if (outcome.ok) setTested(outcome.data);
  };
  const remove = async () => {
    const outcome = await removing.run(
      () => actions.remove(target.id),
      () => `${target.name} deleted.`,
    );
    if (outcome.ok) setConfirming(false);
  };

  return (
    <article aria-labelledby={heading} className="target-card" data-testid={`target-${target.id}`}>
      <h3 id={heading}>{target.name}</h3>
      <dl>
        <dt>Status</dt>
        <dd className={TONE[target.status.tone]} data-testid="target-status">
          {target.status.text}
          {target.statusMessage ? `: ${target.statusMessage}` : ''}
        </dd>
        <dt>Last snapshot</dt>
        <dd title={formatTime(target.lastSnapshotAt)}>{target.lastSnapshotAt ? formatAgo(target.lastSnapshotAt) : 'none yet'}</dd>
        <dt>Added</dt>
        <dd>{formatTime(target.createdAt)}</dd>
      </dl>

      <h4>Connection test</h4>
      <CheckResultView check={tested ?? target.check} />
      {mayTest && (
        <div className="row">
          <button type="button" onClick={() => void test()} disabled={testing.state.busy}>
            {testing.state.busy ? 'Testing…' : 'Test connection'}
          </button>
        </div>
      )}
      <ActionStatus state={testing.state} what="test the connection" />

      <h4>Sandbox and apply policy</h4>
      {admin ? (
        <PolicyForm targetId={target.id} targetName={target.name} policy={target.policy} onSave={actions.savePolicy} />
      ) : (
        <>
          <PolicyDetails policy={target.policy} />
          <p className="muted">Changing the policy needs the admin role.</p>
        </>
      )}

      <h4>Slow-query thresholds and snapshots</h4>
      {admin ? (
        <ThresholdsForm targetId={target.id} targetName={target.name} thresholds={target.thresholds} onSave={actions.saveThresholds} />
      ) : (
        <>
          <ThresholdDetails thresholds={target.thresholds} />
          <p className="muted">Changing the thresholds needs the admin role.</p>
        </>
      )}

      {admin && (
        <div className="row danger-zone">
          <button
            type="button"
            className="danger"
            onClick={() => {
              removing.reset();
              setConfirming(true);
            }}
          >
            Delete {target.name}
          </button>
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          open
          danger
          title={`Delete ${target.name}?`}
          confirmLabel="Delete the database from OptiSchema"
          busy={removing.state.busy}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            OptiSchema stops monitoring {target.name} and forgets its statistics, recommendations and applied-change history. The database itself is not
            changed: indexes OptiSchema applied stay in place.
          </p>
          <ActionStatus state={removing.state} what={`delete ${target.name}`} />
        </ConfirmDialog>
      )}
    </article>
  );
}
