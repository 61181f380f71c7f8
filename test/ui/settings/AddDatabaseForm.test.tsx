// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AddDatabaseForm } from '../../../ui/src/pages/settings/AddDatabaseForm.tsx';
import { checkView } from '../../../ui/src/pages/settings/check-result.ts';
import { expectAccessible } from '../support/axe.ts';
import notReady from './fixtures/check-not-ready.json' with { type: 'json' };

afterEach(cleanup);

const URL_WITH_PASSWORD = 'postgres://monitor:s3cret-pw@db.internal:5432/shop';

describe('AddDatabaseForm', () => {
  it('takes the connection string in a password field that is not autocompleted', () => {
    render(<AddDatabaseForm onCreate={vi.fn()} />);
    const input = screen.getByLabelText(/Connection string/) as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.getAttribute('autocomplete')).toBe('off');
  });

  it('adds the database, shows its connection test, and never shows the connection string again', async () => {
    const onCreate = vi.fn(async () => ({
      ok: true as const,
      data: { targetId: '7d1c4c1e-2b7a-4d0e-9a53-0f3f9b1e2a11', name: 'shop', check: { ok: true as const, data: checkView(notReady)! } },
    }));
    const { container } = render(<AddDatabaseForm onCreate={onCreate} />);
    await userEvent.type(screen.getByLabelText('Name'), 'shop');
    await userEvent.type(screen.getByLabelText(/Connection string/), URL_WITH_PASSWORD);
    await userEvent.click(screen.getByRole('button', { name: 'Add and test the connection' }));
    expect(onCreate).toHaveBeenCalledWith({ name: 'shop', connectionString: URL_WITH_PASSWORD });
    expect(within(screen.getByTestId('add-database')).getByRole('status').textContent).toBe('Added shop.');
    const created = within(screen.getByTestId('created-check'));
    expect(created.getByTestId('check-summary').textContent).toBe('not ready: 2 checks failed');
    expect(within(created.getByTestId('check-hypopg')).getByText('fail')).toBeTruthy();
    expect((screen.getByLabelText(/Connection string/) as HTMLInputElement).value).toBe('');
    expect(container.innerHTML).not.toContain('s3cret-pw');
    await expectAccessible(container);
  });

  it('refuses a malformed string before sending, without echoing it', async () => {
    const onCreate = vi.fn();
    const { container } = render(<AddDatabaseForm onCreate={onCreate} />);
    await userEvent.type(screen.getByLabelText('Name'), 'shop');
    await userEvent.type(screen.getByLabelText(/Connection string/), 'mysql://root:hunter2@db/shop');
    await userEvent.click(screen.getByRole('button', { name: 'Add and test the connection' }));
    expect(onCreate).not.toHaveBeenCalled();
    expect(screen.getByText('a connection string starts with postgres:// or postgresql://')).toBeTruthy();
    expect(container.textContent).not.toContain('hunter2');
  });

  it("shows the server's refusal and keeps what was typed", async () => {
    const onCreate = vi.fn(async () => ({ ok: false as const, message: 'duplicate key value violates unique constraint "targets_tenant_id_name_key"' }));
    render(<AddDatabaseForm onCreate={onCreate} />);
    await userEvent.type(screen.getByLabelText('Name'), 'shop');
    await userEvent.type(screen.getByLabelText(/Connection string/), URL_WITH_PASSWORD);
    await userEvent.click(screen.getByRole('button', { name: 'Add and test the connection' }));
    expect(screen.getByRole('alert').textContent).toContain('Could not add the database: duplicate key');
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('shop');
    expect(screen.queryByTestId('created-check')).toBeNull();
  });

  it('says when the database was added but could not be tested', async () => {
    const onCreate = vi.fn(async () => ({
      ok: true as const,
      data: { targetId: 't', name: 'shop', check: { ok: false as const, message: 'this needs the analyst role' } },
    }));
    render(<AddDatabaseForm onCreate={onCreate} />);
    await userEvent.type(screen.getByLabelText('Name'), 'shop');
    await userEvent.type(screen.getByLabelText(/Connection string/), URL_WITH_PASSWORD);
    await userEvent.click(screen.getByRole('button', { name: 'Add and test the connection' }));
    expect(screen.getByRole('alert').textContent).toBe('The database was added, but its connection could not be tested: this needs the analyst role');
  });
});
