import type { ResultOf } from '../../graphql/graphql.ts';
import type { AuditLogs } from './audit-queries.ts';

type AuditNode = NonNullable<NonNullable<ResultOf<typeof AuditLogs>['allAuditLogs']>['nodes'][number]>;

/** What a row's result means: the log stores ok, denied or error (migration 0002). */
export const RESULT_TEXT: Record<string, { label: string; meaning: string; tone: 'ok' | 'warn' | 'error' }> = {
  ok: { label: 'ok', meaning: 'done as asked', tone: 'ok' },
  denied: { label: 'refused', meaning: 'not signed in, or the role may not do this', tone: 'warn' },
  error: { label: 'failed', meaning: 'attempted and failed, or a validation or apply that did not pass', tone: 'error' },
};

/** The SQLSTATEs the API passes through to clients (migration 0003), in words. */
const CODE_TEXT: Record<string, string> = {
  '42501': 'not allowed for this role',
  P0002: 'no such object',
  '22023': 'an invalid value',
  '23514': 'not allowed in its current state',
  '23505': 'it already exists',
  UNAUTHENTICATED: 'not signed in',
};

/** "code 22023: an invalid value", or the bare code when it is not one the API names. */
export function codeText(code: string): string {
  const text = CODE_TEXT[code];
  return text ? `code ${code}: ${text}` : `code ${code}`;
}

export interface AuditRow {
  id: string;
  at: string | null;
  /** The email or API key name at the time; the database role for the sidecar's own jobs. */
  actor: string;
  actorKind: 'user' | 'api key' | 'system';
  action: string;
  object: string | null;
  result: { label: string; meaning: string; tone: 'ok' | 'warn' | 'error' };
  /** The SQLSTATE or API error code of a refusal or failure. */
  code: string | null;
  clientAddress: string | null;
  /** The details, pretty-printed; null when there are none. */
  details: string | null;
}

/** Names of the tenant's members (by user id) and API keys (by key id). */
export type ActorNames = ReadonlyMap<string, string>;

function actorOf(node: AuditNode, names: ActorNames): Pick<AuditRow, 'actor' | 'actorKind'> {
  if (node.actorApiKeyId) return { actor: node.actorLabel || names.get(node.actorApiKeyId) || `API key ${node.actorApiKeyId}`, actorKind: 'api key' };
  if (node.actorUserId) return { actor: node.actorLabel || names.get(node.actorUserId) || `user ${node.actorUserId}`, actorKind: 'user' };
  return { actor: node.actorLabel || 'OptiSchema', actorKind: 'system' };
}

export function actorNames(members: readonly { userId: string; email: string | null }[], keys: readonly { rowId: string; name: string | null }[]): ActorNames {
  const names = new Map<string, string>();
  for (const m of members) if (m.email) names.set(m.userId, m.email);
  for (const k of keys) if (k.name) names.set(k.rowId, k.name);
  return names;
}

function detailsOf(details: unknown): { text: string | null; code: string | null } {
  if (details === null || details === undefined) return { text: null, code: null };
  const isObject = typeof details === 'object' && !Array.isArray(details);
  if (isObject && Object.keys(details).length === 0) return { text: null, code: null };
  const code = isObject && typeof (details as Record<string, unknown>).code === 'string' ? ((details as Record<string, unknown>).code as string) : null;
  return { text: JSON.stringify(details, null, 2), code };
}

export function toAuditRows(nodes: readonly AuditNode[], names: ActorNames = new Map()): AuditRow[] {
  return nodes.map((n) => {
    const details = detailsOf(n.details);
    const result = n.result ?? 'unknown';
    return {
      id: n.rowId,
      at: n.at ?? null,
      ...actorOf(n, names),
      action: n.action ?? '–',
      object: n.objectType || n.objectId ? [n.objectType, n.objectId].filter(Boolean).join(' ') : null,
      result: RESULT_TEXT[result] ?? { label: result, meaning: result, tone: 'warn' },
      code: details.code,
      clientAddress: n.clientAddress ?? null,
      details: details.text,
    };
  });
}

/** What the actor field suggests: the names of members and keys, and the actors on this page. */
export function actorSuggestions(rows: readonly AuditRow[], names: ActorNames): string[] {
  return [...new Set([...names.values(), ...rows.filter((r) => r.actorKind !== 'system').map((r) => r.actor)])].sort();
}
