import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { getNamedType, isInputObjectType, isObjectType } from 'postgraphile/graphql';
import { neverAnswering, setTargetSettingsEnv, silentAfterStartup } from '../support/silent-target.ts';
import { fetchSchema } from './schema-walk.ts';
import { createApiDatabase, gql, seedTenant, startApi, type ApiDatabase, type RunningApi, type SeededTenant } from './support.ts';

const CREATE = `mutation($input: CreateTargetInput!) { createTarget(input: $input) { targetId target { rowId name createdAt lastCheck } } }`;
const TEST = `mutation($id: UUID!) { testTargetConnection(input: { targetId: $id }) {
  targetId reachable ready error serverVersion checkedAt checks { id status message fix } } }`;

let db: ApiDatabase;
let api: RunningApi;
let t: SeededTenant;
beforeAll(async () => {
  db = await createApiDatabase();
  t = await seedTenant(db.pool, 'Tango');
  // The operator's allowlist: what the tests below use, one reference scoped to this tenant and one to another.
  api = await startApi(db, {
    secretRefs: 'env:OPTISCHEMA_TEST_TARGET_URL,env:OPTISCHEMA_SURELY_UNSET,env:X,tango=env:OPTISCHEMA_TANGO_URL,other=env:OPTISCHEMA_OTHER_URL',
  });
});
afterAll(async () => {
  await api?.close();
  await db?.close();
});

test('createTarget seals the connection string and never returns it', async () => {
  const secret = 'postgres://monitor:Sup3r-S3cret-pw@127.0.0.1:5432/shop';
  const response = await gql(api.url, t.identity('admin'), CREATE, { input: { name: 'shop', connectionString: secret } });
  expect(response.errors).toBeUndefined();
  expect(response.data?.createTarget.target.name).toBe('shop');
  expect(JSON.stringify(response)).not.toMatch(/Sup3r|monitor/);

  const { rows: [row] } = await db.pool.query('select secret_ciphertext, secret_ref from optischema.targets where id = $1', [response.data!.createTarget.targetId]);
  expect(row.secret_ref).toBeNull();
  const stored: Buffer = row.secret_ciphertext;
  expect(stored.equals(Buffer.from(secret))).toBe(false);
  expect(stored.includes(Buffer.from('Sup3r-S3cret-pw'))).toBe(false);
  expect(api.secretBox.open(stored)).toBe(secret);
  // Nor anywhere else in the database's text: audit details, last_check.
  const { rows: leaks } = await db.pool.query(
    `select 'audit' from optischema.audit_log a where a::text like '%Sup3r%' union all select 'target' from optischema.targets t where t::text like '%Sup3r%'`,
  );
  expect(leaks).toEqual([]);

  const all = await gql(api.url, t.identity('admin'), '{ allTargets { nodes { rowId name lastCheck } } }');
  expect(JSON.stringify(all)).not.toMatch(/Sup3r/);
});

test('no API type has a field or input that reads a secret back', async () => {
  const schema = await fetchSchema(api.url, t.identity('admin'));
  const readable: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (/secret|ciphertext|connectionString|keyHash|passwordHash/i.test(field.name)) readable.push(`${type.name}.${field.name}`);
    }
  }
  expect(readable).toEqual([]);
  // The only place a connection string appears is the write-only input.
  const inputs = Object.values(schema.getTypeMap())
    .filter(isInputObjectType)
    .flatMap((type) => Object.keys(type.getFields()).filter((f) => /connectionString/i.test(f)).map((f) => `${type.name}.${f}`));
  expect(inputs).toEqual(['CreateTargetInput.connectionString']);
  expect(getNamedType(schema.getMutationType()!.getFields().createTarget!.type).name).toBe('CreateTargetPayload');
});

