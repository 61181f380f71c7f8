// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MembersPanel, type MemberActions } from '../../../ui/src/pages/settings/MembersPanel.tsx';
import { expectAccessible } from '../support/axe.ts';
import '../support/dom.ts';
import recorded from './fixtures/members.json' with { type: 'json' };

afterEach(cleanup);

function actions(patch: Partial<MemberActions> = {}): MemberActions {
  return {
    add: vi.fn(async () => ({ ok: true as const, data: {} })),
    setRole: vi.fn(async () => ({ ok: true as const, data: {} })),
    remove: vi.fn(async () => ({ ok: true as const, data: {} })),
    ...patch,
  };
}

const members = recorded.allMembers.nodes;
const ana = members.find((m) => m.email === 'ana@example.com')!;

describe('MembersPanel', () => {
  it('lists the members with their roles; you cannot remove yourself (recorded)', () => {
    render(<MembersPanel members={members} selfEmail="admin@localhost" actions={actions()} />);
    expect(screen.getAllByTestId('member-row')).toHaveLength(2);
    expect((screen.getByLabelText('Role of ana@example.com') as HTMLSelectElement).value).toBe('analyst');
    expect((screen.getByRole('button', { name: 'Remove admin@localhost' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Remove ana@example.com' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('changes a role once another is chosen', async () => {
    const a = actions();
    render(<MembersPanel members={members} selfEmail="admin@localhost" actions={a} />);
    const change = screen.getByRole('button', { name: 'Change role of ana@example.com' }) as HTMLButtonElement;
    expect(change.disabled).toBe(true);
    await userEvent.selectOptions(screen.getByLabelText('Role of ana@example.com'), 'admin');
    await userEvent.click(change);
    expect(a.setRole).toHaveBeenCalledWith(ana.userId, 'admin');
    expect(screen.getByText('ana@example.com is now admin.')).toBeTruthy();
  });

  it("shows the server's refusal of a role change as an alert", async () => {
    const a = actions({ setRole: vi.fn(async () => ({ ok: false as const, message: 'role must be viewer, analyst or admin' })) });
    render(<MembersPanel members={members} selfEmail={null} actions={a} />);
    await userEvent.selectOptions(screen.getByLabelText('Role of ana@example.com'), 'viewer');
    await userEvent.click(screen.getByRole('button', { name: 'Change role of ana@example.com' }));
    expect(screen.getByRole('alert').textContent).toBe('Could not change the role: role must be viewer, analyst or admin');
  });

  it('removes a member only after the confirmation', async () => {
    const a = actions();
    render(<MembersPanel members={members} selfEmail="admin@localhost" actions={a} />);
    await userEvent.click(screen.getByRole('button', { name: 'Remove ana@example.com' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Remove ana@example.com?' }));
    expect(a.remove).not.toHaveBeenCalled();
    await userEvent.click(dialog.getByRole('button', { name: 'Remove' }));
    expect(a.remove).toHaveBeenCalledWith(ana.userId);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('ana@example.com removed.')).toBeTruthy();
  });

  it('adds a member by email and role, checking the email first', async () => {
    const a = actions();
    const { container } = render(<MembersPanel members={members} selfEmail="admin@localhost" actions={a} />);
    const form = within(screen.getByTestId('add-member'));
    await userEvent.type(form.getByLabelText('Email'), 'not-an-email');
    await userEvent.click(form.getByRole('button', { name: 'Add member' }));
    expect(a.add).not.toHaveBeenCalled();
    expect(form.getByText('not an email address')).toBeTruthy();
    await userEvent.clear(form.getByLabelText('Email'));
    await userEvent.type(form.getByLabelText('Email'), 'bo@example.com');
    await userEvent.selectOptions(form.getByLabelText('Role'), 'analyst');
    await userEvent.click(form.getByRole('button', { name: 'Add member' }));
    expect(a.add).toHaveBeenCalledWith({ email: 'bo@example.com', role: 'analyst' });
    expect(form.getByRole('status').textContent).toBe('bo@example.com added as analyst.');
    await expectAccessible(container);
  });
});
