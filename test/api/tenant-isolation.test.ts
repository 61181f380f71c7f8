/**
 * Tenant isolation, generated from the API's introspection: every Query field and every Mutation field
 * that exists is exercised, so a new view or function is covered without editing this file (a new
 * mutation must only be given its minimum role in MIN_ROLE).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isObjectType,
  type GraphQLField,
  type GraphQLSchema,
} from 'postgraphile/graphql';
import type { AppRole } from '../../sidecar/auth/identity.ts';
import { CLIENT_SQLSTATES } from '../../sidecar/api/mask-error.ts';
import { fetchSchema, fieldCall, selectAll, stringInputs, synthesize } from './schema-walk.ts';
import { createApiDatabase, gql, seedTenant, startApi, type ApiDatabase, type GraphQLResponse, type RunningApi, type SeededTenant } from './support.ts';

const ROLES: AppRole[] = ['viewer', 'analyst', 'admin'];
const RANK: Record<AppRole, number> = { viewer: 1, analyst: 2, admin: 3 };

/** The least role each mutation needs. A mutation missing here fails the suite until classified. */
const MIN_ROLE: Record<string, AppRole> = {
  setRecommendationState: 'analyst',
  addRecommendationNote: 'analyst',
  testTargetConnection: 'analyst',
  createTarget: 'admin',
  createApiKey: 'admin',
  revokeApiKey: 'admin',
  deleteTarget: 'admin',
  setMemberRole: 'admin',
  removeMember: 'admin',
  addMember: 'admin',
  validateRecommendation: 'analyst',
  dismissRecommendation: 'analyst',
  applyRecommendation: 'admin',
  rollbackRecommendation: 'admin',
  setTargetPolicy: 'admin',
  setTargetThresholds: 'admin',
  setAiSettings: 'admin',
};

/** Mutations that take no id: they create or set something in the caller's own tenant. */
const CREATES_IN_OWN_TENANT = ['createTarget', 'createApiKey', 'addMember', 'setAiSettings'];

/** Destructive mutations run last, so the others still find their rows. */
const ORDER_LAST = ['removeMember', 'deleteTarget'];

const INJECTIONS = [
  "'; drop table optischema.recommendations; --",
  '" or 1=1 --',
  '$$; select pg_sleep(5); $$',
  'ünïcødé ☃ 🐘 \u202e اختبار',
  'x'.repeat(10_240),
];

let db: ApiDatabase;
let api: RunningApi;
let a: SeededTenant;
let b: SeededTenant;
let c: SeededTenant;
let schema: GraphQLSchema;
let aAuditIds: string[];

beforeAll(async () => {
  db = await createApiDatabase();
  a = await seedTenant(db.pool, 'Alphaleak');
  b = await seedTenant(db.pool, 'Bravo');
  c = await seedTenant(db.pool, 'Charlie');
  aAuditIds = (await db.pool.query('select id::text from optischema.audit_log where tenant_id = $1', [a.tenantId])).rows.map((r) => r.id);
  api = await startApi(db);
  schema = await fetchSchema(api.url, b.identity('viewer'));
});
afterAll(async () => {
  await api?.close();
  await db?.close();
});

function aUuids(): string[] {
  return [a.tenantId, ...Object.values(a.users), a.targetId, ...a.recommendationIds,
    ...Object.values(a.recommendationsFor).flatMap((byRole) => Object.values(byRole)), ...a.noteIds, a.apiKeyId];
}

/** A tenant's rows across every tenant-owned table, read as superuser: the before/after of a mutation. */
async function snapshot(tenant: SeededTenant): Promise<string> {
  const parts: unknown[] = [];
  for (const table of ['targets', 'recommendations', 'recommendation_notes', 'api_keys', 'memberships', 'audit_log', 'ai_settings', 'ai_analyses']) {
    const { rows } = await db.pool.query(
      `select coalesce(json_agg(t order by t::text), '[]') as rows from optischema.${table} t where tenant_id = $1`,
      [tenant.tenantId],
    );
    parts.push(rows[0].rows);
  }
  const { rows } = await db.pool.query(
    `select json_agg(u order by u.id) as rows from optischema.users u where id = any($1)`,
    [Object.values(tenant.users)],
  );
  parts.push(rows[0].rows, (await db.pool.query('select * from optischema.tenants where id = $1', [tenant.tenantId])).rows);
  return JSON.stringify(parts);
}