test('createTarget refuses analysts and bad input with clean errors', async () => {
  const analyst = await gql(api.url, t.identity('analyst'), CREATE, { input: { name: 'x', connectionString: 'postgres://a:b@h/d' } });
  expect(analyst.errors?.[0]?.extensions?.code).toBe('42501');
  const both = await gql(api.url, t.identity('admin'), CREATE, { input: { name: 'x', connectionString: 'postgres://a:b@h/d', secretRef: 'env:X' } });
  expect(both.errors?.[0]).toMatchObject({ message: 'give exactly one of connectionString and secretRef', extensions: { code: '22023' } });
  const notUrl = await gql(api.url, t.identity('admin'), CREATE, { input: { name: 'x', connectionString: 'mysql://a:hunter2@h/d' } });
  expect(notUrl.errors?.[0]?.extensions?.code).toBe('22023');
  expect(JSON.stringify(notUrl)).not.toContain('hunter2');
  const duplicate = await gql(api.url, t.identity('admin'), CREATE, { input: { name: 'Tango target', secretRef: 'env:X' } });
  expect(duplicate.errors?.[0]?.extensions?.code).toBe('23505');
});

test('secretRef: env: and file: references only from the operator allowlist (OPTISCHEMA_TARGET_SECRET_REFS)', async () => {
  const admin = t.identity('admin');
  const refused = [
    // The sidecar's own superuser URL, in the compose file.
    'env:DATABASE_URL',
    // Any file the sidecar can read.
    'file:/etc/passwd',
    // Listed, but for another tenant.
    'env:OPTISCHEMA_OTHER_URL',
  ];
  for (const secretRef of refused) {
    const response = await gql(api.url, admin, CREATE, { input: { name: `refused ${secretRef}`, secretRef } });
    expect(response.errors?.[0], secretRef).toMatchObject({
      message: expect.stringContaining('must be listed by the operator in OPTISCHEMA_TARGET_SECRET_REFS'),
      extensions: { code: '22023' },
    });
  }
  const { rows: stored } = await db.pool.query(`select secret_ref from optischema.targets where name like 'refused %'`);
  expect(stored).toEqual([]);

  // Listed for this tenant (by its slug): accepted, and resolved when the target is checked.
  process.env.OPTISCHEMA_TANGO_URL = db.url;
  const scoped = await gql(api.url, admin, CREATE, { input: { name: 'tango-scoped', secretRef: 'env:OPTISCHEMA_TANGO_URL' } });
  expect(scoped.errors).toBeUndefined();
  const checked = await gql(api.url, admin, TEST, { id: scoped.data!.createTarget.targetId });
  expect(checked.data!.testTargetConnection).toMatchObject({ reachable: true, error: null });

  // A sealed URL needs no listing, and still connects.
  const sealed = await gql(api.url, admin, CREATE, { input: { name: 'tango-sealed', connectionString: db.url } });
  expect(sealed.errors).toBeUndefined();
  const sealedCheck = await gql(api.url, admin, TEST, { id: sealed.data!.createTarget.targetId });
  expect(sealedCheck.data!.testTargetConnection).toMatchObject({ reachable: true, error: null });
});

test('a reference stored before the allowlist (or since removed from it) is not read', async () => {
  process.env.OPTISCHEMA_UNLISTED_URL = db.url;
  const { rows: [row] } = await db.pool.query(
    `insert into optischema.targets (tenant_id, name, secret_ref) values ($1, 'unlisted', 'env:OPTISCHEMA_UNLISTED_URL') returning id`,
    [t.tenantId],
  );
  const response = await gql(api.url, t.identity('admin'), TEST, { id: row.id });
  expect(response.errors).toBeUndefined();
  expect(response.data!.testTargetConnection).toMatchObject({ reachable: false, checks: [] });
  expect(response.data!.testTargetConnection.error).toMatch(/OPTISCHEMA_TARGET_SECRET_REFS/);
});

