import type { GraphQLError } from 'postgraphile/graphql';

/** One mutation field of an operation, as the audit log records it. */
export interface MutationOutcome {
  action: string;
  objectType: string | null;
  objectId: string | null;
  result: 'ok' | 'denied' | 'error';
  /** The SQLSTATE or API error code, when the mutation failed. */
  code: string | null;
}

/** Input keys that name the object a mutation acts on, and what kind of object that is. */
const OBJECT_KEYS: Record<string, string> = {
  recommendationId: 'recommendation',
  apiKeyId: 'api_key',
  targetId: 'target',
  userId: 'member',
};

const OBJECT_OF_CREATE: Record<string, string> = {
  createTarget: 'target',
  createApiKey: 'api_key',
  addRecommendationNote: 'recommendation_note',
};

/** Error code of a failed field: SQLSTATE (pg), extensions.code (SafeError), or null. */
export function errorCode(error: GraphQLError): string | null {
  const original = error.originalError as { code?: unknown; extensions?: { code?: unknown } } | undefined;
  const code = original?.code ?? original?.extensions?.code ?? error.extensions?.code;
  return typeof code === 'string' ? code : null;
}

/** Pure: the outcome of one mutation field from its input, its data and the errors on its path. */
export function mutationOutcome(field: {
  name: string;
  input: unknown;
  data: unknown;
  errors: readonly GraphQLError[];
  /** Ids the API's own plans reported for this action (createTarget). */
  reportedIds: string[];
}): MutationOutcome {
  const input = (field.input ?? {}) as Record<string, unknown>;
  let objectType: string | null = OBJECT_OF_CREATE[field.name] ?? null;
  let objectId: string | null = field.reportedIds[0] ?? null;
  for (const [key, type] of Object.entries(OBJECT_KEYS)) {
    if (objectId === null && typeof input[key] === 'string') {
      objectId = input[key] as string;
      objectType = type;
    } else if (objectType === null && key in input) {
      objectType = type;
    }
  }
  objectId ??= idInData(field.data);
  const first = field.errors[0];
  const code = first ? errorCode(first) : null;
  const result = !first ? 'ok' : code === '42501' || code === 'UNAUTHENTICATED' ? 'denied' : 'error';
  return { action: field.name, objectType, objectId, result, code };
}

/** `{ result: { rowId } }`, `{ result: "uuid" }`, `{ targetId }`: whatever id the client selected. */
function idInData(data: unknown): string | null {
  if (!data || typeof data !== 'object') return null;
  const payload = data as Record<string, unknown>;
  for (const value of [payload.result, payload.targetId, payload.rowId]) {
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    if (value && typeof value === 'object') {
      const row = value as Record<string, unknown>;
      const id = row.rowId ?? row.userId ?? row.id;
      if (typeof id === 'string' || typeof id === 'number') return String(id);
    }
  }
  return null;
}