function selectionFor(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  if (isLeafType(named)) return '';
  if (isObjectType(named)) return `{ ${selectAll(named)} }`;
  if (isAbstractType(named)) {
    const fragments = schema.getPossibleTypes(named).map((t) => `... on ${t.name} { ${selectAll(t, 1)} }`);
    return `{ __typename ${fragments.join(' ')} }`;
  }
  return '';
}

/** Every call of a Query field, with each candidate value for its (single) required argument. */
function queryCalls(field: GraphQLField<unknown, unknown>, candidates: (typeName: string) => unknown[]) {
  const required = field.args.filter((arg) => String(arg.type).endsWith('!'));
  const values = required.length === 0 ? [null] : candidates(getNamedType(required[0]!.type).name);
  return values.map((value) => {
    const { definitions, call, variables } = fieldCall(field, () => value);
    return { query: `query Probe${definitions} { probe: ${call} ${selectionFor(field)} }`, variables };
  });
}

describe('queries', () => {
  test('tenant A sees its own rows through every connection (the control)', async () => {
    const connections = Object.values(schema.getQueryType()!.getFields()).filter((f) => f.name.startsWith('all'));
    expect(connections.length).toBeGreaterThanOrEqual(7);
    for (const field of connections) {
      const { query, variables } = queryCalls(field, () => [])[0]!;
      const response = await gql(api.url, a.identity('admin'), query, variables);
      expect(response.errors, field.name).toBeUndefined();
      expect(JSON.stringify(response.data), field.name).toMatch(/Alphaleak|alphaleak/);
    }
  });

  test('no role of tenant B reads a tenant-A row through any Query field', async () => {
    // Node ids of A's rows, as A sees them, to feed the `node(id:)`-style fields.
    const aNodeIds = new Set<string>();
    for (const field of Object.values(schema.getQueryType()!.getFields()).filter((f) => f.name.startsWith('all'))) {
      const { query } = queryCalls(field, () => [])[0]!;
      const response = await gql(api.url, a.identity('admin'), query);
      JSON.stringify(response.data, (key, value) => {
        if (key === 'id' && typeof value === 'string') aNodeIds.add(value);
        return value;
      });
    }
    expect(aNodeIds.size).toBeGreaterThan(5);
    const candidates = (typeName: string): unknown[] =>
      typeName === 'UUID' ? aUuids() : typeName === 'ID' ? [...aNodeIds] : typeName === 'BigInt' || typeName === 'Int' ? aAuditIds : ['Alphaleak'];
    const forbidden = [/alphaleak/i, ...aUuids().map((id) => new RegExp(id)), ...[...aNodeIds].map((id) => new RegExp(escape(id)))];
    let probes = 0;
    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      if (field.name === 'query') continue; // the root again: every other field is covered by itself
      for (const { query, variables } of queryCalls(field, candidates)) {
        for (const role of ROLES) {
          const response = await gql(api.url, b.identity(role), query, variables);
          probes++;
          expect(response.status, `${field.name} as ${role}`).toBeLessThan(500);
          const data = JSON.stringify(response.data ?? null);
          for (const pattern of forbidden) expect(data, `${field.name} as B ${role}`).not.toMatch(pattern);
          // Errors may echo the id that was asked for, never a tenant-A text.
          expect(JSON.stringify(response.errors ?? []), `${field.name} as B ${role}`).not.toMatch(/alphaleak/i);
        }
      }
    }
    expect(probes).toBeGreaterThan(100);
  });
});

