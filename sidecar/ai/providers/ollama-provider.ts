import { Ollama, type Message } from 'ollama';
import type { ChatMessage, ChatResult, Provider, ProviderConfig } from './provider.ts';
import { ProviderError, retryableStatus, retryAfterMs, withoutKey, withRetries } from './retry.ts';

/**
 * Ollama's /api/chat with tools, through the `ollama` SDK (local and private). Its client takes
 * no abort signal per call, so each attempt gets a fetch that carries one, and that keeps the
 * answer's retry-after for the retry.
 */
export function ollamaProvider(config: ProviderConfig): Provider {
  return {
    kind: 'ollama',
    model: config.model,
    async chat(request): Promise<ChatResult> {
      let lastRetryAfter: string | null = null;
      const answer = await withRetries(
        (signal) => {
          const client = new Ollama({
            host: config.baseUrl ?? 'http://127.0.0.1:11434',
            ...(config.apiKey ? { headers: { authorization: `Bearer ${config.apiKey}` } } : {}),
            fetch: async (input, init) => {
              const response = await fetch(input, { ...init, signal });
              lastRetryAfter = response.headers.get('retry-after');
              return response;
            },
          });
          return client.chat({
            model: config.model,
            stream: false,
            messages: request.messages.map(toOllama),
            ...(request.tools && request.tools.length > 0 ? { tools: request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters as never } })) } : {}),
            ...(request.json && !(request.tools && request.tools.length > 0) ? { format: 'json' } : {}),
          });
        },
        (error, timedOut) => {
          if (timedOut) return new ProviderError('the model did not answer in time', null, true, null, { cause: error });
          const status = (error as { status_code?: unknown }).status_code;
          if (typeof status === 'number') return new ProviderError(withoutKey(`the Ollama server answered ${status}: ${(error as Error).message}`, config.apiKey), status, retryableStatus(status), retryAfterMs(lastRetryAfter));
          return new ProviderError(withoutKey(`cannot reach the Ollama server: ${(error as Error)?.message ?? String(error)}`, config.apiKey), null, true);
        },
        { maxRetries: config.maxRetries ?? 3, timeoutMs: config.timeoutMs ?? 60_000, ...(request.signal ? { signal: request.signal } : {}) },
      );
      const toolCalls = (answer.message.tool_calls ?? []).map((call, i) => ({ id: `call_${i}`, name: call.function.name, arguments: call.function.arguments as unknown }));
      return {
        message: { role: 'assistant', content: answer.message.content ?? '', ...(toolCalls.length > 0 ? { toolCalls } : {}) },
        usage: { inputTokens: answer.prompt_eval_count ?? 0, outputTokens: answer.eval_count ?? 0 },
      };
    },
  };
}

function toOllama(message: ChatMessage): Message {
  if (message.role === 'tool') return { role: 'tool', content: message.content, tool_name: message.name };
  if (message.role === 'assistant') {
    return {
      role: 'assistant',
      content: message.content,
      ...(message.toolCalls?.length ? { tool_calls: message.toolCalls.map((c) => ({ function: { name: c.name, arguments: (c.arguments ?? {}) as Record<string, unknown> } })) } : {}),
    };
  }
  return { role: message.role, content: message.content };
}
