// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { PlanComparison } from '../../../ui/src/plan/PlanComparison.tsx';
import { PlanTree } from '../../../ui/src/plan/PlanTree.tsx';

const fixture = (file: string): unknown => JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', file), 'utf8'));

afterEach(cleanup);

describe('<PlanTree>', () => {
  it('renders every node with its label, time, rows and badges in words', () => {
    render(<PlanTree plan={fixture('02-misestimated-join.plan.json')} title="Misestimated join" />);
    const tree = screen.getByRole('tree', { name: 'Misestimated join: query plan' });
    const items = within(tree).getAllByRole('treeitem');
    expect(items.map((item) => item.getAttribute('aria-level'))).toEqual(['1', '2', '3', '4', '4']);
    const scan = items[3]!;
    expect(within(scan).getByRole('button').textContent).toBe('▾Seq Scan on orders o');
    const badges = within(scan).getByRole('list', { name: 'Findings' });
    expect(within(badges).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['slowest node', 'rows under-estimated 103×', 'filter discards 99 %', 'large seq scan']);
    expect(within(scan).getByText('85.3 ms')).toBeTruthy();
    expect(within(scan).getByTestId('node-rows').textContent).toBe('rows est 29 · actual 3,000');
    expect(within(items[4]!).getByTestId('node-rows').textContent).toBe('rows est 1 · actual 1 × 3,000 loops = 3,000');
    expect(within(scan).getByText('Filter').nextElementSibling?.textContent).toBe('((a = 1) AND (b = 1))');
    expect(screen.getByText('execution 108 ms · planning 3.26 ms · estimated cost 8,714')).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('collapses and expands a node from the keyboard, with Enter, Space and the arrows', async () => {
    const user = userEvent.setup();
    render(<PlanTree plan={fixture('03-disk-sort.plan.json')} />);
    const [sort] = screen.getAllByRole('treeitem');
    const toggle = within(sort!).getAllByRole('button')[0]!;
    expect(sort!.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('Seq Scan on orders')).toBeTruthy();

    await user.tab();
    expect(document.activeElement).toBe(toggle);
    await user.keyboard('{Enter}');
    expect(sort!.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText('Seq Scan on orders')).toBeNull();
    expect(screen.queryByText('external merge, Disk 13,856 kB')).toBeNull();

    await user.keyboard(' ');
    expect(sort!.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('external merge, Disk 13,856 kB')).toBeTruthy();

    await user.keyboard('{ArrowLeft}');
    expect(sort!.getAttribute('aria-expanded')).toBe('false');
    await user.keyboard('{ArrowRight}{ArrowDown}');
    expect(sort!.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement?.textContent).toBe('▾Seq Scan on orders');
  });

  it('shows an error, not a tree, for garbage', () => {
    render(<PlanTree plan={fixture('90-garbage.plan.json')} title="Pasted plan" />);
    expect(screen.getByRole('alert').textContent).toBe(
      'This is not a query plan the viewer can read: expected EXPLAIN (FORMAT JSON) output: an object with "Plan" or a plan node with "Node Type"',
    );
    expect(screen.queryByRole('tree')).toBeNull();
  });

  it('says when the plan has estimates only, and shows no times or badges', () => {
    render(<PlanTree plan={fixture('05-estimates-only.plan.json')} />);
    expect(screen.getByRole('note').textContent).toMatch(/^Estimates only: this plan was made without ANALYZE/);
    expect(screen.getAllByRole('treeitem')).toHaveLength(6);
    expect(screen.queryByTestId('node-time')).toBeNull();
    expect(screen.queryByRole('list', { name: 'Findings' })).toBeNull();
    expect(screen.getAllByTestId('node-rows').map((rows) => rows.textContent)).toContain('rows est 30');
  });

  it('gives each badge a title that explains it', () => {
    render(<PlanTree plan={fixture('04-lossy-bitmap.plan.json')} />);
    expect(screen.getByText('lossy bitmap').getAttribute('title')).toBe(
      'The bitmap outgrew work_mem: 7,728 heap blocks were kept as whole pages, so every row on them was checked again.',
    );
  });
});

describe('<PlanComparison>', () => {
  it('shows what changed above the two plans', () => {
    render(<PlanComparison before={fixture('pairs/orders-by-customer.before.json')} after={fixture('pairs/orders-by-customer.after.json')} />);
    const summary = screen.getByRole('list', { name: 'What changed' });
    expect(within(summary).getByText('Seq Scan on orders → Index Scan using orders_customer_idx on orders')).toBeTruthy();
    expect(within(summary).getAllByRole('listitem')[0]?.textContent).toBe('Execution time 62.6 ms → 1.59 ms (39× faster)');
    expect(screen.getByRole('tree', { name: 'Before: query plan' })).toBeTruthy();
    expect(within(screen.getByRole('tree', { name: 'After: query plan' })).getByText('Index Scan using orders_customer_idx on orders')).toBeTruthy();
  });

  it('still shows the readable side when the other is garbage', () => {
    render(<PlanComparison before="not json" after={fixture('pairs/orders-by-customer.after.json')} />);
    expect(screen.getByRole('alert').textContent).toMatch(/^This is not a query plan the viewer can read: not JSON/);
    expect(screen.getByText(/^The plans cannot be compared: the plan before cannot be read/)).toBeTruthy();
    expect(screen.getByRole('tree', { name: 'After: query plan' })).toBeTruthy();
  });
});
