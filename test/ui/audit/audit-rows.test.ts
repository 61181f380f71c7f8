import { describe, expect, it } from 'vitest';
import { KNOWN_ACTIONS } from '../../../ui/src/pages/audit/audit-actions.ts';
import { actorNames, actorSuggestions, codeText, toAuditRows } from '../../../ui/src/pages/audit/audit-rows.ts';
import recorded from './fixtures/audit-logs-page-1.json' with { type: 'json' };

const names = actorNames(recorded.allMembers.nodes, recorded.allApiKeys.nodes);
const rows = toAuditRows(recorded.allAuditLogs.nodes, names);
const byId = (id: string) => rows.find((r) => r.id === id)!;
const nodeById = (id: string) => recorded.allAuditLogs.nodes.find((n) => n.rowId === id)!;

describe('toAuditRows (recorded from the demo)', () => {
  it('keeps every row, newest first', () => {
    expect(rows).toHaveLength(recorded.allAuditLogs.nodes.length);
    expect(rows[0]!.id).toBe(String(recorded.allAuditLogs.totalCount));
    expect(Number(rows[0]!.id)).toBeGreaterThan(Number(rows[1]!.id));
  });

  it('says what a result means, with the error code in words', () => {
    expect(byId('35').result).toMatchObject({ label: 'ok', tone: 'ok' });
    const failed = byId('15');
    expect(failed.action).toBe('addMember');
    expect(failed.result).toMatchObject({ label: 'failed', tone: 'error' });
    expect(failed.code).toBe('22023');
    expect(codeText(failed.code!)).toBe('code 22023: an invalid value');
    expect(codeText('XX999')).toBe('code XX999');
  });

  it('names the actor: the label, else the member by id, else the database role of a job', () => {
    expect(byId('35')).toMatchObject({ actor: 'admin@localhost', actorKind: 'user' });
    // A state change inside an API request carries the user's id and no label.
    expect(nodeById('34').actorLabel).toBe('');
    expect(byId('34')).toMatchObject({ actor: 'admin@localhost', actorKind: 'user' });
    expect(byId('36')).toMatchObject({ actor: 'optischema', actorKind: 'system' });
  });

  it('names an API key and a user no longer in the team', () => {
    const node = { ...nodeById('35'), actorLabel: '', actorUserId: null, actorApiKeyId: '91979189-de6d-4824-915f-6d6f136a4da9' };
    expect(toAuditRows([node], names)[0]).toMatchObject({ actor: 'ci', actorKind: 'api key' });
    const gone = { ...node, actorApiKeyId: null, actorUserId: '00000000-0000-0000-0000-000000000001' };
    expect(toAuditRows([gone], names)[0]!.actor).toBe('user 00000000-0000-0000-0000-000000000001');
  });

  it('shows a refusal as refused', () => {
    const denied = { ...nodeById('35'), result: 'denied', details: { code: '42501' } };
    const [row] = toAuditRows([denied], names);
    expect(row!.result.label).toBe('refused');
    expect(codeText(row!.code!)).toBe('code 42501: not allowed for this role');
  });

  it('pretty-prints details and leaves empty ones out', () => {
    expect(byId('35').details).toBeNull();
    const details = byId('36').details!;
    expect(details).toContain('\n  "to": "rolled_back"');
    expect(JSON.parse(details)).toEqual(nodeById('36').details);
  });

  it('joins the object type and id', () => {
    expect(byId('35').object).toBe(`recommendation ${nodeById('35').objectId}`);
  });

  it('knows every action in the recorded log', () => {
    const unknown = [...new Set(recorded.allAuditLogs.nodes.map((n) => n.action))].filter((a) => !KNOWN_ACTIONS.has(a));
    expect(unknown).toEqual([]);
  });

  it('suggests the team members, keys and actors seen, once each', () => {
    expect(actorSuggestions(rows, names)).toEqual(['admin@localhost', 'ana@example.com', 'ci', 'nightly-report']);
  });
});
