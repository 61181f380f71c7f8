import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAnalysis, type AnalysisTool } from '../../sidecar/ai/loop/run-analysis.ts';
import { createProvider, type ProviderConfig } from '../../sidecar/ai/providers/provider.ts';
import { answer, startFakeLlm, type FakeLlmServer } from '../support/fake-llm/fake-llm-server.ts';

const KEY = 'sk-test-0123456789-secret';

/** The providers and the loop over real HTTP, against a fake server on loopback, for each wire format. */
describe.each([
  { kind: 'openai' as const, path: '/v1' },
  { kind: 'gemini' as const, path: '/v1beta/openai' },
  { kind: 'ollama' as const, path: '' },
])('$kind', ({ kind, path }) => {
  let server: FakeLlmServer;
  beforeAll(async () => {
    server = await startFakeLlm();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    server.requests.length = 0;
  });
  const config = (extra: Partial<ProviderConfig> = {}): ProviderConfig => ({ kind, model: 'fake-model', baseUrl: `${server.url}${path}`, apiKey: KEY, ...extra });
  const echo: AnalysisTool = {
    spec: { name: 'table_facts', description: 'facts', parameters: z.toJSONSchema(z.object({ table: z.string() })) as Record<string, unknown> },
    args: z.object({ table: z.string() }),
    run: async (args) => ({ table: (args as { table: string }).table, rows: 1234 }),
  };
  const analyse = async (extra: Partial<ProviderConfig> = {}) => runAnalysis(await createProvider(config(extra)), { system: 'You review SQL.', user: 'select 1', tools: [echo] });

  it('reads a good answer, and sums the tokens', async () => {
    server.reply({ content: answer({ findings: [{ title: 'seq scan', detail: 'all rows read' }] }), usage: { input: 300, output: 40 } });
    const run = await analyse();
    expect(run).toMatchObject({ status: 'ok', toolCalls: 0, repaired: false, usage: { inputTokens: 300, outputTokens: 40 } });
    expect(run.output?.findings).toEqual([{ title: 'seq scan', detail: 'all rows read' }]);
    expect(server.requests[0]!.model).toBe('fake-model');
    expect(JSON.stringify(server.requests[0]!.messages)).toContain('You review SQL.');
  });

  it('runs a tool the model calls and sends its result back', async () => {
    server.reply({ toolCalls: [{ name: 'table_facts', arguments: { table: 'orders' } }] }, { content: answer() });
    const run = await analyse();
    expect(run).toMatchObject({ status: 'ok', toolCalls: 1 });
    expect(server.requests).toHaveLength(2);
    const sent = JSON.stringify(server.requests[1]!.messages);
    expect(sent).toContain('1234');
    expect(server.requests[0]!.tools[0].function?.name ?? server.requests[0]!.tools[0].name).toBe('table_facts');
  });

  it('answers invalid tool arguments with the validation error', async () => {
    server.reply({ toolCalls: [{ name: 'table_facts', arguments: { name: 42 } }] }, { content: answer() });
    const run = await analyse();
    expect(run.status).toBe('ok');
    expect(JSON.stringify(server.requests[1]!.messages)).toContain('invalid arguments');
  });

  it('repairs a malformed answer once, and rejects one that stays malformed', async () => {
    server.reply({ content: '{"explanation": "x"' }, { content: '```json\n' + answer() + '\n```' });
    expect(await analyse()).toMatchObject({ status: 'ok', repaired: true });
    server.requests.length = 0;
    server.reply({ content: 'not json' }, { content: JSON.stringify({ explanation: 3 }) }, { content: answer() });
    const rejected = await analyse();
    expect(rejected).toMatchObject({ status: 'rejected', output: null, error: expect.stringContaining('malformed answer after one repair') });
    expect(server.requests).toHaveLength(2);
  });

  it('waits for retry-after on a 429 and then succeeds', async () => {
    server.reply({ status: 429, headers: { 'retry-after': '0' } }, { content: answer() });
    expect((await analyse()).status).toBe('ok');
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after its retries on a 500, with one line and no key', async () => {
    server.reply({ status: 500, headers: { 'retry-after': '0' }, body: JSON.stringify({ error: { message: `upstream broke for ${KEY}` } }) });
    const run = await analyse({ maxRetries: 2 });
    expect(run).toMatchObject({ status: 'failed', output: null });
    expect(server.requests).toHaveLength(3);
    expect(run.error).toContain('500');
    expect(run.error).not.toContain(KEY);
  });

  it('fails at once on a 400', async () => {
    server.reply({ status: 400 });
    const run = await analyse();
    expect(run.status).toBe('failed');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a slow answer, retries it within bounds, then fails', async () => {
    server.reply({ hold: true });
    const arrived = server.held();
    const run = analyse({ timeoutMs: 300, maxRetries: 1 });
    await arrived;
    const result = await run;
    expect(result).toMatchObject({ status: 'failed', error: expect.stringContaining('did not answer in time') });
    expect(server.requests).toHaveLength(2);
  });
});

describe('bedrock', () => {
  it('is an optional dependency that loads when installed', async () => {
    const provider = await createProvider({ kind: 'bedrock', model: 'anthropic.claude-3-haiku', region: 'us-east-1' });
    expect(provider.kind).toBe('bedrock');
  });
});
