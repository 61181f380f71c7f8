import { describe, expect, it } from 'vitest';
import { analysisView, panelContent, parseFindings } from '../../../ui/src/pages/ai/ai-analysis.ts';
import { auditView } from '../../../ui/src/pages/ai/ai-audit.ts';
import { caseText, proofLines, sourceLabel, STATE_LABEL, statusNote, usageText } from '../../../ui/src/pages/ai/ai-labels.ts';
import { groupProposals, parseProposals, type ProposalView } from '../../../ui/src/pages/ai/ai-proposals.ts';
import { statusView } from '../../../ui/src/pages/ai/ai-status.ts';
import recorded from './fixtures/analyses.json' with { type: 'json' };

const readable = (items: ReturnType<typeof parseProposals>) => items.filter((p): p is ProposalView => p.readable);

describe('parseProposals', () => {
  it('reads each stored proposal with its verification, and marks the one it cannot read', () => {
    const items = parseProposals(recorded.ok.proposals);
    expect(items).toHaveLength(7);
    expect(items.map((p) => (p.readable ? `${p.kind}/${p.source}/${p.state}` : `unreadable #${p.position}`))).toEqual([
      'index/model/verified',
      'index/model/rejected',
      'rewrite/rewriter/verified',
      'rewrite/model/rejected',
      'setting/model/unverified',
      'rewrite/rewriter/unverified',
      'unreadable #7',
    ]);
    const [index, , rewrite] = readable(items);
    expect(index!.figures).toMatchObject({ costBefore: 1943.2, engineCost: 1943.2, costAfter: 12.1, beforeMedianMs: null });
    expect(index!.recommendationId).toBe('0b7f7c57-3f0b-4b9c-a3d6-2b8f2f3c9e10');
    expect(rewrite!.figures).toMatchObject({ beforeMedianMs: 41.2, afterMedianMs: 12.7, runs: 5, measuredImprovementPct: 69.2 });
    expect(rewrite!.figures.cases.map((c) => c.name)).toEqual(['data', 'empty demo.orders', 'nulls in demo.orders.customer_id']);
    expect(rewrite!.rule).toBe('in-to-exists');
    expect(rewrite!.diff).toContain('+SELECT * FROM demo.customers c WHERE EXISTS');
  });

  it('never throws: other shapes are unreadable, a missing list is empty, bad figures are left out', () => {
    expect(parseProposals(null)).toEqual([]);
    expect(parseProposals({ kind: 'index' })).toEqual([]);
    expect(parseProposals([null, 'x', { kind: 'index', source: 'model', sql: 'create index …', reason: 'r' }])).toEqual([
      { readable: false, position: 1 },
      { readable: false, position: 2 },
      // No verification: nothing says what PostgreSQL made of it.
      { readable: false, position: 3 },
    ]);
    const [p] = parseProposals([
      {
        kind: 'index', source: 'model', sql: 'create index on t (a)', reason: 'r', recommendationId: 'not-a-uuid',
        verification: { state: 'verified', reason: 'ok', costBefore: '230', costAfter: 'cheap', cases: [{ name: 'data', same: true }, { same: 'yes' }] },
      },
    ]);
    expect(p).toMatchObject({ readable: true, recommendationId: null, figures: { costBefore: 230, costAfter: null } });
    expect((p as ProposalView).figures.cases).toEqual([{ name: 'data', same: true, rowsBefore: null, rowsAfter: null, error: null }]);
    expect(parseProposals([{ kind: 'index', source: 'model', sql: '', reason: '', verification: { state: 'probably', reason: '' } }])[0]!.readable).toBe(false);
  });

  it('groups verified first, then rejected, then unverified, each in the order made', () => {
    const g = groupProposals(parseProposals(recorded.ok.proposals));
    expect(g.verified.map((p) => p.kind)).toEqual(['index', 'rewrite']);
    expect(g.rejected.map((p) => p.verificationReason)).toEqual([
      'column "customer_email" does not exist',
      'different results: nulls in demo.orders.coupon_id returned 0 rows before and 412 after',
    ]);
    expect(g.unverified.map((p) => p.kind)).toEqual(['setting', 'rewrite']);
    expect(g.unreadable).toEqual([{ readable: false, position: 7 }]);
  });
});

