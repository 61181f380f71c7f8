// @vitest-environment jsdom
import '../support/dom.ts';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppRole } from '../../../ui/src/app/session-context.tsx';
import { QueryAiPanel } from '../../../ui/src/pages/ai/QueryAiPanel.tsx';
import { RecommendationAiPanel } from '../../../ui/src/pages/ai/RecommendationAiPanel.tsx';
import { expectAccessible } from '../support/axe.ts';
import { renderWithRouter } from '../support/in-router.tsx';
import { fakeApi, WithApi, type Handler } from './fake-client.tsx';
import recorded from './fixtures/analyses.json' with { type: 'json' };

const TARGET = '2d3c4b5a-6978-4a1b-8c2d-3e4f5a6b7c8d';
const QUERYID = '-7337842682241061146';

/** An analysis row as the API returns it (the fixtures' rows differ in their JSON columns' shapes). */
type Row = typeof recorded.ok | typeof recorded.deterministic | typeof recorded.failed;
const nodes = (row: Row | null) => ({ nodes: row ? [row] : [] });

function statementApi(status: unknown, latest: Row | null, deterministic: Row | null = null, extra: Record<string, Handler> = {}) {
  return fakeApi({
    QueryAiAnalysis: () => ({ aiStatus: status, latest: nodes(latest), deterministic: nodes(deterministic) }),
    AiAnalysisAudit: () => ({ allAiAnalysisAudits: { nodes: [recorded.audit] } }),
    ...extra,
  });
}

async function showStatement(api: ReturnType<typeof fakeApi>, role: AppRole = 'viewer') {
  const r = await renderWithRouter(() => (
    <WithApi api={api} role={role}>
      <QueryAiPanel targetId={TARGET} queryid={QUERYID} />
    </WithApi>
  ));
  const panel = screen.getByRole('region', { name: 'AI analysis' });
  return { ...r, panel, p: within(panel) };
}

const proposals = (root: HTMLElement) =>
  within(root)
    .getAllByTestId('ai-proposal')
    .map((li) => `${within(li).getByTestId('ai-badge').textContent} · ${li.querySelector('strong')!.textContent}`);

