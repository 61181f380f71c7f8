// @vitest-environment jsdom
import '../support/dom.ts';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import { render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RecommendationsPage } from '../../../ui/src/pages/recommendations/RecommendationsPage.tsx';
import { fakeApi, WithApi } from '../ai/fake-client.tsx';
import { recordedRows, recordedTargets } from './fixtures.ts';

/**
 * The list page in a router of its own with the app's `/recommendations` route id and search
 * parameters (ui/src/app/router.tsx), over the fake API: the filters are read from the URL and
 * written back to it, and the list query is sent with them.
 */
async function showPage(path: string) {
  const api = fakeApi({
    RecommendationList: () => ({ allRecommendations: { totalCount: recordedRows.length, nodes: recordedRows.map((r) => ({ ...r, kind: 'index', rule: null, risk: null })) } }),
    RecommendationTargets: () => ({ allTargets: { nodes: recordedTargets } }),
  });
  const search = z.object({
    state: z.string().max(40).optional().catch(undefined),
    target: z.string().uuid().optional().catch(undefined),
    kind: z.string().max(40).optional().catch(undefined),
  });
  const root = createRootRoute({ component: Outlet });
  const page = createRoute({ getParentRoute: () => root, path: '/recommendations', validateSearch: (s) => search.parse(s), component: RecommendationsPage });
  const router = createRouter({ routeTree: root.addChildren([page]), history: createMemoryHistory({ initialEntries: [path] }) });
  await router.load();
  render(
    <WithApi api={api} role="admin">
      <RouterProvider router={router as never} />
    </WithApi>,
  );
  await screen.findAllByTestId('recommendation-row');
  const listQueries = () => api.sent.filter((s) => s.name === 'RecommendationList').map((s) => s.variables);
  return { router, listQueries };
}

describe('RecommendationsPage', () => {
  it('asks for the advisor in the URL, and puts a newly chosen one in the URL and the query', async () => {
    const { router, listQueries } = await showPage('/recommendations?kind=pooling&state=proposed');
    expect(listQueries()[0]).toMatchObject({ kind: 'pooling', state: 'proposed' });
    const advisor = screen.getByRole('combobox', { name: 'Advisor' }) as HTMLSelectElement;
    expect(advisor.value).toBe('pooling');
    await userEvent.selectOptions(advisor, 'Index hygiene');
    await waitFor(() => expect(router.state.location.search).toMatchObject({ kind: 'index_hygiene', state: 'proposed' }));
    await waitFor(() => expect(listQueries().at(-1)).toMatchObject({ kind: 'index_hygiene', state: 'proposed' }));
    expect((screen.getByRole('combobox', { name: 'Advisor' }) as HTMLSelectElement).value).toBe('index_hygiene');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Advisor' }), 'All advisors');
    await waitFor(() => expect(router.state.location.search).not.toHaveProperty('kind'));
    await waitFor(() => expect(listQueries().at(-1)!.kind).toBeUndefined());
  });

  it('lists every advisor for an unknown advisor in the URL', async () => {
    const { listQueries } = await showPage('/recommendations?kind=bogus');
    expect(listQueries()[0]!.kind).toBeUndefined();
    expect((screen.getByRole('combobox', { name: 'Advisor' }) as HTMLSelectElement).value).toBe('');
  });
});
