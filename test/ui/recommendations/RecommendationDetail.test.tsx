// @vitest-environment jsdom
import '../support/dom.ts';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppRole } from '../../../ui/src/app/session-context.tsx';
import type { ValidationProgress } from '../../../ui/src/pages/recommendations/validation-progress.ts';
import { recommendationView } from '../../../ui/src/pages/recommendations/recommendation-view.ts';
import { RecommendationDetail } from '../../../ui/src/pages/recommendations/RecommendationDetail.tsx';
import { axeViolations } from '../support/axe.ts';
import { proposedRow, recordedIn, validatedRow, type RecordedRecommendation } from './fixtures.ts';
import { renderWithRouter } from '../support/in-router.tsx';
import { fakeApi, WithApi } from '../ai/fake-client.tsx';
import recorded from '../ai/fixtures/analyses.json' with { type: 'json' };

const withTarget = (row: RecordedRecommendation) => ({ ...row, targetByTargetId: { name: 'optischema' } });

// The page's AI panel asks the API for its analyses: answered as with AI off and none made.
const aiOff = () => fakeApi({ RecommendationAiAnalysis: () => ({ aiStatus: recorded.statusOff, latest: { nodes: [] }, deterministic: { nodes: [] } }) });

async function show(row: RecordedRecommendation, role: AppRole = 'admin', progress: ValidationProgress | null = null, api = aiOff()) {
  const view = recommendationView(withTarget(row));
  const r = await renderWithRouter(() => (
    <WithApi api={api} role={role}>
      <RecommendationDetail view={view} role={role} progress={progress} onAction={async () => null} />
    </WithApi>
  ));
  await screen.findByRole('heading', { level: 1 });
  return r;
}

const sqlTexts = () => screen.getAllByTestId('sql').map((e) => e.getAttribute('data-sql') ?? '');

