import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Identity } from '../../sidecar/auth/identity.ts';
import { createApiDatabase, gql, IDENTITY_HEADER, seedTenant, startApi, type ApiDatabase, type RunningApi, type SeededTenant } from './support.ts';

let db: ApiDatabase;
let api: RunningApi;
let a: SeededTenant;
let b: SeededTenant;
const clients: Client[] = [];

beforeAll(async () => {
  db = await createApiDatabase();
  a = await seedTenant(db.pool, 'Alphaleak');
  b = await seedTenant(db.pool, 'Bravo');
  api = await startApi(db);
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await api?.close();
  await db?.close();
});

/** Subscribes over a real WebSocket; identity in connectionParams, as a browser would send it. */
async function subscribe(identity: Identity): Promise<{ events: any[]; done: Promise<void> }> {
  const client = createClient({
    url: `${api.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { [IDENTITY_HEADER]: JSON.stringify(identity) },
  });
  clients.push(client);
  const events: any[] = [];
  let acknowledged!: () => void;
  const ready = new Promise<void>((resolve) => (acknowledged = resolve));
  client.on('connected', () => acknowledged());
  const done = new Promise<void>((resolve, reject) =>
    client.subscribe(
      { query: 'subscription { events { kind data } }' },
      { next: (message) => events.push(message), error: reject, complete: resolve },
    ),
  );
  await ready;
  // LISTEN is issued when the subscription is planned; give it a moment to reach the server.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { events, done };
}

async function waitFor(predicate: () => boolean, timeoutMs = 5_000) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('each tenant receives its own events and never another tenant’s', async () => {
  const aSubscriber = await subscribe(a.identity('viewer'));
  const bSubscriber = await subscribe(b.identity('admin'));

  const change = await gql(
    api.url,
    a.identity('analyst'),
    `mutation($id: UUID!) { setRecommendationState(input: { recommendationId: $id, state: "dismissed" }) { result { rowId state } } }`,
    { id: a.recommendationIds[0] },
  );
  expect(change.errors).toBeUndefined();
  // Published straight from the database too (job progress goes through publish_event, on the
  // sidecar's own connection in a transaction scoped to the tenant).
  await publishAs(a.tenantId, '{"kind":"job_progress","job":"Alphaleak job","pct":50}');
  await publishAs(b.tenantId, '{"kind":"slow_query","query":"Bravo query"}');

  await waitFor(() => aSubscriber.events.length >= 2 && bSubscriber.events.length >= 1);
  await new Promise((resolve) => setTimeout(resolve, 300));

  expect(aSubscriber.events.map((e) => e.data.events)).toEqual([
    { kind: 'recommendation_state', data: expect.objectContaining({ recommendationId: a.recommendationIds[0], state: 'dismissed' }) },
    { kind: 'job_progress', data: { kind: 'job_progress', job: 'Alphaleak job', pct: 50 } },
  ]);
  expect(bSubscriber.events.map((e) => e.data.events)).toEqual([
    { kind: 'slow_query', data: { kind: 'slow_query', query: 'Bravo query' } },
  ]);
  expect(JSON.stringify(bSubscriber.events)).not.toMatch(/alphaleak|dismissed/i);
  expect(JSON.stringify(bSubscriber.events)).not.toContain(a.recommendationIds[0]);
});

test('a subscription without credentials is refused', async () => {
  const client = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  clients.push(client);
  const outcome = await new Promise<unknown>((resolve) =>
    client.subscribe({ query: 'subscription { events { kind } }' }, { next: resolve, error: resolve, complete: () => resolve('complete') }),
  );
  expect(JSON.stringify(outcome)).toMatch(/no credentials/);
});

/** optischema.publish_event takes its tenant from the transaction's verified setting, as withSystemTenant sets it. */
async function publishAs(tenantId: string, payload: string): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('optischema.tenant_id', $1, true)`, [tenantId]);
    await client.query('select optischema.publish_event($1::jsonb)', [payload]);
    await client.query('commit');
  } finally {
    client.release();
  }
}
