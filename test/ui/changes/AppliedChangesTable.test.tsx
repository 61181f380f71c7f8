// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AppliedChangesTable } from '../../../ui/src/pages/changes/AppliedChangesTable.tsx';
import { toChangeRows } from '../../../ui/src/pages/changes/change-rows.ts';
import { expectAccessible } from '../support/axe.ts';
import { InRouter } from '../support/in-router.tsx';
import recorded from './fixtures/applied-changes.json' with { type: 'json' };

afterEach(cleanup);

const [measured, rolledBack] = recorded.allAppliedChanges.nodes;
const waiting = {
  ...measured!,
  rowId: '3',
  title: 'Index on demo.order_items (product_id)',
  realizedPct: null,
  realized: {
    state: 'waiting',
    windowS: 60,
    callsBefore: 4,
    callsAfter: 0,
    reason: 'not enough traffic yet: 4 calls before and 0 after over 00:01:00 windows (20 needed on each side)',
  },
};
const forced = {
  ...measured!,
  rowId: '4',
  title: 'Index on demo.customers (email)',
  forced: true,
  forceReason: 'hotfix for the checkout timeout, INC-231',
  measuredPct: null,
  realizedPct: null,
  realized: null,
};
const rows = toChangeRows([measured!, rolledBack!, waiting, forced], recorded.allTargets.nodes);

async function renderTable() {
  render(
    <InRouter>
      <AppliedChangesTable rows={rows} />
    </InRouter>,
  );
  return screen.findByTestId('changes');
}

describe('AppliedChangesTable', () => {
  it('shows the estimated, sandbox and realized gains side by side, with what the realized one rests on', async () => {
    await renderTable();
    const row = within(screen.getByTestId('change-2'));
    expect(row.getByTestId('estimated').textContent).toBe('99.5 %');
    expect(row.getByTestId('measured').textContent).toBe('58.5 %');
    const realized = row.getByTestId('realized').textContent;
    expect(realized).toContain('88.3 %');
    expect(realized).toContain('0.83 ms → 0.10 ms');
    expect(realized).toContain('1 min windows, 74 calls before, 44 after');
    expect(screen.getByTestId('gain-sources').textContent).toContain('median of the validation runs');
  });

  it('says "not measured yet", with the reason when there is one', async () => {
    await renderTable();
    const wait = within(screen.getByTestId('change-3')).getByTestId('realized').textContent;
    expect(wait).toContain('not measured yet');
    expect(wait).toContain('4 calls before and 0 after');
    expect(within(screen.getByTestId('change-4')).getByTestId('realized').textContent).toBe('not measured yet');
    expect(within(screen.getByTestId('change-4')).getByTestId('measured').textContent).toBe('not validated');
  });

  it('shows a forced change with its reason, the state in words and a link to the recommendation', async () => {
    await renderTable();
    expect(within(screen.getByTestId('change-4')).getByTestId('forced').textContent).toContain('hotfix for the checkout timeout, INC-231');
    expect(within(screen.getByTestId('change-1')).getByTestId('state').textContent).toBe('rolled back');
    const link = screen.getByRole('link', { name: 'Index on demo.orders (status, created_at)' });
    expect(link.getAttribute('href')).toBe('/recommendations/c3f214be-3565-4edd-9860-e56a32afdcb6');
  });

  it('has no serious accessibility violation', async () => {
    const table = await renderTable();
    await expectAccessible(table.closest('div')!.parentElement!);
  });
});