describe('the words beside a proposal', () => {
  const [index, , rewrite, unsafe] = readable(parseProposals(recorded.ok.proposals));

  it('label each state, unverified as a suggestion that cannot be applied', () => {
    expect(STATE_LABEL).toEqual({ verified: 'verified', rejected: 'rejected', unverified: 'unverified suggestion — cannot be applied' });
    expect(sourceLabel(rewrite!)).toBe("OptiSchema's rewriter (in-to-exists)");
    expect(sourceLabel(index!)).toBe('proposed by the model');
  });

  it('say what proved it and how it was measured', () => {
    expect(proofLines(index!)).toEqual(['what-if (hypopg): estimated cost 1,943 → 12.10']);
    expect(proofLines({ figures: { ...index!.figures, engineCost: 900 } })).toEqual(["what-if (hypopg): estimated cost 1,943 → 12.10, 900 with the engine's own indexes"]);
    expect(proofLines(rewrite!)).toEqual(['sandbox: median of 5 runs 41 ms → 13 ms, 69.2 % faster']);
    expect(proofLines({ figures: { ...rewrite!.figures, measuredImprovementPct: -12 } })[0]).toMatch(/12.0 % slower$/);
    expect(proofLines(unsafe!)).toEqual([]);
    expect(unsafe!.figures.cases.map(caseText)).toEqual(['data: same result (0 rows)', 'nulls in demo.orders.coupon_id: different result (0 → 412 rows)']);
    expect(caseText({ name: 'empty demo.orders', same: false, rowsBefore: null, rowsAfter: null, error: 'statement timeout' })).toBe('empty demo.orders: failed (statement timeout)');
  });
});

describe('an analysis', () => {
  it('keeps the readable findings and the usage', () => {
    const a = analysisView(recorded.ok.rowId, recorded.ok);
    expect(a.findings.map((f) => f.title)).toEqual(['Sequential scan on demo.orders', 'NOT IN over a nullable column']);
    expect(usageText(a.usage)).toBe('1,800 in + 420 out = 2,220 tokens, 2 tool calls');
    expect(analysisView('x', { ...recorded.ok, inputTokens: undefined }).usage).toBeNull();
    expect(parseFindings('nope')).toEqual([]);
  });

  it('says why a failed or rejected one has no answer', () => {
    expect(statusNote(analysisView('x', recorded.failed))).toEqual({ tone: 'error', text: 'The analysis failed: the model could not be reached: connect ECONNREFUSED 127.0.0.1:11434 (after 3 retries)' });
    expect(statusNote({ status: 'rejected', error: 'explanation: Required' })!.text).toMatch(/^The model's answer was rejected: .*after one repair attempt: explanation: Required$/);
    expect(statusNote({ status: 'ok', error: null })).toBeNull();
  });

  it('is chosen by whether AI is on', () => {
    const on = statusView(recorded.statusOn)!;
    const off = statusView(recorded.statusOff)!;
    const latest = analysisView('a', recorded.ok);
    const det = analysisView('d', recorded.deterministic);
    expect(on.tokensThisMonth).toBe(12840);
    expect(panelContent(on, latest, det)).toEqual({ kind: 'analysis', analysis: latest });
    expect(panelContent(on, null, null)).toEqual({ kind: 'empty' });
    expect(panelContent(off, latest, det)).toEqual({ kind: 'off', deterministic: det });
    expect(panelContent(null, latest, null)).toEqual({ kind: 'off', deterministic: null });
  });
});

describe('auditView', () => {
  it('reads the context, its sections and the messages, and counts what it cannot read', () => {
    const v = auditView(recorded.audit.context, recorded.audit.transcript);
    expect(v.context?.tokens).toBe(1210);
    expect(v.context?.sections.filter((s) => !s.included).map((s) => s.name)).toEqual(['what-if']);
    expect(v.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(v.messages[2]!.toolCalls).toEqual(['what_if({"indexes":["create index on demo.orders (customer_id)"]})']);
    expect(v.unreadableMessages).toBe(1);
    expect(auditView(null, null)).toEqual({ context: null, messages: [], unreadableMessages: 0 });
  });
});
