// @vitest-environment jsdom
import '../support/dom.ts';
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recommendationView } from '../../../ui/src/pages/recommendations/recommendation-view.ts';
import { RecommendationDetail } from '../../../ui/src/pages/recommendations/RecommendationDetail.tsx';
import { renderWithRouter } from '../support/in-router.tsx';
import { recordedIn } from '../recommendations/fixtures.ts';
import { fakeApi, WithApi } from './fake-client.tsx';
import recorded from './fixtures/analyses.json' with { type: 'json' };

afterEach(() => vi.restoreAllMocks());

const view = () => recommendationView({ ...recordedIn('applied'), targetByTargetId: { name: 'optischema' } });

describe('the AI panel on the recommendation page', () => {
  it('shows the analysis that speaks to the recommendation, in place of the placeholder', async () => {
    const v = view();
    const api = fakeApi({
      RecommendationAiAnalysis: () => ({ aiStatus: recorded.statusOff, latest: { nodes: [] }, deterministic: { nodes: [] } }),
    });
    await renderWithRouter(() => (
      <WithApi api={api} role="viewer">
        <RecommendationDetail view={v} role="viewer" progress={null} onAction={async () => null} />
      </WithApi>
    ));
    const panel = within(screen.getByRole('region', { name: 'AI analysis' }));
    expect((await panel.findByTestId('ai-off')).textContent).toMatch(/^AI is off — OptiSchema runs in deterministic mode/);
    expect(api.sent[0]?.variables).toEqual({ recommendationId: v.id });
  });

  it('keeps the page when the panel fails: the failure stays inside the panel', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    // No GraphQL client at all: urql's hook throws, the panel's boundary catches it.
    await renderWithRouter(() => <RecommendationDetail view={view()} role="admin" progress={null} onAction={async () => null} />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Index on demo.customers (email)');
    const panel = screen.getByRole('region', { name: 'AI analysis' });
    expect(within(panel).getByRole('alert').textContent).toMatch(/^The AI analysis could not be shown: No client has been specified/);
    expect(screen.getByTestId('validation')).toBeTruthy();
  });
});