test('testTargetConnection runs the doctor on a reachable target and stores the result', async () => {
  process.env.OPTISCHEMA_TEST_TARGET_URL = db.url;
  const created = await gql(api.url, t.identity('admin'), CREATE, { input: { name: 'self', secretRef: 'env:OPTISCHEMA_TEST_TARGET_URL' } });
  const id = created.data!.createTarget.targetId;
  const response = await gql(api.url, t.identity('analyst'), TEST, { id });
  expect(response.errors).toBeUndefined();
  const result = response.data!.testTargetConnection;
  expect(result).toMatchObject({ targetId: id, reachable: true, error: null });
  expect(result.checks.map((c: { id: string }) => c.id)).toContain('pg_stat_statements');
  expect(result.checks.every((c: { status: string }) => ['ok', 'warn', 'fail', 'info'].includes(c.status))).toBe(true);
  const { rows: [row] } = await db.pool.query('select last_check, last_check_at from optischema.targets where id = $1', [id]);
  expect(row.last_check.reachable).toBe(true);
  expect(row.last_check_at).not.toBeNull();
  // Viewers may not run it.
  const viewer = await gql(api.url, t.identity('viewer'), TEST, { id });
  expect(viewer.errors?.[0]?.extensions?.code).toBe('42501');
});

test('an unreachable target gives a clear result, not a crash', async () => {
  const port = await closedPort();
  const created = await gql(api.url, t.identity('admin'), CREATE, {
    input: { name: 'gone', connectionString: `postgres://u:Pw-not-shown@127.0.0.1:${port}/x` },
  });
  const response = await gql(api.url, t.identity('admin'), TEST, { id: created.data!.createTarget.targetId });
  expect(response.errors).toBeUndefined();
  expect(response.data!.testTargetConnection).toMatchObject({ reachable: false, ready: false, checks: [] });
  expect(response.data!.testTargetConnection.error).toMatch(/cannot connect to .*connection refused/);
  expect(JSON.stringify(response)).not.toContain('Pw-not-shown');

  const missingEnv = await gql(api.url, t.identity('admin'), CREATE, { input: { name: 'no-env', secretRef: 'env:OPTISCHEMA_SURELY_UNSET' } });
  const result = await gql(api.url, t.identity('admin'), TEST, { id: missingEnv.data!.createTarget.targetId });
  expect(result.data!.testTargetConnection.error).toMatch(/OPTISCHEMA_SURELY_UNSET is not set/);
});

test('a target that accepts TCP and never answers, or goes silent after sign-in, gives a timeout result within the bounds', async () => {
  const restore = setTargetSettingsEnv({ connectTimeoutMs: 1000, queryTimeoutMs: 1500 });
  const deaf = await neverAnswering();
  const silent = await silentAfterStartup(db.url);
  try {
    const check = async (name: string, connectionString: string) => {
      const created = await gql(api.url, t.identity('admin'), CREATE, { input: { name, connectionString } });
      const response = await gql(api.url, t.identity('admin'), TEST, { id: created.data!.createTarget.targetId });
      expect(response.errors).toBeUndefined();
      return response.data!.testTargetConnection;
    };
    const neverAnswered = await check('deaf', deaf.url);
    expect(neverAnswered).toMatchObject({ reachable: false, ready: false, checks: [] });
    expect(neverAnswered.error).toMatch(/^cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:\d+\/nowhere: timed out: no answer within the connect timeout/);
    const wentSilent = await check('silent', silent.url);
    expect(wentSilent).toMatchObject({ reachable: true, ready: false, checks: [] });
    expect(wentSilent.error).toMatch(/^the target stopped answering: no reply within 1\.5 s \(client query timeout/);
  } finally {
    restore();
    await Promise.all([deaf.close(), silent.close()]);
  }
});

test('admins read the audit log through the API; viewers cannot', async () => {
  const admin = await gql(api.url, t.identity('admin'), '{ allAuditLogs { nodes { action result objectType objectId actorLabel clientAddress } } }');
  expect(admin.errors).toBeUndefined();
  const entries = admin.data!.allAuditLogs.nodes;
  expect(entries).toEqual(expect.arrayContaining([
    expect.objectContaining({ action: 'createTarget', result: 'ok', objectType: 'target', actorLabel: 'Tango admin', clientAddress: '127.0.0.1' }),
    expect.objectContaining({ action: 'createTarget', result: 'denied' }),
    expect.objectContaining({ action: 'createTarget', result: 'error' }),
    expect.objectContaining({ action: 'testTargetConnection', result: 'ok', objectType: 'target' }),
  ]));
  const viewer = await gql(api.url, t.identity('viewer'), '{ allAuditLogs { nodes { action } } }');
  expect(viewer.errors?.[0]?.extensions?.code).toBe('42501');
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
