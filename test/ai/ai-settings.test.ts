import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantAiSettings } from '../../sidecar/ai/ai-settings.ts';
import { runCli } from '../support/cli.ts';
import { createApiDatabase, gql, seedTenant, startApi, type ApiDatabase, type RunningApi, type SeededTenant } from '../api/support.ts';

const SET = `mutation Set($input: SetAiSettingsInput!) { setAiSettings(input: $input) { result { enabled provider model baseUrl sendLiterals } } }`;
const STATUS = `query { aiStatus { enabled provider model baseUrl sendLiterals } }`;

/** A tenant's model settings: the operator's CLI with the key, the admin's API without it. */
describe('AI settings', () => {
  let db: ApiDatabase;
  let api: RunningApi;
  let tenant: SeededTenant;
  const operatorKey = 'sk-operator-9f3b1c';
  const env = { OPTISCHEMA_TENANT_AI_KEY: operatorKey };

  beforeAll(async () => {
    db = await createApiDatabase();
    tenant = await seedTenant(db.pool, 'Aiset');
    api = await startApi(db);
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  const settings = () => tenantAiSettings(db.pool, tenant.tenantId, { fallback: null, env });
  const setByCli = (...args: string[]) =>
    runCli(['ai', 'set', '--db', db.url, '--tenant', 'aiset', ...args], { env });

  it('takes the operator\'s key by reference and never prints it', async () => {
    const result = await setByCli('--provider', 'openai', '--model', 'gpt-4.1-mini', '--base-url', 'https://llm.internal/v1', '--api-key-ref', 'env:OPTISCHEMA_TENANT_AI_KEY');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/aiset: AI on with openai gpt-4\.1-mini, key from env; literals never sent/);
    expect(result.stdout + result.stderr).not.toContain(operatorKey);
    expect((await settings()).provider).toEqual({ kind: 'openai', model: 'gpt-4.1-mini', baseUrl: 'https://llm.internal/v1', apiKey: operatorKey });
  });

  it('shows admins the tenant\'s provider and address through the API, never the key', async () => {
    const status = await gql(api.url, tenant.identity('viewer'), STATUS);
    expect(status.data?.aiStatus).toEqual({ enabled: true, provider: 'openai', model: 'gpt-4.1-mini', baseUrl: 'https://llm.internal/v1', sendLiterals: false });
    expect(JSON.stringify(status)).not.toContain(operatorKey);
  });

  it('keeps the key when an admin changes settings on the same server', async () => {
    const input = { enabled: true, provider: 'openai', model: 'gpt-4.1', baseUrl: 'https://llm.internal/v1', sendLiterals: true };
    const response = await gql(api.url, tenant.identity('admin'), SET, { input });
    expect(response.errors).toBeUndefined();
    expect((await settings())).toEqual({ provider: { kind: 'openai', model: 'gpt-4.1', baseUrl: 'https://llm.internal/v1', apiKey: operatorKey }, sendLiterals: true });
  });

  it('drops the key when an admin points the tenant at another address, so it never travels there', async () => {
    const input = { enabled: true, provider: 'openai', model: 'gpt-4.1', baseUrl: 'https://collector.example.net/v1', sendLiterals: false };
    const response = await gql(api.url, tenant.identity('admin'), SET, { input });
    expect(response.errors).toBeUndefined();
    const after = await settings();
    expect(after.provider).toEqual({ kind: 'openai', model: 'gpt-4.1', baseUrl: 'https://collector.example.net/v1' });
    const { rows } = await db.pool.query('select api_key_ciphertext, api_key_ref from optischema.ai_settings where tenant_id = $1', [tenant.tenantId]);
    expect(rows).toEqual([{ api_key_ciphertext: null, api_key_ref: null }]);
  });

  it('refuses a provider the sidecar has no backend for with one clear error, and changes nothing', async () => {
    const before = await db.pool.query('select * from optischema.ai_settings where tenant_id = $1', [tenant.tenantId]);
    const response = await gql(api.url, tenant.identity('admin'), SET, { input: { provider: 'cohere', model: 'x' } });
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['23514']);
    const after = await db.pool.query('select * from optischema.ai_settings where tenant_id = $1', [tenant.tenantId]);
    expect(after.rows).toEqual(before.rows);
  });

  it('lets analysts read the status but not change it', async () => {
    const response = await gql(api.url, tenant.identity('analyst'), SET, { input: { enabled: false } });
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['42501']);
    expect((await settings()).provider?.model).toBe('gpt-4.1');
  });
});
