// @vitest-environment jsdom
import '../support/dom.ts';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppRole } from '../../../ui/src/app/session-context.tsx';
import type { RecommendationDetailInput } from '../../../ui/src/pages/recommendations/recommendation-view.ts';
import { recommendationView } from '../../../ui/src/pages/recommendations/recommendation-view.ts';
import { RecommendationDetail } from '../../../ui/src/pages/recommendations/RecommendationDetail.tsx';
import { axeViolations } from '../support/axe.ts';
import { renderWithRouter } from '../support/in-router.tsx';
import { fakeApi, WithApi } from '../ai/fake-client.tsx';
import recorded from '../ai/fixtures/analyses.json' with { type: 'json' };
import { poolerRow, sharedBuffersRow, unusedIndexRow } from './health-fixtures.ts';

const aiOff = () => fakeApi({ RecommendationAiAnalysis: () => ({ aiStatus: recorded.statusOff, latest: { nodes: [] }, deterministic: { nodes: [] } }) });

async function show(row: RecommendationDetailInput, role: AppRole = 'admin') {
  const view = recommendationView(row);
  const r = await renderWithRouter(() => (
    <WithApi api={aiOff()} role={role}>
      <RecommendationDetail view={view} role={role} progress={null} onAction={async () => null} />
    </WithApi>
  ));
  await screen.findByRole('heading', { level: 1 });
  return r;
}

const actionButtons = () => within(screen.getByRole('group', { name: 'Actions' })).getAllByRole('button').map((b) => b.textContent);

describe('a health recommendation with steps to follow by hand (a connection pooler)', () => {
  it('says OptiSchema does not run them, and offers an admin no apply, only validate and dismiss', async () => {
    await show(poolerRow());
    expect(screen.getByTestId('manual-note').textContent).toContain('Steps to follow by hand: OptiSchema does not run these');
    // Inconclusive would offer Force apply… for runnable SQL.
    expect(actionButtons()).toEqual(['Validate', 'Dismiss…']);
    for (const name of ['Apply now', 'Schedule…', 'Force apply…']) expect(screen.queryByRole('button', { name })).toBeNull();
  });

  it('labels the statement as steps, shown as written', async () => {
    await show(poolerRow());
    const sql = within(screen.getByRole('region', { name: 'SQL' }));
    expect(sql.getByRole('heading', { level: 3, name: 'Steps' })).toBeTruthy();
    expect(sql.getByRole('button', { name: 'Copy Steps' })).toBeTruthy();
    expect(sql.queryByRole('button', { name: 'Copy SQL to apply' })).toBeNull();
    expect(sql.getAllByTestId('sql')[0]!.getAttribute('data-sql')).toBe(poolerRow().statement);
    expect(sql.getByText('No rollback recorded.')).toBeTruthy();
  });

  it('shows the advisor, rule, subject and risk, and the finding’s numbers in words', async () => {
    await show(poolerRow());
    expect(screen.getByTestId('recommendation-advisor').textContent).toContain('Pooling: a connection pooler is needed');
    const facts = within(screen.getByTestId('recommendation-facts'));
    expect(facts.getByText('Pooling')).toBeTruthy();
    expect(facts.getByText('server')).toBeTruthy();
    expect(facts.getByText('no restart needed')).toBeTruthy();
    expect(within(screen.getByTestId('recommendation-facts')).getByTestId('risk').textContent).toBe('medium');
    const evidence = screen.getByTestId('finding-evidence');
    expect(within(evidence).getByText('Now')).toBeTruthy();
    expect(evidence.textContent).toContain('max connections: 100');
    expect(evidence.textContent).toContain('"poolSize":20');
    // The index advisor's estimate facts are not there.
    expect(screen.queryByText(/hypothetical-index planner costs/)).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Affected queries' })).toBeNull();
  });

  it('shows the validation’s verdict and reason, and that nothing was measured', async () => {
    await show(poolerRow());
    const validation = within(screen.getByTestId('validation'));
    expect(validation.getByTestId('state').textContent).toBe('inconclusive');
    expect(validation.getByText(/a sandbox cannot test a connection pooler/)).toBeTruthy();
    expect(validation.getByText('Nothing was measured in the sandbox.')).toBeTruthy();
    expect(validation.queryByTestId('finding-statements')).toBeNull();
  });

  it('has no serious accessibility violation', async () => {
    const { container } = await show(poolerRow());
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('an unused index validated in the sandbox', () => {
  it('lists the measured statements with their before and after figures', async () => {
    await show(unusedIndexRow());
    const table = screen.getByRole('table', { name: 'Statements measured in the sandbox' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Statement', 'Before', 'After', 'Change', 'Plan used the index']);
    const rows = within(table).getAllByTestId('finding-statement');
    expect(rows).toHaveLength(2);
    const first = within(rows[0]!);
    expect(first.getByText('select * from public.orders where status = $1')).toBeTruthy();
    expect(first.getByText('run with $1 = late')).toBeTruthy();
    expect(first.getByText('cost 8.3; median 0.12 ms; min 0.10 ms; max 0.20 ms')).toBeTruthy();
    expect(first.getByText('4.2 % slower')).toBeTruthy();
    expect(within(rows[1]!).getByText('cost unchanged')).toBeTruthy();
    const validation = within(screen.getByTestId('validation'));
    expect(validation.getByTestId('state').textContent).toBe('validated');
    expect(validation.getByText(/in the sample sandbox/)).toBeTruthy();
  });

  it('offers an admin Apply now, labels SQL to apply and Rollback SQL, and says what the apply runs', async () => {
    await show(unusedIndexRow());
    expect(screen.queryByTestId('manual-note')).toBeNull();
    expect(actionButtons()).toEqual(['Validate', 'Apply now', 'Schedule…', 'Dismiss…']);
    const sql = within(screen.getByRole('region', { name: 'SQL' }));
    expect(sql.getByRole('button', { name: 'Copy SQL to apply' })).toBeTruthy();
    expect(sql.getByRole('button', { name: 'Copy Rollback SQL' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Apply now' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toMatch(/runs the SQL below on the production database optischema now/);
    expect(dialog.textContent).not.toMatch(/CREATE INDEX CONCURRENTLY/);
  });

  it('shows the evidence with sizes and counts formatted', async () => {
    await show(unusedIndexRow());
    const evidence = within(screen.getByTestId('finding-evidence'));
    expect(evidence.getByText('Size').nextElementSibling!.textContent).toBe('48.0 MB');
    expect(evidence.getByText('Table writes since reset').nextElementSibling!.textContent).toBe('120,000');
    expect(screen.getByTestId('recommendation-advisor').textContent).toContain('Index hygiene: unused index');
  });

  it('has no serious accessibility violation', async () => {
    const { container } = await show(unusedIndexRow());
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('a setting that needs a restart', () => {
  it('says so in the header, the facts and the apply dialog; without a validation it says none yet', async () => {
    await show(sharedBuffersRow());
    expect(screen.getByTestId('needs-restart').textContent).toMatch(/needs a restart of PostgreSQL/);
    expect(within(screen.getByTestId('recommendation-facts')).getByText('needs a restart of PostgreSQL')).toBeTruthy();
    expect(screen.getByTestId('validation').textContent).toMatch(/No validation yet/);
    await userEvent.click(screen.getByRole('button', { name: 'Force apply…' }));
    expect(screen.getByRole('dialog').textContent).toMatch(/takes effect only after a restart of PostgreSQL/);
  });
});
