// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiKeysPanel, type ApiKeyActions } from '../../../ui/src/pages/settings/ApiKeysPanel.tsx';
import { expectAccessible } from '../support/axe.ts';
import '../support/dom.ts';
import recorded from './fixtures/api-keys.json' with { type: 'json' };

afterEach(cleanup);

// The shape create_api_key returns (migration 0003): osk_<prefix>_<64 hex>.
const SECRET = 'osk_5be0e2a1_9f1c2d3e4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';

function actions(patch: Partial<ApiKeyActions> = {}): ApiKeyActions {
  return {
    create: vi.fn(async (form) => ({ ok: true as const, data: { name: form.name, prefix: '5be0e2a1', key: SECRET } })),
    revoke: vi.fn(async () => ({ ok: true as const, data: {} })),
    ...patch,
  };
}

describe('ApiKeysPanel', () => {
  it('lists the keys by prefix, role and state, never a secret (recorded)', () => {
    render(<ApiKeysPanel keys={recorded.allApiKeys.nodes} actions={actions()} />);
    const rows = screen.getAllByTestId('api-key-row');
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['nightly-report', 'ci']);
    expect(rows[0]!.textContent).toContain('osk_0325ddeb_…');
    expect(rows[0]!.textContent).toContain('active');
    expect(rows[1]!.textContent).toContain('revoked');
    expect(within(rows[1]!).queryByRole('button', { name: /Revoke/ })).toBeNull();
    expect(within(rows[0]!).getByRole('button', { name: 'Revoke nightly-report' })).toBeTruthy();
  });

  it('shows a new key once, with a copy button and a warning, then forgets it', async () => {
    const a = actions();
    const { container } = render(<ApiKeysPanel keys={recorded.allApiKeys.nodes} actions={a} />);
    await userEvent.type(screen.getByLabelText(/Name/), 'deploy-bot');
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'analyst');
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(a.create).toHaveBeenCalledWith({ name: 'deploy-bot', role: 'analyst' });
    const shown = within(screen.getByTestId('new-key'));
    expect((shown.getByLabelText('API key') as HTMLInputElement).value).toBe(SECRET);
    expect(shown.getByRole('alert').textContent).toContain('it will not be shown again');
    expect(shown.getByRole('button', { name: 'Copy the key' })).toBeTruthy();
    await expectAccessible(container);

    await userEvent.click(shown.getByRole('button', { name: 'I have stored it: hide the key' }));
    expect(screen.queryByTestId('new-key')).toBeNull();
    expect(container.innerHTML).not.toContain(SECRET);
    expect(container.innerHTML).not.toContain(SECRET.slice(14));
  });

  it('checks the name before sending', async () => {
    const a = actions();
    render(<ApiKeysPanel keys={[]} actions={a} />);
    expect(screen.getByTestId('no-keys')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(a.create).not.toHaveBeenCalled();
    expect(screen.getByText('a key needs a name (what uses it)')).toBeTruthy();
  });

  it('revokes only after the confirmation, and shows a refusal in the dialog', async () => {
    const a = actions({ revoke: vi.fn(async () => ({ ok: false as const, message: 'this needs the admin role' })) });
    render(<ApiKeysPanel keys={recorded.allApiKeys.nodes} actions={a} />);
    await userEvent.click(screen.getByRole('button', { name: 'Revoke nightly-report' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Revoke nightly-report?' }));
    expect(a.revoke).not.toHaveBeenCalled();
    await userEvent.click(dialog.getByRole('button', { name: 'Revoke' }));
    expect(a.revoke).toHaveBeenCalledWith('75a144a6-9c25-4be0-bd14-b178f8490224');
    expect(dialog.getByRole('alert').textContent).toBe('Could not revoke it: this needs the admin role');
  });
});
