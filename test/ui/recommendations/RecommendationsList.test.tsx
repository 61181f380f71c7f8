// @vitest-environment jsdom
import '../support/dom.ts';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { listItems, targetNames } from '../../../ui/src/pages/recommendations/recommendation-list.ts';
import { RecommendationsList, type RecommendationFilter } from '../../../ui/src/pages/recommendations/RecommendationsList.tsx';
import { recordedRows, recordedTargets } from './fixtures.ts';
import { renderWithRouter } from '../support/in-router.tsx';
import { axeViolations } from '../support/axe.ts';

const targets = recordedTargets.map((t) => ({ id: t.rowId, name: t.name }));
const items = listItems(recordedRows, targetNames(recordedTargets));

describe('RecommendationsList', () => {
  it('lists every recommendation with its database, state, estimate, measurement and size, each linking to its page', async () => {
    await renderWithRouter(() => (
      <RecommendationsList items={items} fetching={false} targets={targets} filter={{ state: undefined, target: undefined }} onFilterChange={() => {}} />
    ));
    const rows = await screen.findAllByTestId('recommendation-row');
    expect(rows).toHaveLength(recordedRows.length);
    const applied = rows.find((r) => within(r).queryByText('Index on demo.customers (email)'))!;
    expect(within(applied).getByTestId('state').textContent).toBe('applied');
    expect(applied.textContent).toContain('96.5 %');
    expect(applied.textContent).toContain('25.4 %');
    expect(applied.textContent).toContain('216.0 kB');
    expect(applied.textContent).toContain('optischema');
    const id = recordedRows.find((r) => r.state === 'applied')!.rowId;
    expect(within(applied).getByRole('link', { name: 'Index on demo.customers (email)' }).getAttribute('href')).toBe(`/recommendations/${id}`);
  });

  it('shows the filters from the URL and reports a change of either', async () => {
    const onFilterChange = vi.fn<(f: RecommendationFilter) => void>();
    const target = recordedTargets[0]!.rowId;
    await renderWithRouter(() => (
      <RecommendationsList items={items} fetching={false} targets={targets} filter={{ state: 'rejected', target }} onFilterChange={onFilterChange} />
    ));
    const state = (await screen.findByRole('combobox', { name: 'State' })) as HTMLSelectElement;
    const database = screen.getByRole('combobox', { name: 'Database' }) as HTMLSelectElement;
    expect(state.value).toBe('rejected');
    expect(database.value).toBe(target);
    expect(within(database).getByRole('option', { name: 'optischema' })).toBeTruthy();
    await userEvent.selectOptions(state, 'validated');
    expect(onFilterChange).toHaveBeenLastCalledWith({ state: 'validated', target });
    await userEvent.selectOptions(database, 'All databases');
    expect(onFilterChange).toHaveBeenLastCalledWith({ state: 'rejected', target: undefined });
  });

  it('offers every advisor as a filter and reports a change of it, keeping the other filters', async () => {
    const onFilterChange = vi.fn<(f: RecommendationFilter) => void>();
    const target = recordedTargets[0]!.rowId;
    await renderWithRouter(() => (
      <RecommendationsList items={items} fetching={false} targets={targets} filter={{ state: 'proposed', target, kind: 'pooling' }} onFilterChange={onFilterChange} />
    ));
    const advisor = (await screen.findByRole('combobox', { name: 'Advisor' })) as HTMLSelectElement;
    expect(advisor.value).toBe('pooling');
    expect(within(advisor).getAllByRole('option').map((o) => o.textContent)).toEqual(['All advisors', 'Index advisor', 'Plan insights', 'Index hygiene', 'Schema', 'Pooling', 'Settings']);
    await userEvent.selectOptions(advisor, 'Index hygiene');
    expect(onFilterChange).toHaveBeenLastCalledWith({ state: 'proposed', target, kind: 'index_hygiene' });
    await userEvent.selectOptions(advisor, 'All advisors');
    expect(onFilterChange).toHaveBeenLastCalledWith({ state: 'proposed', target, kind: undefined });
  });

  it('shows each row’s advisor, its rule in words and its risk', async () => {
    const health = listItems(
      [
        { ...recordedRows[0]!, rowId: 'h1', kind: 'index_hygiene', rule: 'unused_index', risk: 'high', title: 'Unused index public.orders_status_idx (48.0 MB)' },
        { ...recordedRows[0]!, rowId: 'i1', kind: 'index', rule: null, risk: null, title: 'Index on demo.customers (email)' },
      ],
      targetNames(recordedTargets),
    );
    await renderWithRouter(() => (
      <RecommendationsList items={health} fetching={false} targets={targets} filter={{ state: undefined, target: undefined }} onFilterChange={() => {}} />
    ));
    const rows = await screen.findAllByTestId('recommendation-row');
    const hygiene = rows.find((r) => within(r).queryByText(/Unused index/))!;
    expect(within(hygiene).getByTestId('advisor').textContent).toBe('Index hygieneunused index');
    expect(within(hygiene).getByText('unused index')).toBeTruthy();
    expect(within(hygiene).getByTestId('risk').textContent).toBe('high');
    const index = rows.find((r) => within(r).queryByText('Index on demo.customers (email)'))!;
    expect(within(index).getByTestId('advisor').textContent).toBe('Index advisor');
    expect(within(index).getByTestId('risk').textContent).toBe('–');
  });

  it('says the filters match nothing when only the advisor is set', async () => {
    await renderWithRouter(() => (
      <RecommendationsList items={[]} fetching={false} targets={targets} filter={{ state: undefined, target: undefined, kind: 'schema' }} onFilterChange={() => {}} />
    ));
    expect((await screen.findByTestId('empty-state')).textContent).toBe('No recommendation matches these filters.');
  });

  it('says what will make a recommendation appear when there is none', async () => {
    await renderWithRouter(() => (
      <RecommendationsList items={[]} fetching={false} targets={targets} filter={{ state: undefined, target: undefined }} onFilterChange={() => {}} />
    ));
    expect((await screen.findByTestId('empty-state')).textContent).toMatch(/OptiSchema recommends indexes once it has seen slow queries/);
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('says the filters match nothing when they are set', async () => {
    await renderWithRouter(() => (
      <RecommendationsList items={[]} fetching={false} targets={targets} filter={{ state: 'applying', target: undefined }} onFilterChange={() => {}} />
    ));
    expect((await screen.findByTestId('empty-state')).textContent).toBe('No recommendation matches these filters.');
  });

  it('has no serious accessibility violation', async () => {
    const { container } = await renderWithRouter(() => (
      <>
        <h1>Recommendations</h1>
        <RecommendationsList items={items} fetching={false} targets={targets} filter={{ state: undefined, target: undefined }} onFilterChange={() => {}} />
      </>
    ));
    await screen.findAllByTestId('recommendation-row');
    expect(await axeViolations(container)).toEqual([]);
  });
});
