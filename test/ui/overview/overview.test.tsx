// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openByGain, expectedGain } from '../../../ui/src/pages/overview/open-recommendations.ts';
import { toQueryStatRows } from '../../../ui/src/pages/overview/query-stat-rows.ts';
import { rangeOf } from '../../../ui/src/pages/overview/ranges.ts';
import { TargetHealthTable, type TargetHealthRow } from '../../../ui/src/pages/overview/TargetHealthTable.tsx';
import { TopQueriesTable } from '../../../ui/src/pages/overview/TopQueriesTable.tsx';
import { InRouter } from '../support/in-router.tsx';

afterEach(cleanup);

const rec = (rowId: string, state: string, improvementPct: string | null, measuredImprovementPct: string | null = null) => ({
  rowId, title: `Index ${rowId}`, state, improvementPct, measuredImprovementPct, targetId: 't',
});

describe('open recommendations', () => {
  it('keeps the open ones, the largest expected gain first, measured before estimated', () => {
    const rows = [rec('a', 'applied', '90'), rec('b', 'proposed', '40'), rec('c', 'validated', '10', '70'), rec('d', 'dismissed', '99'), rec('e', 'inconclusive', null)];
    expect(openByGain(rows).map((r) => r.rowId)).toEqual(['c', 'b', 'e']);
    expect(expectedGain(rows[2]!)).toEqual({ pct: 70, source: 'measured' });
    expect(expectedGain(rows[1]!)).toEqual({ pct: 40, source: 'estimated' });
  });
});

describe('ranges', () => {
  it('falls back to the last hour for an unknown key', () => {
    expect(rangeOf('7d').since).toEqual({ days: 7 });
    expect(rangeOf('bogus').key).toBe('1h');
  });
});

describe('query stat rows', () => {
  it('turns the API strings into numbers and drops rows without an id', () => {
    const rows = toQueryStatRows([
      { queryid: '7', query: 'select 1', calls: '12', totalTimeMs: 30, meanTimeMs: 2.5, rows: '3', sharePct: '55.50', sparkline: [1, null, 2], slowReason: null, openRecommendations: 2 },
      { queryid: null, query: 'x', calls: '1', totalTimeMs: 1, meanTimeMs: 1, rows: '1', sharePct: null, sparkline: null, slowReason: null, openRecommendations: 0 },
      null,
    ]);
    expect(rows).toEqual([{ queryid: '7', query: 'select 1', calls: 12, totalTimeMs: 30, meanTimeMs: 2.5, rows: 3, sharePct: 55.5, sparkline: [1, 0, 2], slowReason: null, openRecommendations: 2 }]);
  });
});

describe('the databases table', () => {
  const row = (id: string, name: string, status: string, statusMessage: string | null = null): TargetHealthRow => ({
    targetId: id, name, status, statusMessage, lastSnapshotAt: null, statements: 1200, slowQueries: 3, openRecommendations: 2, bestOpenGainPct: '61.5', appliedChanges: 1,
  });

  it('shows each database with its status in words and selects one by keyboard', async () => {
    const onSelect = vi.fn();
    render(<TargetHealthTable rows={[row('a', 'shop', 'ok'), row('b', 'billing', 'error', 'password authentication failed')]} selected="a" onSelect={onSelect} />);
    const table = screen.getByTestId('targets');
    expect(within(table).getByText('collecting')).toBeTruthy();
    expect(within(table).getByText('error: password authentication failed')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'shop' }).getAttribute('aria-pressed')).toBe('true');
    screen.getByRole('button', { name: 'billing' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(onSelect).toHaveBeenCalledWith('b');
  });
});

describe('the top statements table', () => {
  // jsdom lays nothing out: give the scrolling box the size a browser would (32rem high).
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get() { return this.dataset?.testid === 'top-queries' ? 512 : 0; } });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get() { return this.dataset?.testid === 'top-queries' ? 1000 : 0; } });
  });
  afterAll(() => {
    delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
    delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
  });
  const rows = Array.from({ length: 1000 }, (_, i) => ({
    queryid: String(i + 1), query: `select ${i}`, calls: 1000 - i, totalTimeMs: (1000 - i) * 2, meanTimeMs: 2, rows: 1, sharePct: 0.1, sparkline: [1, 2, 3], slowReason: i === 0 ? 'mean_time' : null, openRecommendations: i === 0 ? 1 : 0,
  }));

  it('puts only a window of a thousand rows in the page, linked to each statement', async () => {
    render(<InRouter><TopQueriesTable rows={rows} targetId="00000000-0000-0000-0000-000000000001" rangeLabel="last hour" /></InRouter>);
    const shown = await screen.findAllByTestId('query-row');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(100);
    const first = within(shown[0]!).getByRole('link');
    expect(first.textContent).toBe('select 0');
    expect(first.getAttribute('href')).toBe('/databases/00000000-0000-0000-0000-000000000001/queries/1');
    expect(within(shown[0]!).getByText('slow')).toBeTruthy();
  });

  it('sorts by a column when its header is pressed', async () => {
    render(<InRouter><TopQueriesTable rows={rows.slice(0, 3)} targetId="t" rangeLabel="last hour" /></InRouter>);
    await screen.findAllByTestId('query-row');
    await userEvent.click(screen.getByRole('button', { name: /^Calls/ }));
    // TanStack's first press on a number column sorts it descending; the second ascending.
    await userEvent.click(screen.getByRole('button', { name: /^Calls/ }));
    const order = screen.getAllByTestId('query-row').map((r) => within(r).getByRole('link').textContent);
    expect(order).toEqual(['select 2', 'select 1', 'select 0']);
  });
});
