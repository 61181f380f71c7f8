import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { formatAgo, formatTime } from '../../format.ts';
import { useActionStatus } from './action-status.ts';
import { ActionStatus } from './ActionStatus.tsx';
import type { ApiKeyForm } from './access-forms.ts';
import { CreateApiKeyForm } from './CreateApiKeyForm.tsx';
import type { NewKey } from './NewKeySecret.tsx';
import type { Outcome } from './outcome.ts';

export interface ApiKeyView {
  rowId: string;
  name: string | null;
  prefix: string | null;
  role: string | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiKeyActions {
  create(form: ApiKeyForm): Promise<Outcome<NewKey>>;
  revoke(apiKeyId: string): Promise<Outcome<unknown>>;
}

/** The tenant's API keys (admins): each one's use and state; create one (its secret shown once), revoke one. */
export function ApiKeysPanel({ keys, actions }: { keys: readonly ApiKeyView[]; actions: ApiKeyActions }) {
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const revocation = useActionStatus();
  const revoke = async (k: ApiKeyView) => {
    const outcome = await revocation.run(
      () => actions.revoke(k.rowId),
      () => `${k.name ?? 'The key'} revoked.`,
    );
    if (outcome.ok) setRevoking(null);
  };
  return (
    <div className="stack settings-panel" style={{ gap: '0.75rem' }}>
      {keys.length === 0 ? (
        <p className="muted" data-testid="no-keys">
          No API key yet: create one for a script or CI job.
        </p>
      ) : (
        <div className="table-scroll">
          <table data-testid="api-keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="hide-narrow">
                  Key
                </th>
                <th scope="col">Role</th>
                <th scope="col" className="hide-narrow">
                  Created
                </th>
                <th scope="col" className="hide-narrow">
                  Last used
                </th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.rowId} data-testid="api-key-row">
                  <td>{k.name}</td>
                  <td className="hide-narrow">
                    <code>osk_{k.prefix}_…</code>
                  </td>
                  <td>{k.role}</td>
                  <td className="hide-narrow">{formatTime(k.createdAt)}</td>
                  <td className="hide-narrow" title={formatTime(k.lastUsedAt)}>
                    {formatAgo(k.lastUsedAt)}
                  </td>
                  <td className={k.revokedAt ? 'muted' : 'ok'}>{k.revokedAt ? `revoked ${formatTime(k.revokedAt)}` : 'active'}</td>
                  <td>
                    {!k.revokedAt && (
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Revoke ${k.name ?? k.prefix}`}
                        onClick={() => {
                          revocation.reset();
                          setRevoking(k);
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ActionStatus state={revoking ? { ...revocation.state, error: null } : revocation.state} what="revoke the key" />
      <CreateApiKeyForm onCreate={actions.create} />
      {revoking && (
        <ConfirmDialog
          open
          danger
          title={`Revoke ${revoking.name ?? 'this key'}?`}
          confirmLabel="Revoke"
          busy={revocation.state.busy}
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
        >
          <p>Every request with this key is refused from now on. A revoked key cannot be restored.</p>
          {revocation.state.error && (
            <p role="alert" className="error">
              Could not revoke it: {revocation.state.error}
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
