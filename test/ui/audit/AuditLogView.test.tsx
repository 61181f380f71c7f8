// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pageInfo } from '../../../ui/src/pages/audit/audit-pagination.ts';
import { actorNames, toAuditRows } from '../../../ui/src/pages/audit/audit-rows.ts';
import { AuditFilters } from '../../../ui/src/pages/audit/AuditFilters.tsx';
import { AuditLogView } from '../../../ui/src/pages/audit/AuditLogView.tsx';
import { expectAccessible } from '../support/axe.ts';
import recorded from './fixtures/audit-logs-page-1.json' with { type: 'json' };

afterEach(cleanup);

const rows = toAuditRows(recorded.allAuditLogs.nodes, actorNames(recorded.allMembers.nodes, recorded.allApiKeys.nodes));

describe('AuditLogView', () => {
  it('renders a page of entries with "page 2 of 7" and both directions', async () => {
    const onPage = vi.fn();
    render(<AuditLogView rows={rows} info={pageInfo(2, 312)} onPage={onPage} />);
    expect(screen.getAllByTestId('audit-row')).toHaveLength(rows.length);
    expect(screen.getByTestId('page-label').textContent).toBe('page 2 of 7 (51–100 of 312 entries)');
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(onPage.mock.calls).toEqual([[3], [1]]);
  });

  it('disables Previous on the first page and Next on the last', () => {
    render(<AuditLogView rows={rows} info={pageInfo(1, rows.length)} onPage={() => {}} />);
    expect(screen.getByRole('button', { name: 'Previous' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'Next' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByTestId('page-label').textContent).toContain('page 1 of 1');
  });

  it('shows each row: time, actor, action, object, result in words, address, and details to expand', () => {
    render(<AuditLogView rows={rows} info={pageInfo(1, rows.length)} onPage={() => {}} />);
    const failed = screen.getAllByTestId('audit-row').find((tr) => tr.textContent?.includes('addMember') && tr.textContent.includes('failed'))!;
    const cells = within(failed)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells[1]).toBe('admin@localhost');
    expect(cells[4]).toBe('failedcode 22023: an invalid value');
    expect(screen.getByTestId('result-legend').textContent).toContain('refused: not signed in, or the role may not do this');
    expect(cells[5]).toBe('127.0.0.1');
    const rolledBack = screen.getAllByTestId('audit-row').find((tr) => tr.textContent?.includes('recommendation.rolled_back'))!;
    const details = rolledBack.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(within(rolledBack).getByText('Show details').tagName).toBe('SUMMARY');
    expect(within(rolledBack).getByTestId('audit-details').textContent).toContain('"to": "rolled_back"');
  });

  it('offers the last page when the URL asks for one past the end', async () => {
    const onPage = vi.fn();
    render(<AuditLogView rows={[]} info={pageInfo(9, 312)} onPage={onPage} />);
    expect(screen.queryByTestId('audit')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Go to page 7' }));
    expect(onPage).toHaveBeenCalledWith(7);
  });

  it('has no serious accessibility violation', async () => {
    const { container } = render(<AuditLogView rows={rows} info={pageInfo(2, 312)} onPage={() => {}} />);
    await expectAccessible(container);
  });
});

describe('AuditFilters', () => {
  it('applies the chosen action and actor on submit, and clears them', async () => {
    const onApply = vi.fn();
    const { rerender } = render(<AuditFilters filter={{}} actors={['admin@localhost', 'ci']} onApply={onApply} />);
    await userEvent.selectOptions(screen.getByLabelText('Action'), 'setTargetPolicy');
    await userEvent.type(screen.getByLabelText(/Actor/), ' admin@localhost ');
    expect(onApply).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Filter' }));
    expect(onApply).toHaveBeenLastCalledWith({ action: 'setTargetPolicy', actor: 'admin@localhost' });
    rerender(<AuditFilters filter={{ action: 'setTargetPolicy', actor: 'admin@localhost' }} actors={[]} onApply={onApply} />);
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(onApply).toHaveBeenLastCalledWith({});
  });

  it('shows the filter from the URL, even an action it does not list', () => {
    render(<AuditFilters filter={{ action: 'some.future_action', actor: 'ci' }} actors={[]} onApply={() => {}} />);
    expect((screen.getByLabelText('Action') as HTMLSelectElement).value).toBe('some.future_action');
    expect((screen.getByLabelText(/Actor/) as HTMLInputElement).value).toBe('ci');
  });

  it('has no serious accessibility violation', async () => {
    const { container } = render(<AuditFilters filter={{ action: 'createTarget' }} actors={['ci']} onApply={() => {}} />);
    await expectAccessible(container);
  });
});
