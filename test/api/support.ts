import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AuthError, type AppRole, type Authenticator, type Identity } from '../../sidecar/auth/identity.ts';
import { createApiMount, type ApiMount } from '../../sidecar/api/mount.ts';
import { SecretBox } from '../../sidecar/secrets/secret-box.ts';
import { SecretRefAllowlist } from '../../sidecar/secrets/secret-ref-allowlist.ts';
import { startHttpServer, type RunningServer } from '../../sidecar/server/http-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

process.env.GRAPHILE_ENV ??= 'development';

export const IDENTITY_HEADER = 'x-test-identity';

/** Test-only: the identity comes as JSON in a header (or connectionParams on a WebSocket). */
export const testAuthenticator: Authenticator = {
  async authenticate({ headers }) {
    const raw = headers[IDENTITY_HEADER];
    if (typeof raw !== 'string') throw new AuthError('no credentials');
    return JSON.parse(raw) as Identity;
  },
};

export type ApiDatabase = TestDatabase;

/** A fresh migrated database; `apiUrl` connects as the API login role. */
export function createApiDatabase(): Promise<ApiDatabase> {
  return createTestDatabase({ migrated: true });
}

export interface RunningApi {
  url: string;
  api: ApiMount;
  secretBox: SecretBox;
  close(): Promise<void>;
}

/** `secretRefs`: the operator's OPTISCHEMA_TARGET_SECRET_REFS for this API (default: none allowed). */
export async function startApi(
  db: ApiDatabase,
  options: { dev?: boolean; plugins?: GraphileConfig.Plugin[]; secretRefs?: string; authenticator?: Authenticator } = {},
): Promise<RunningApi> {
  const secretBox = new SecretBox(Buffer.alloc(32, 7));
  const api = await createApiMount({
    apiDatabaseUrl: db.apiUrl,
    authenticator: options.authenticator ?? testAuthenticator,
    systemPool: db.pool,
    secretBox,
    secretRefs: new SecretRefAllowlist(options.secretRefs),
    dev: options.dev ?? true,
    plugins: options.plugins,
  });
  let server: RunningServer;
  try {
    server = await startHttpServer({ host: '127.0.0.1', port: 0, uiDir: '/nonexistent', api: {}, mounts: [api.mount] });
  } catch (error) {
    await api.release();
    throw error;
  }
  return {
    url: server.url.replace('localhost', '127.0.0.1'),
    api,
    secretBox,
    close: async () => {
      await server.close();
      await api.release();
    },
  };
}

