// @vitest-environment jsdom
import '../support/dom.ts';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ActionRequest } from '../../../ui/src/pages/recommendations/recommendation-actions.ts';
import { RecommendationActions, type RecommendationActionsProps } from '../../../ui/src/pages/recommendations/RecommendationActions.tsx';
import { axeViolations } from '../support/axe.ts';
import { recordedIn } from './fixtures.ts';

const row = recordedIn('applied');
// 3 December 2026, 12:00 local time.
const NOW = new Date(2026, 11, 3, 12, 0).getTime();

function setup(props: Partial<RecommendationActionsProps> & Pick<RecommendationActionsProps, 'state'>) {
  const onRun = vi.fn<(r: ActionRequest) => Promise<string | null>>(async () => null);
  render(
    <RecommendationActions
      role="admin"
      database="optischema"
      statement={row.statement}
      rollbackStatement={row.rollbackStatement}
      onRun={onRun}
      now={() => NOW}
      {...props}
    />,
  );
  return { onRun, user: userEvent.setup() };
}

const dialog = () => within(screen.getByRole('dialog'));

describe('RecommendationActions', () => {
  it('renders nothing for a viewer', () => {
    const { container } = render(<RecommendationActions state="validated" role="viewer" database="d" statement="s" rollbackStatement="r" onRun={async () => null} />);
    expect(container.innerHTML).toBe('');
  });

  it('Apply now says it runs CREATE INDEX CONCURRENTLY on production, shows the SQL, and applies now', async () => {
    const { onRun, user } = setup({ state: 'validated' });
    await user.click(screen.getByRole('button', { name: 'Apply now' }));
    expect(screen.getByRole('dialog').textContent).toMatch(/runs CREATE INDEX CONCURRENTLY on the production database optischema/);
    expect(dialog().getByTestId('sql').getAttribute('data-sql')).toBe(row.statement);
    await user.click(dialog().getByRole('button', { name: 'Confirm apply' }));
    expect(onRun).toHaveBeenCalledWith({ action: 'apply', at: null, forceReason: null });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keeps Confirm dismiss disabled until a reason is typed, then sends it', async () => {
    const { onRun, user } = setup({ state: 'proposed' });
    await user.click(screen.getByRole('button', { name: 'Dismiss…' }));
    const confirm = dialog().getByRole('button', { name: 'Confirm dismiss' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.type(dialog().getByRole('textbox', { name: 'Reason (required)' }), '   ');
    expect(confirm.disabled).toBe(true);
    await user.type(dialog().getByRole('textbox', { name: 'Reason (required)' }), 'covered by orders_pkey');
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    expect(onRun).toHaveBeenCalledWith({ action: 'dismiss', reason: 'covered by orders_pkey' });
  });

  it('shows a refusal in an alert and keeps what was typed', async () => {
    const { onRun, user } = setup({ state: 'proposed' });
    onRun.mockResolvedValueOnce('a applied recommendation cannot be dismissed');
    await user.click(screen.getByRole('button', { name: 'Dismiss…' }));
    await user.type(dialog().getByRole('textbox', { name: 'Reason (required)' }), 'no longer needed');
    await user.click(dialog().getByRole('button', { name: 'Confirm dismiss' }));
    expect(dialog().getByRole('alert').textContent).toBe('Refused: a applied recommendation cannot be dismissed');
    expect((dialog().getByRole('textbox', { name: 'Reason (required)' }) as HTMLTextAreaElement).value).toBe('no longer needed');
    // And a second try goes through, closing the dialog.
    await user.click(dialog().getByRole('button', { name: 'Confirm dismiss' }));
    expect(onRun).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('schedules at the picked local time as an ISO timestamp, and only in the future', async () => {
    const { onRun, user } = setup({ state: 'validated' });
    await user.click(screen.getByRole('button', { name: 'Schedule…' }));
    const picker = dialog().getByLabelText(/Maintenance window start/) as HTMLInputElement;
    expect(picker.type).toBe('datetime-local');
    // Prefilled with the next full hour.
    expect(picker.value).toBe('2026-12-03T13:00');
    const confirm = dialog().getByRole('button', { name: 'Confirm schedule' }) as HTMLButtonElement;
    await user.clear(picker);
    await user.type(picker, '2026-12-01T02:00');
    expect(confirm.disabled).toBe(true);
    expect(dialog().getByText(/Cannot schedule: pick a time in the future/)).toBeTruthy();
    await user.clear(picker);
    await user.type(picker, '2026-12-05T02:00');
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    expect(onRun).toHaveBeenCalledWith({ action: 'apply', at: new Date(2026, 11, 5, 2, 0).toISOString(), forceReason: null });
  });

  it('force-applies an unvalidated one only with a reason of 10 characters or more', async () => {
    const { onRun, user } = setup({ state: 'inconclusive' });
    expect(screen.queryByRole('button', { name: 'Apply now' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Force apply…' }));
    const confirm = dialog().getByRole('button', { name: 'Confirm apply' }) as HTMLButtonElement;
    const reason = dialog().getByRole('textbox', { name: /Why it must go without a validation/ });
    await user.type(reason, 'too short');
    expect(confirm.disabled).toBe(true);
    await user.type(reason, '!! incident 4411');
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    expect(onRun).toHaveBeenCalledWith({ action: 'apply', at: null, forceReason: 'too short!! incident 4411' });
  });

  it('Roll back shows the rollback SQL', async () => {
    const { onRun, user } = setup({ state: 'applied' });
    await user.click(screen.getByRole('button', { name: 'Roll back' }));
    expect(dialog().getByTestId('sql').getAttribute('data-sql')).toBe('DROP INDEX CONCURRENTLY IF EXISTS demo.customers_email_idx');
    await user.click(dialog().getByRole('button', { name: 'Confirm rollback' }));
    expect(onRun).toHaveBeenCalledWith({ action: 'rollback' });
  });

  it('Validate asks first, and Cancel sends nothing', async () => {
    const { onRun, user } = setup({ state: 'rejected', role: 'analyst' });
    await user.click(screen.getByRole('button', { name: 'Validate' }));
    expect(screen.getByRole('dialog').textContent).toMatch(/Nothing runs on the production database/);
    await user.click(dialog().getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onRun).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Validate' }));
    await user.click(dialog().getByRole('button', { name: 'Confirm validate' }));
    expect(onRun).toHaveBeenCalledWith({ action: 'validate' });
  });

  it('an open dialog has no serious accessibility violation', async () => {
    const { user } = setup({ state: 'validated' });
    await user.click(screen.getByRole('button', { name: 'Schedule…' }));
    expect(await axeViolations(document.body)).toEqual([]);
  });

  it('the accessibility check does catch a violation', async () => {
    render(<input type="text" />);
    expect((await axeViolations(document.body)).join()).toMatch(/label/);
  });
});
