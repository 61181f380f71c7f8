import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { issueAccessToken } from '../../sidecar/auth/access-tokens.ts';
import { createAuthenticator } from '../../sidecar/auth/authenticator.ts';
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
function subscribe(identity: Identity): Promise<{ events: any[]; done: Promise<void> }> {
  return subscribeTo(api.url, { [IDENTITY_HEADER]: JSON.stringify(identity) });
}

async function subscribeTo(baseUrl: string, connectionParams: Record<string, string>): Promise<{ events: any[]; done: Promise<void> }> {
  const client = createClient({ url: `${baseUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
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
  return { events, done };
}

const isProbe = (event: any) => event.data?.events?.data?.probe !== undefined;

/**
 * LISTEN is issued when the subscription is planned, at a moment the client cannot see: publish
 * probes for the subscriber's tenant until one arrives, so the test starts from a stream that is
 * known to be listening (probes are left out of what the test then compares).
 */
async function untilListening(subscriber: { events: any[] }, tenantId: string): Promise<void> {
  for (let attempt = 0; !subscriber.events.some(isProbe); attempt++) {
    // 150 probes, each given at least 100 ms: a stream that never listens fails here, not later.
    if (attempt > 150) throw new Error('the subscription never started listening');
    await publishAs(tenantId, JSON.stringify({ kind: 'job_progress', probe: tenantId }));
    const seenBy = Date.now() + 100;
    while (!subscriber.events.some(isProbe) && Date.now() < seenBy) await new Promise((resolve) => setTimeout(resolve, 10));
  }
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
  await untilListening(aSubscriber, a.tenantId);
  await untilListening(bSubscriber, b.tenantId);

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

  // A last event per tenant: everything published before it has been delivered once it arrives
  // (notifications keep their order), so nothing else can still be on its way.
  await publishAs(a.tenantId, '{"kind":"job_progress","job":"last"}');
  await publishAs(b.tenantId, '{"kind":"job_progress","job":"last"}');
  const last = (subscriber: { events: any[] }) => subscriber.events.some((e) => e.data.events.data?.job === 'last');
  await waitFor(() => last(aSubscriber) && last(bSubscriber), 15_000);
  const delivered = (subscriber: { events: any[] }) =>
    subscriber.events.filter((e) => !isProbe(e) && e.data.events.data?.job !== 'last').map((e) => e.data.events);

  // Probes too reach only their own tenant.
  expect(aSubscriber.events.filter(isProbe).map((e) => e.data.events.data.probe)).toEqual(expect.arrayContaining([a.tenantId]));
  expect(aSubscriber.events.filter(isProbe).every((e) => e.data.events.data.probe === a.tenantId)).toBe(true);
  expect(bSubscriber.events.filter(isProbe).every((e) => e.data.events.data.probe === b.tenantId)).toBe(true);
  expect(delivered(aSubscriber)).toEqual([
    { kind: 'recommendation_state', data: expect.objectContaining({ recommendationId: a.recommendationIds[0], state: 'dismissed' }) },
    { kind: 'job_progress', data: { kind: 'job_progress', job: 'Alphaleak job', pct: 50 } },
  ]);
  expect(delivered(bSubscriber)).toEqual([
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

describe('with real credentials, a subscription ends when they stop being valid', () => {
  let signedIn: RunningApi;
  let c: SeededTenant;
  const accessKey = new Uint8Array(randomBytes(32));
  const bearer = (role: 'viewer' | 'admin') =>
    issueAccessToken(accessKey, { userId: c.users[role], tenantId: c.tenantId, role }).then((token) => `Bearer ${token}`);

  beforeAll(async () => {
    c = await seedTenant(db.pool, 'Charlie');
    signedIn = await startApi(db, { authenticator: createAuthenticator({ db: db.pool, accessKey }) });
  });
  afterAll(async () => {
    await signedIn?.close();
  });

  /** Publishes until the subscriber has seen `count` events: no guessing when LISTEN took effect. */
  async function publishUntilSeen(subscriber: { events: any[] }, count: number, tag: string) {
    await waitFor(() => {
      if (subscriber.events.length < count) void publishAs(c.tenantId, JSON.stringify({ kind: 'job_progress', tag }));
      return subscriber.events.length >= count;
    });
  }

  /** One more event, after which the stream must have ended without delivering it. */
  async function expectEndedBy(subscriber: { events: any[]; done: Promise<void> }, reason: RegExp) {
    await publishAs(c.tenantId, '{"kind":"job_progress","tag":"after"}');
    const outcome = await subscriber.done.then(() => 'completed', (error: unknown) => error);
    expect(JSON.stringify(outcome)).toMatch(reason);
    // Only events published before the removal were delivered.
    expect(subscriber.events.map((e) => e.data.events.data.tag)).toEqual(subscriber.events.map(() => 'before'));
  }

  test('removing a member ends their subscription before the next event reaches them', async () => {
    const viewer = await subscribeTo(signedIn.url, { authorization: await bearer('viewer') });
    await publishUntilSeen(viewer, 1, 'before');
    const removed = await gql(signedIn.url, null, 'mutation($id: UUID!) { removeMember(input: { userId: $id }) { result } }', { id: c.users.viewer }, {
      authorization: await bearer('admin'),
    });
    expect(removed.errors).toBeUndefined();
    await expectEndedBy(viewer, /you are no longer a member of this tenant/);
  });

  test('revoking an API key ends the subscription opened with it', async () => {
    const admin = { authorization: await bearer('admin') };
    const created = await gql(signedIn.url, null, 'mutation { createApiKey(input: { name: "stream", role: "viewer" }) { result { rowId key } } }', {}, admin);
    expect(created.errors).toBeUndefined();
    const { rowId: id, key } = created.data!.createApiKey.result;
    const script = await subscribeTo(signedIn.url, { 'x-api-key': key });
    await publishUntilSeen(script, 1, 'before');
    const revoked = await gql(signedIn.url, null, 'mutation($id: UUID!) { revokeApiKey(input: { apiKeyId: $id }) { clientMutationId } }', { id }, admin);
    expect(revoked.errors).toBeUndefined();
    await expectEndedBy(script, /the API key has been revoked/);
  });
});

