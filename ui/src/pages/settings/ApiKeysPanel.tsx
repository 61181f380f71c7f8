import { formatAgo, formatTime } from '../../format.ts';
import { ConfirmedRemoval, useConfirmedRemoval } from './ConfirmedRemoval.tsx';
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
  const revocation = useConfirmedRemoval<ApiKeyView>(
    (k) => actions.revoke(k.rowId),
    (k) => `${k.name ?? 'The key'} revoked.`,
  );
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
                        onClick={() => revocation.ask(k)}
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
      <ConfirmedRemoval
        removal={revocation}
        what="revoke the key"
        title={(k) => `Revoke ${k.name ?? 'this key'}?`}
        confirmLabel="Revoke"
        failure="Could not revoke it"
      >
        <p>Every request with this key is refused from now on. A revoked key cannot be restored.</p>
      </ConfirmedRemoval>
      <CreateApiKeyForm onCreate={actions.create} />
    </div>
  );
}