export interface GraphQLResponse {
  status: number;
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export async function gql(
  baseUrl: string,
  identity: Identity | null,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(identity ? { [IDENTITY_HEADER]: JSON.stringify(identity) } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
  return { status: response.status, ...body };
}

/** The recommendation transitions of the API (0014), each with the state it starts from. */
const TRANSITION_STARTS = {
  validateRecommendation: 'proposed',
  dismissRecommendation: 'proposed',
  applyRecommendation: 'validated',
  rollbackRecommendation: 'applied',
} as const;
export type TransitionMutation = keyof typeof TRANSITION_STARTS;

export interface SeededTenant {
  marker: string;
  tenantId: string;
  users: Record<AppRole, string>;
  targetId: string;
  recommendationIds: string[];
  /** Per transition mutation and role, a recommendation of its own in a state that transition starts from. */
  recommendationsFor: Record<TransitionMutation, Record<AppRole, string>>;
  noteIds: string[];
  apiKeyId: string;
  identity(role: AppRole): Identity;
}

/**
 * One tenant with a member of each role, a target, recommendations, notes, an API key and audit rows,
 * every text field carrying `marker` so a leak shows up as a substring.
 */
export async function seedTenant(pool: pg.Pool, marker: string, recommendations = 3): Promise<SeededTenant> {
  const tenantId = randomUUID();
  const slug = marker.toLowerCase().replace(/[^a-z0-9]/g, '');
  await pool.query('insert into optischema.tenants (id, name, slug) values ($1, $2, $3)', [tenantId, `${marker} tenant`, slug]);
  const users = {} as Record<AppRole, string>;
  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    const userId = randomUUID();
    users[role] = userId;
    await pool.query('insert into optischema.users (id, email, display_name) values ($1, $2, $3)', [
      userId, `${role}-${slug}@example.com`, `${marker} ${role}`,
    ]);
    await pool.query('insert into optischema.memberships (tenant_id, user_id, role) values ($1, $2, $3)', [tenantId, userId, role]);
  }
  const { rows: [target] } = await pool.query(
    `insert into optischema.targets (tenant_id, name, secret_ref, last_check) values ($1, $2, 'env:${slug.toUpperCase()}_URL', $3) returning id`,
    [tenantId, `${marker} target`, JSON.stringify({ note: marker })],
  );
  // What the collector would have stored: a statement, a slow-query finding and a plan of it.
  await pool.query(
    `insert into optischema.query_texts (tenant_id, target_id, queryid, query, first_seen_at, last_seen_at) values ($1, $2, 4242, $3, now(), now())`,
    [tenantId, target.id, `select * from ${slug}_orders where customer_id = $1`],
  );
  await pool.query(
    `insert into optischema.slow_queries_found (tenant_id, target_id, queryid, reason, mean_exec_ms, calls, first_found_at, last_found_at)
     values ($1, $2, 4242, 'mean_time', 150, 10, now(), now())`,
    [tenantId, target.id],
  );
  await pool.query(
    `insert into optischema.query_plans (tenant_id, target_id, queryid, captured_at, kind, plan_hash, plan) values ($1, $2, 4242, now(), 'generic', $3, $4)`,
    [tenantId, target.id, `${slug}-plan`, JSON.stringify([{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': `${slug}_orders` } }])],
  );
  const recommendationIds: string[] = [];
  const noteIds: string[] = [];
  for (let i = 0; i < recommendations; i++) {
    const { rows: [rec] } = await pool.query(
      `insert into optischema.recommendations (tenant_id, target_id, kind, title, statement, rollback_statement, rationale)
       values ($1, $2, 'index', $3, $4, $5, $6) returning id`,
      [tenantId, target.id, `${marker} rec ${i}`, `create index ${slug}_${i} on t (c)`, `drop index ${slug}_${i}`, `${marker} because`],
    );
    recommendationIds.push(rec.id);
    if (i < 3) {
      const { rows: [note] } = await pool.query(
        `insert into optischema.recommendation_notes (tenant_id, recommendation_id, author_id, body) values ($1, $2, $3, $4) returning id`,
        [tenantId, rec.id, users.analyst, `${marker} note ${i}`],
      );
      noteIds.push(note.id);
    }
  }
  // An AI analysis of the statement, linked to the first recommendation, with what was sent.
  const { rows: [analysis] } = await pool.query(
    `insert into optischema.ai_analyses (tenant_id, target_id, queryid, query, status, provider, model, explanation, context, transcript)
     values ($1, $2, 4242, $3, 'ok', 'openai', 'gpt-4.1-mini', $4, $5, $6) returning id`,
    [tenantId, target.id, `select * from ${slug}_orders where customer_id = $1`, `${marker} explanation`,
      JSON.stringify({ text: `${marker} context` }), JSON.stringify([{ role: 'user', content: `${marker} prompt` }])],
  );
  await pool.query(
    'insert into optischema.ai_analysis_recommendations (tenant_id, analysis_id, recommendation_id) values ($1, $2, $3)',
    [tenantId, analysis.id, recommendationIds[0]],
  );
  const recommendationsFor = {} as SeededTenant['recommendationsFor'];
  for (const [mutation, state] of Object.entries(TRANSITION_STARTS) as [TransitionMutation, string][]) {
    recommendationsFor[mutation] = {} as Record<AppRole, string>;
    for (const role of ['viewer', 'analyst', 'admin'] as const) {
      const { rows: [rec] } = await pool.query(
        `insert into optischema.recommendations (tenant_id, target_id, kind, title, statement, rollback_statement, rationale, state)
         values ($1, $2, 'index', $3, $4, $5, $6, $7) returning id`,
        [tenantId, target.id, `${marker} ${mutation} ${role}`, `create index ${slug}_${mutation}_${role} on t (c)`, `drop index ${slug}_${mutation}_${role}`, `${marker} because`, state],
      );
      recommendationsFor[mutation][role] = rec.id;
      if (state === 'applied') {
        await pool.query(
          `insert into optischema.changes (tenant_id, target_id, recommendation_id, statements, rollback_sql) values ($1, $2, $3, $4, $5)`,
          [tenantId, target.id, rec.id, [`create index ${slug}_${role} on t (c)`], `drop index ${slug}_${role}`],
        );
      }
    }
  }
  await pool.query(
    `insert into optischema.sandboxes (tenant_id, target_id, strategy, server, database, state) values ($1, $2, 'embedded', 'own', $3, 'ready')`,
    [tenantId, target.id, `optischema_sandbox_${slug}_000000`],
  );
  const { rows: [key] } = await pool.query(
    `insert into optischema.api_keys (tenant_id, name, role, prefix, key_hash, created_by)
     values ($1, $2, 'viewer', $3, $4, $5) returning id`,
    [tenantId, `${marker} key`, slug.slice(0, 8), `hash-${marker}-${randomUUID()}`, users.admin],
  );
  await pool.query(
    `insert into optischema.audit_log (tenant_id, actor_user_id, actor_label, action, object_type, object_id, result, details)
     values ($1, $2, $3, 'seed', 'target', $4, 'ok', $5)`,
    [tenantId, users.admin, `${marker} admin`, target.id, JSON.stringify({ marker })],
  );
  return {
    marker,
    tenantId,
    users,
    targetId: target.id,
    recommendationIds,
    recommendationsFor,
    noteIds,
    apiKeyId: key.id,
    identity: (role) => ({ tenantId, role, userId: users[role], apiKeyId: null, label: `${marker} ${role}` }),
  };
}