function mutationFields(): GraphQLField<unknown, unknown>[] {
  const fields = Object.values(schema.getMutationType()!.getFields());
  return [...fields.filter((f) => !ORDER_LAST.includes(f.name)), ...ORDER_LAST.map((n) => fields.find((f) => f.name === n)!).filter(Boolean)];
}

/** Valid values for a mutation input, by field name, acting on `tenant`'s rows. */
function validScalar(tenant: SeededTenant, role: AppRole, mutation: string) {
  const recommendationByRole = { viewer: 0, analyst: 1, admin: 2 } as const;
  // Each transition on a recommendation of its own, in a state it starts from.
  const own = (tenant.recommendationsFor as Record<string, Record<AppRole, string>>)[mutation];
  return (name: string, typeName: string): unknown => {
    switch (name) {
      case 'recommendationId': return own?.[role] ?? tenant.recommendationIds[recommendationByRole[role]];
      case 'reason': return `dismissed by ${role} in the role test`;
      case 'sandboxStrategy': return 'sample';
      case 'autoApply': return 'validated';
      case 'applyWindowStart': return undefined;
      case 'applyWindowMinutes': return undefined;
      case 'sandboxSampleFraction': return 0.2;
      case 'at': return undefined;
      case 'forceReason': return undefined;
      case 'apiKeyId': return tenant.apiKeyId;
      case 'targetId': return tenant.targetId;
      case 'userId': return tenant.users.viewer;
      case 'state': return 'dismissed';
      case 'role': return 'analyst';
      case 'body': return `a note by ${role}`;
      case 'name': return `${mutation} by ${role} ${Math.random().toString(36).slice(2)}`;
      case 'connectionString': return 'postgres://someone:s3cret@127.0.0.1:9/nowhere';
      case 'secretRef': return undefined;
      case 'provider': return 'openai';
      case 'model': return 'gpt-4o-mini';
      case 'baseUrl': return undefined;
      case 'email': return `${mutation}-${role}-${Math.random().toString(36).slice(2)}@example.com`;
    }
    return typeName === 'UUID' ? tenant.targetId : typeName === 'String' ? 'x' : typeName === 'Boolean' ? true : typeName === 'Int' ? 1 : undefined;
  };
}

function mutationDocument(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  const selection = isObjectType(named) ? `{ ${selectAll(named, 1)} }` : '';
  return `mutation Probe($input: ${String(field.args[0]!.type)}) { probe: ${field.name}(input: $input) ${selection} }`;
}

function errorCodes(response: GraphQLResponse): (string | undefined)[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}