describe('RecommendationDetail', () => {
  it('shows the title, state and database, the SQL and its rollback, each with a copy button', async () => {
    await show(recordedIn('applied'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Index on demo.customers (email)');
    expect(screen.getByTestId('recommendation-state').textContent).toBe('applied');
    expect(screen.getAllByText('optischema').length).toBeGreaterThan(0);
    const sql = within(screen.getByRole('region', { name: 'SQL' }));
    expect(sql.getAllByTestId('sql').map((e) => e.getAttribute('data-sql'))).toEqual([
      'CREATE INDEX CONCURRENTLY customers_email_idx ON demo.customers (email)',
      'DROP INDEX CONCURRENTLY IF EXISTS demo.customers_email_idx',
    ]);
    expect(sql.getByRole('button', { name: 'Copy SQL to apply' })).toBeTruthy();
    expect(sql.getByRole('button', { name: 'Copy Rollback SQL' })).toBeTruthy();
  });

  it('says the estimate is one, from hypothetical-index costs, and gives risk, reason, size and write overhead', async () => {
    await show(recordedIn('applied'));
    const facts = screen.getByTestId('recommendation-facts').textContent!;
    expect(facts).toContain('96.5 %');
    expect(facts).toMatch(/an estimate from hypothetical-index planner costs \(hypopg\): cost 230 → 8.05/);
    expect(facts).toContain('25.4 %');
    expect(facts).toContain('low: concurrent build, 1.4 MiB table');
    expect(facts).toContain('Seq Scan on demo.customers reads the whole table');
    expect(facts).toContain('216.0 kB estimated by hypopg; 40.0 kB built in the sandbox');
    expect(facts).toMatch(/µs per row written .* \(measured in the sandbox\)/);
  });

  it('lists the affected queries with a link to each, their costs and parameter values', async () => {
    const row = recordedIn('applied');
    await show(row);
    const affected = within(screen.getByTestId('affected-queries'));
    const link = affected.getByRole('link', { name: '-7337842682241061146' });
    expect(link.getAttribute('href')).toBe(`/databases/${row.targetId}/queries/-7337842682241061146`);
    expect(affected.getByText(/230 → 8.05/)).toBeTruthy();
    expect(affected.getByText('$1 = liam.moreau3983@example.net')).toBeTruthy();
    expect(affected.getAllByTestId('sql')[0]!.getAttribute('data-sql')!.replace(/\s+/g, ' ')).toContain('where email = $1');
  });

  it('shows the validation: verdict, how it was measured, each statement’s timings, bars and plans', async () => {
    await show(recordedIn('applied'));
    const validation = within(screen.getByTestId('validation'));
    expect(validation.getByText('1 statement(s) faster: 0.06 → 0.04 ms (median of 5)')).toBeTruthy();
    expect(validation.getByTestId('state').textContent).toBe('validated');
    const text = screen.getByTestId('validation').textContent!;
    expect(text).toContain('5 timed runs of each statement');
    expect(text).toContain('changes under 10.0 % of the median count as noise');
    expect(text).toContain('3.93 ms');
    const statements = validation.getAllByTestId('statement-result');
    expect(statements).toHaveLength(2);
    const served = within(statements[0]!);
    expect(served.getByRole('row', { name: /Before/ }).textContent).toContain('0.06 ms');
    expect(served.getByRole('row', { name: /After/ }).textContent).toContain('0.02 ms – 0.05 ms');
    expect(served.getByText(/the plan uses the index/)).toBeTruthy();
    expect(served.getByRole('img', { name: /Median time before: median 0.06 ms, after: median 0.04 ms/ })).toBeTruthy();
    expect(served.getByText('Plans before and after')).toBeTruthy();
    expect(served.getByRole('region', { name: 'Plan comparison' })).toBeTruthy();
    expect(within(statements[1]!).getByText(/the plan does not use the index/)).toBeTruthy();
  });

  it('says there is no validation yet on a fresh proposal', async () => {
    await show(proposedRow());
    expect(screen.getByTestId('validation').textContent).toMatch(/No validation yet/);
    expect(screen.queryAllByTestId('statement-result')).toHaveLength(0);
    expect(screen.getByTestId('recommendation-facts').textContent).toMatch(/not measured yet/);
    expect(screen.getByTestId('recommendation-facts').textContent).toMatch(/estimated from the table’s write rate/);
  });

  it('shows a running validation’s progress as a status', async () => {
    await show({ ...proposedRow(), state: 'validating' }, 'admin', { stage: 'measuring before', done: 3, total: 5 });
    expect(screen.getByRole('status').textContent).toBe('validating on the sandbox: 3 of 5 runs (measuring before)');
  });

  it('holds the AI panel of this recommendation, which asks the API for its analyses', async () => {
    const row = recordedIn('applied');
    const api = aiOff();
    await show(row, 'admin', null, api);
    const panel = screen.getByRole('region', { name: 'AI analysis' });
    expect(api.sent.find((s) => s.name === 'RecommendationAiAnalysis')?.variables).toEqual({ recommendationId: recommendationView(withTarget(row)).id });
    expect((await within(panel).findByText(/AI is off/)).textContent).toMatch(/deterministic mode/);
  });

  it('shows a viewer no action button at all', async () => {
    await show(validatedRow(), 'viewer');
    expect(screen.queryByRole('group', { name: 'Actions' })).toBeNull();
    for (const name of ['Validate', 'Apply now', 'Schedule…', 'Dismiss…', 'Roll back', 'Force apply…']) {
      expect(screen.queryByRole('button', { name })).toBeNull();
    }
  });

  it('shows an admin Apply now and Schedule on a validated one', async () => {
    await show(validatedRow(), 'admin');
    const actions = within(screen.getByRole('group', { name: 'Actions' }));
    expect(actions.getAllByRole('button').map((b) => b.textContent)).toEqual(['Validate', 'Apply now', 'Schedule…', 'Dismiss…']);
  });

  it('shows an analyst neither Apply now nor Schedule on a validated one', async () => {
    await show(validatedRow(), 'analyst');
    expect(within(screen.getByRole('group', { name: 'Actions' })).getAllByRole('button').map((b) => b.textContent)).toEqual(['Validate', 'Dismiss…']);
  });

  it('offers an admin only Roll back on an applied one', async () => {
    await show(recordedIn('applied'), 'admin');
    expect(within(screen.getByRole('group', { name: 'Actions' })).getAllByRole('button').map((b) => b.textContent)).toEqual(['Roll back']);
  });

  it('has no serious accessibility violation', async () => {
    const { container } = await show(recordedIn('rejected'), 'admin');
    // The plans too: open every collapsed section first (axe skips what is hidden).
    for (const d of container.querySelectorAll('details')) d.open = true;
    expect(await axeViolations(container)).toEqual([]);
    expect(sqlTexts().length).toBeGreaterThan(2);
  });
});