describe('the AI panel of a statement', () => {
  it('asks for the statement’s analyses on its database', async () => {
    const api = statementApi(recorded.statusOn, recorded.ok);
    const { p } = await showStatement(api);
    await p.findByTestId('ai-analysis');
    expect(api.sent.length).toBeGreaterThan(0);
    for (const s of api.sent) expect(s).toEqual({ name: 'QueryAiAnalysis', kind: 'query', variables: { targetId: TARGET, queryid: QUERYID } });
  });

  it('shows the model, tokens, explanation and findings of the latest analysis', async () => {
    const { p } = await showStatement(statementApi(recorded.statusOn, recorded.ok));
    const meta = (await p.findByTestId('ai-meta')).textContent!;
    expect(meta).toMatch(/^By openai · gpt-4.1-mini, .* ago; 1,800 in \+ 420 out = 2,220 tokens, 2 tool calls\.$/);
    // The markdown is rendered (its chunk loads lazily): emphasis and a list, as elements.
    const explanation = await p.findByTestId('ai-explanation');
    expect(within(explanation).getByText('customer_id').tagName).toBe('STRONG');
    expect(explanation.querySelectorAll('li')).toHaveLength(2);
    expect([...p.getByTestId('ai-findings').querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Sequential scan on demo.orders: 1,204,331 rows read to return 38',
      'NOT IN over a nullable column: demo.orders.coupon_id may be NULL',
    ]);
  });

  it('groups the proposals, verified first, each with its label and what proved or disproved it', async () => {
    const { p } = await showStatement(statementApi(recorded.statusOn, recorded.ok));
    await p.findByTestId('ai-analysis');
    expect(proposals(p.getByTestId('ai-verified'))).toEqual(['verified · Index', 'verified · Rewrite']);
    expect(proposals(p.getByTestId('ai-rejected'))).toEqual(['rejected · Index', 'rejected · Rewrite']);
    expect(proposals(p.getByTestId('ai-unverified'))).toEqual([
      'unverified suggestion — cannot be applied · Setting',
      'unverified suggestion — cannot be applied · Rewrite',
    ]);
    const order = [...p.getByTestId('ai-analysis').querySelectorAll('[data-testid^="ai-"][data-testid$="verified"], [data-testid="ai-rejected"], [data-testid="ai-unreadable"]')].map((e) => e.getAttribute('data-testid'));
    expect(order).toEqual(['ai-verified', 'ai-rejected', 'ai-unverified', 'ai-unreadable']);

    const [index, rewrite] = within(p.getByTestId('ai-verified')).getAllByTestId('ai-proposal');
    expect(index!.textContent).toContain('What proved it: by hypopg what-if');
    expect(within(index!).getByRole('list', { name: /Measurements/ }).textContent).toBe('what-if (hypopg): estimated cost 1,943 → 12.10');
    expect(within(index!).getByTestId('sql').getAttribute('data-sql')).toContain('CREATE INDEX CONCURRENTLY orders_customer_id_created_at_idx');
    expect(within(index!).getByRole('button', { name: 'Copy index statement' })).toBeTruthy();
    expect(within(index!).getByRole('link', { name: 'Its recommendation' }).getAttribute('href')).toBe('/recommendations/0b7f7c57-3f0b-4b9c-a3d6-2b8f2f3c9e10');
    expect(within(rewrite!).getByRole('list', { name: /Measurements/ }).textContent).toBe('sandbox: median of 5 runs 41 ms → 13 ms, 69.2 % faster');
    expect(rewrite!.textContent).toContain('✓ empty demo.orders: same result (0 rows)');
    const diff = within(rewrite!).getByTestId('ai-diff');
    expect(diff.tagName).toBe('PRE');
    expect(diff.textContent).toContain('-SELECT * FROM demo.customers c WHERE c.id IN');

    const [hallucinated, unsafe] = within(p.getByTestId('ai-rejected')).getAllByTestId('ai-proposal');
    expect(hallucinated!.textContent).toContain('Why rejected: column "customer_email" does not exist');
    expect(unsafe!.textContent).toContain('✗ nulls in demo.orders.coupon_id: different result (0 → 412 rows)');
    expect(within(unsafe!).queryByRole('link')).toBeNull();

    const [setting, keyset] = within(p.getByTestId('ai-unverified')).getAllByTestId('ai-proposal');
    expect(setting!.textContent).toContain('Why not verified: settings are not verified by the AI review');
    expect(keyset!.textContent).toContain('Advice: page with WHERE (created_at, id) <');
    expect(within(keyset!).queryByTestId('sql')).toBeNull();
    expect(p.getByTestId('ai-unreadable').textContent).toContain('unreadable proposal');
  });

  it('says AI is off and shows the deterministic rewriter’s proposals', async () => {
    const { p } = await showStatement(statementApi(recorded.statusOff, recorded.deterministic, recorded.deterministic));
    expect((await p.findByTestId('ai-off')).textContent).toMatch(/^AI is off — OptiSchema runs in deterministic mode\./);
    expect(p.getByTestId('ai-meta').textContent).toMatch(/^By OptiSchema's deterministic rewriter, /);
    expect(proposals(p.getByTestId('ai-unverified'))).toEqual(['unverified suggestion — cannot be applied · Rewrite']);
    expect(p.getByTestId('ai-diff').textContent).toContain('+SELECT EXISTS (SELECT 1 FROM demo.orders');
  });

  it('says AI is off and that the rewriter had nothing, without a deterministic analysis', async () => {
    // A model's analysis from before AI was turned off is not shown as current.
    const { p } = await showStatement(statementApi(recorded.statusOff, recorded.ok, null));
    await p.findByTestId('ai-off');
    expect(p.queryByTestId('ai-analysis')).toBeNull();
    expect(p.getByText(/The deterministic rewriter has no proposal for this statement/)).toBeTruthy();
  });

  it('has an empty state when AI is on and nothing was analysed yet', async () => {
    const { p } = await showStatement(statementApi(recorded.statusOn, null));
    expect((await p.findByTestId('empty-state')).textContent).toMatch(/^No AI analysis yet for this statement/);
  });

  it('shows a failed analysis’s error', async () => {
    const { p } = await showStatement(statementApi(recorded.statusOn, recorded.failed));
    expect((await p.findByRole('alert')).textContent).toBe('The analysis failed: the model could not be reached: connect ECONNREFUSED 127.0.0.1:11434 (after 3 retries)');
    expect(p.getByTestId('ai-meta').textContent).toMatch(/^By ollama · qwen2.5-coder:7b/);
  });

  it('shows the API’s refusal as an error', async () => {
    const api = fakeApi({ QueryAiAnalysis: () => new Error('permission denied for view ai_analyses') });
    const { p } = await showStatement(api);
    expect((await p.findByRole('alert')).textContent).toBe('Could not load the AI analysis: permission denied for view ai_analyses');
  });

  it('renders HTML in the explanation as text, never as elements', async () => {
    const hostile = {
      ...recorded.ok,
      explanation: 'Look: <script>window.pwned = 1</script>\n\n<img src="x" onerror="window.pwned = 2">\n\n[click](javascript:window.pwned=3) and <b onclick="x">bold</b>\n\n![tracker](https://evil.example/t.png)',
    };
    const { p } = await showStatement(statementApi(recorded.statusOn, hostile));
    const explanation = await p.findByTestId('ai-explanation');
    expect(explanation.querySelectorAll('script, img, a, b, [onerror], [onclick]')).toHaveLength(0);
    expect(explanation.textContent).toContain('<script>window.pwned = 1</script>');
    expect(explanation.textContent).toContain('<img src="x" onerror="window.pwned = 2">');
    expect(explanation.textContent).not.toContain('javascript:');
    expect((window as { pwned?: number }).pwned).toBeUndefined();
  });

  it('shows an admin what was sent, read only when opened', async () => {
    const api = statementApi(recorded.statusOn, recorded.ok);
    const { p, container } = await showStatement(api, 'admin');
    await p.findByTestId('ai-explanation');
    const audit = p.getByTestId('ai-audit');
    expect(api.sent.map((s) => s.name)).not.toContain('AiAnalysisAudit');
    await userEvent.click(within(audit).getByText('What was sent to the model'));
    const body = await within(audit).findByTestId('ai-audit-body');
    expect(api.sent.find((s) => s.name === 'AiAnalysisAudit')?.variables).toEqual({ id: recorded.ok.rowId });
    expect(body.textContent).toContain('1,210 tokens of context. Literal values were not sent');
    expect([...within(body).getByRole('list', { name: 'Sections of the context' }).querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'statement: 40 tokens',
      'plan: 620 tokens',
      'tables: 550 tokens',
      'what-if: 900 tokens (left out: over the token budget)',
    ]);
    expect(within(body).getByTestId('ai-context-text').textContent).toContain('Statement: select * from demo.orders where customer_id = $1');
    expect(body.textContent).toContain('calls what_if({"indexes":["create index on demo.orders (customer_id)"]})');
    expect(body.textContent).toContain('1 message(s) could not be read');
    await expectAccessible(container);
  });

  it('shows a viewer nothing of what was sent, and never asks for it', async () => {
    const api = statementApi(recorded.statusOn, recorded.ok);
    const { p } = await showStatement(api, 'viewer');
    await p.findByTestId('ai-explanation');
    expect(p.queryByTestId('ai-audit')).toBeNull();
    expect(p.queryByText(/What was sent/)).toBeNull();
    expect(new Set(api.sent.map((s) => s.name))).toEqual(new Set(['QueryAiAnalysis']));
  });

  it('has no serious accessibility violation, with every kind of proposal', async () => {
    const { p, container } = await showStatement(statementApi(recorded.statusOn, recorded.ok));
    await p.findByTestId('ai-explanation');
    await expectAccessible(container);
  });
});

describe('the AI panel of a recommendation', () => {
  const linked = (row: Row) => {
    const { rowId, inputTokens: _i, outputTokens: _o, toolCalls: _t, ...rest } = row;
    return { ...rest, analysisId: rowId };
  };

  it('shows the latest analysis that speaks to it, with its tokens read from the analysis', async () => {
    const api = fakeApi({
      RecommendationAiAnalysis: () => ({ aiStatus: recorded.statusOn, latest: { nodes: [linked(recorded.ok)] }, deterministic: { nodes: [] } }),
      AiAnalysisUsage: () => ({ allAiAnalyses: { nodes: [{ rowId: recorded.ok.rowId, inputTokens: 1800, outputTokens: 420, toolCalls: 2 }] } }),
    });
    const { container } = await renderWithRouter(() => (
      <WithApi api={api} role="analyst">
        <RecommendationAiPanel recommendationId="0b7f7c57-3f0b-4b9c-a3d6-2b8f2f3c9e10" role="admin" />
      </WithApi>
    ));
    const panel = within(screen.getByRole('region', { name: 'AI analysis' }));
    expect((await panel.findByTestId('ai-meta')).textContent).toContain('2,220 tokens, 2 tool calls');
    expect(api.sent.find((s) => s.name === 'RecommendationAiAnalysis')?.variables).toEqual({ recommendationId: '0b7f7c57-3f0b-4b9c-a3d6-2b8f2f3c9e10' });
    expect(api.sent.find((s) => s.name === 'AiAnalysisUsage')?.variables).toEqual({ id: recorded.ok.rowId });
    expect(proposals(panel.getByTestId('ai-verified'))).toEqual(['verified · Index', 'verified · Rewrite']);
    // The role given by the page (admin) wins over the session's.
    expect(panel.getByTestId('ai-audit')).toBeTruthy();
    await panel.findByTestId('ai-explanation');
    await expectAccessible(container);
  });

  it('says there is none yet', async () => {
    const api = fakeApi({ RecommendationAiAnalysis: () => ({ aiStatus: recorded.statusOn, latest: { nodes: [] }, deterministic: { nodes: [] } }) });
    await renderWithRouter(() => (
      <WithApi api={api} role="viewer">
        <RecommendationAiPanel recommendationId="0b7f7c57-3f0b-4b9c-a3d6-2b8f2f3c9e10" />
      </WithApi>
    ));
    expect((await screen.findByTestId('empty-state')).textContent).toMatch(/^No AI analysis yet for this recommendation/);
    // No analysis: no usage to read.
    expect(new Set(api.sent.map((s) => s.name))).toEqual(new Set(['RecommendationAiAnalysis']));
  });
});