describe('mutations', () => {
  test('every mutation is classified by role', () => {
    const unclassified = mutationFields().map((f) => f.name).filter((n) => !(n in MIN_ROLE));
    expect(unclassified, 'add these to MIN_ROLE').toEqual([]);
    for (const field of mutationFields()) expect(field.args.map((a) => a.name), field.name).toEqual(['input']);
  });

  test('no role of tenant B changes a tenant-A row, whatever A ids it passes', async () => {
    const before = await snapshot(a);
    for (const field of mutationFields()) {
      for (const role of ROLES) {
        const input = synthesize(field.args[0]!.type, (name, typeName) => {
          const value = validScalar(a, role, field.name)(name, typeName);
          return value;
        });
        const response = await gql(api.url, b.identity(role), mutationDocument(field), { input });
        expect(response.status, `${field.name} as B ${role}`).toBeLessThan(500);
        expect(JSON.stringify(response.data ?? null), `${field.name} as B ${role}`).not.toMatch(/alphaleak/i);
        if (!CREATES_IN_OWN_TENANT.includes(field.name)) {
          // Acting on an A id: refused (not visible, or not allowed), never done.
          expect(response.errors?.length, `${field.name} as B ${role}`).toBeGreaterThan(0);
          for (const code of errorCodes(response)) expect(['P0002', '42501'], `${field.name} as B ${role}`).toContain(code);
        }
      }
    }
    expect(await snapshot(a)).toBe(before);
  });

  test('role limits: viewers mutate nothing, analysts no admin mutation, admins all', async () => {
    for (const role of ROLES) {
      for (const field of mutationFields()) {
        const input = synthesize(field.args[0]!.type, validScalar(c, role, field.name));
        const response = await gql(api.url, c.identity(role), mutationDocument(field), { input });
        const allowed = RANK[role] >= RANK[MIN_ROLE[field.name]!];
        if (allowed) {
          expect(response.errors, `${field.name} as ${role}`).toBeUndefined();
          expect(response.data?.probe, `${field.name} as ${role}`).toBeTruthy();
        } else {
          expect(errorCodes(response), `${field.name} as ${role}`).toEqual(['42501']);
        }
      }
    }
    // Each attempt, allowed or refused, is in the audit log with its actor and address (the
    // recommendations' own transition rows, written by the database, are counted apart).
    const { rows } = await db.pool.query(
      `select action, result, actor_user_id, host(client_address) as address from optischema.audit_log
        where tenant_id = $1 and action <> 'seed' and action not like 'recommendation.%'`,
      [c.tenantId],
    );
    const count = mutationFields().length;
    expect(rows).toHaveLength(count * 3);
    // A transition's own audit row (the database's trigger) names the request's user.
    const { rows: transitions } = await db.pool.query(
      `select actor_user_id, details ->> 'from' as "from" from optischema.audit_log where object_id = $1 and action = 'recommendation.validating'`,
      [c.recommendationsFor.validateRecommendation.analyst],
    );
    expect(transitions).toEqual([{ actor_user_id: c.users.analyst, from: 'proposed' }]);
    expect(rows.filter((r) => r.actor_user_id === c.users.viewer).every((r) => r.result === 'denied')).toBe(true);
    expect(rows.filter((r) => r.actor_user_id === c.users.admin).every((r) => r.result === 'ok')).toBe(true);
    expect(rows.every((r) => r.address === '127.0.0.1')).toBe(true);
  });

  test('injection attempts in every string argument change nothing and answer cleanly', async () => {
    const beforeA = await snapshot(a);
    // Dismissing and forcing an apply take any text as their reason, so B's recommendations for
    // those two are moved once, legitimately; every other row stays as it was.
    const moved = [b.recommendationsFor.dismissRecommendation.admin, b.recommendationsFor.applyRecommendation.admin];
    const bRows = 'select id, state, title from optischema.recommendations where tenant_id = $1 and id <> all ($2) order by id';
    const bRecommendations = await db.pool.query(bRows, [b.tenantId, moved]);
    let attempts = 0;
    for (const field of mutationFields().filter((f) => f.name !== 'deleteTarget' && f.name !== 'removeMember')) {
      for (const target of stringInputs(field.args[0]!.type)) {
        for (const payload of INJECTIONS) {
          const input = synthesize(field.args[0]!.type, validScalar(b, 'admin', field.name)) as Record<string, unknown>;
          input[target] = payload;
          if (target === 'secretRef') delete input.connectionString;
          const response = await gql(api.url, b.identity('admin'), mutationDocument(field), { input });
          attempts++;
          const where = `${field.name}.${target} = ${payload.slice(0, 30)}`;
          expect(response.status, where).toBeLessThan(500);
          for (const code of errorCodes(response)) expect([...CLIENT_SQLSTATES], where).toContain(code);
        }
      }
    }
    expect(attempts).toBeGreaterThanOrEqual(INJECTIONS.length * 6);
    expect(await snapshot(a)).toBe(beforeA);
    const after = await db.pool.query(bRows, [b.tenantId, moved]);
    expect(after.rows).toEqual(bRecommendations.rows);
    const states = await db.pool.query('select state from optischema.recommendations where id = any ($1) order by state', [moved]);
    expect(states.rows.map((r) => r.state)).toEqual(['dismissed', 'scheduled']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
