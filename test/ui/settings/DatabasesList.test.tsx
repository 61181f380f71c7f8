// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdminOnly } from '../../../ui/src/pages/settings/AdminOnly.tsx';
import { DatabasesList, type DatabaseActions } from '../../../ui/src/pages/settings/DatabasesList.tsx';
import { toTargetView } from '../../../ui/src/pages/settings/target-view.ts';
import { expectAccessible } from '../support/axe.ts';
import targets from './fixtures/targets.json' with { type: 'json' };

afterEach(cleanup);

const views = targets.allTargets.nodes.map(toTargetView);
const actions: DatabaseActions = { test: vi.fn(), savePolicy: vi.fn(), saveThresholds: vi.fn(), remove: vi.fn(), create: vi.fn() };

describe('DatabasesList', () => {
  it('shows every database with its status in words (recorded)', () => {
    render(<DatabasesList targets={views} role="viewer" actions={actions} />);
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['optischema', 'probe']);
    const statuses = screen.getAllByTestId('target-status').map((s) => s.textContent);
    expect(statuses[0]).toBe('collecting');
    expect(statuses[1]).toBe('collection failed: cannot connect to postgres://nobody:***@127.0.0.1:1/x: connection refused (is PostgreSQL running there?)');
  });

  it('offers adding a database to admins only', () => {
    render(<DatabasesList targets={views} role="analyst" actions={actions} />);
    expect(screen.queryByTestId('add-database')).toBeNull();
    expect(screen.getByText('Adding and deleting databases needs the admin role.')).toBeTruthy();
    cleanup();
    render(<DatabasesList targets={views} role="admin" actions={actions} />);
    expect(screen.getByTestId('add-database')).toBeTruthy();
  });

  it('says when no database is monitored', () => {
    render(<DatabasesList targets={[]} role="admin" actions={actions} />);
    expect(screen.getByTestId('no-targets').textContent).toBe('No database is monitored yet. Add one below.');
  });

  it('has no serious accessibility violation for an admin', async () => {
    const { container } = render(<DatabasesList targets={views} role="admin" actions={actions} />);
    await expectAccessible(container);
  });
});

describe('AdminOnly', () => {
  it('tells a non-admin what needs the admin role, and shows an admin the content', () => {
    render(
      <AdminOnly role="analyst" what="Managing API keys">
        <p>keys</p>
      </AdminOnly>,
    );
    expect(screen.getByTestId('needs-admin').textContent).toBe('Managing API keys needs the admin role; you are signed in as analyst.');
    expect(screen.queryByText('keys')).toBeNull();
    cleanup();
    render(
      <AdminOnly role="admin" what="Managing API keys">
        <p>keys</p>
      </AdminOnly>,
    );
    expect(screen.getByText('keys')).toBeTruthy();
    expect(screen.queryByTestId('needs-admin')).toBeNull();
  });
});
