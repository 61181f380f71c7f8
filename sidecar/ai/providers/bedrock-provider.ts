import type { ChatResult, Provider, ProviderConfig } from './provider.ts';
import { ProviderError, retryableStatus, withoutKey, withRetries } from './retry.ts';
import { UserError } from '../../errors.ts';

/**
 * AWS Bedrock's Converse API through `@aws-sdk/client-bedrock-runtime`, an optional dependency
 * loaded only when a tenant picks Bedrock. Credentials come from the AWS SDK's usual chain (the
 * environment, a profile, an instance role); `baseUrl` overrides the endpoint.
 */
export async function bedrockProvider(config: ProviderConfig): Promise<Provider> {
  let sdk: typeof import('@aws-sdk/client-bedrock-runtime');
  try {
    sdk = await import('@aws-sdk/client-bedrock-runtime');
  } catch (error) {
    throw new UserError('Bedrock needs its SDK: npm install @aws-sdk/client-bedrock-runtime', { cause: error });
  }
  const client = new sdk.BedrockRuntimeClient({ region: config.region ?? process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 1, ...(config.baseUrl ? { endpoint: config.baseUrl } : {}) });
  return {
    kind: 'bedrock',
    model: config.model,
    async chat(request): Promise<ChatResult> {
      const system = request.messages.flatMap((m) => (m.role === 'system' ? [{ text: m.content }] : []));
      const messages = request.messages.flatMap((m): { role: 'user' | 'assistant'; content: unknown[] }[] => {
        if (m.role === 'system') return [];
        if (m.role === 'tool') return [{ role: 'user' as const, content: [{ toolResult: { toolUseId: m.toolCallId, content: [{ text: m.content }] } }] }];
        if (m.role === 'assistant') {
          const uses = (m.toolCalls ?? []).map((c) => ({ toolUse: { toolUseId: c.id, name: c.name, input: c.arguments as never } }));
          return [{ role: 'assistant' as const, content: [...(m.content ? [{ text: m.content }] : []), ...uses] }];
        }
        return [{ role: 'user' as const, content: [{ text: m.content }] }];
      });
      const answer = await withRetries(
        (signal) =>
          client.send(
            new sdk.ConverseCommand({
              modelId: config.model,
              system,
              messages: messages as never,
              ...(request.tools?.length ? { toolConfig: { tools: request.tools.map((t) => ({ toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.parameters as never } } })) } } : {}),
            }),
            { abortSignal: signal },
          ),
        (error, timedOut) => {
          const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? null;
          if (timedOut) return new ProviderError('the model did not answer in time', null, true);
          return new ProviderError(withoutKey(`Bedrock answered ${status ?? 'with an error'}: ${(error as Error).message}`, config.apiKey), status, retryableStatus(status));
        },
        { maxRetries: config.maxRetries ?? 3, timeoutMs: config.timeoutMs ?? 60_000, ...(request.signal ? { signal: request.signal } : {}) },
      );
      const content = answer.output?.message?.content ?? [];
      const toolCalls = content.flatMap((c) => (c.toolUse ? [{ id: c.toolUse.toolUseId ?? '', name: c.toolUse.name ?? '', arguments: c.toolUse.input as unknown }] : []));
      return {
        message: { role: 'assistant', content: content.map((c) => c.text ?? '').join(''), ...(toolCalls.length ? { toolCalls } : {}) },
        usage: { inputTokens: answer.usage?.inputTokens ?? 0, outputTokens: answer.usage?.outputTokens ?? 0 },
      };
    },
  };
}
