import OpenAI from 'openai';
import type { ChatMessage, ChatResult, Provider, ProviderConfig, ToolSpec } from './provider.ts';
import { ProviderError, retryableStatus, retryAfterMs, withoutKey, withRetries } from './retry.ts';

/**
 * Chat Completions with tools, through the `openai` SDK: OpenAI, Azure OpenAI and any
 * OpenAI-compatible server (vLLM, LM Studio, llama.cpp server) by `baseUrl`, and Gemini by its
 * OpenAI-compatible endpoint (provider.ts).
 */
export function openAiProvider(config: ProviderConfig, kind: 'openai' | 'gemini' = 'openai'): Provider {
  // A local server needs no key, but the SDK insists on one.
  const client = new OpenAI({ apiKey: config.apiKey ?? 'not-needed', ...(config.baseUrl ? { baseURL: config.baseUrl } : {}), maxRetries: 0 });
  return {
    kind,
    model: config.model,
    async chat(request): Promise<ChatResult> {
      const completion = await withRetries(
        (signal) =>
          client.chat.completions.create(
            {
              model: config.model,
              messages: request.messages.map(toOpenAi),
              ...(request.tools && request.tools.length > 0 ? { tools: request.tools.map(toTool) } : {}),
              ...(request.json && !(request.tools && request.tools.length > 0) ? { response_format: { type: 'json_object' as const } } : {}),
            },
            { signal },
          ),
        (error, timedOut) => classify(error, timedOut, config.apiKey),
        { maxRetries: config.maxRetries ?? 3, timeoutMs: config.timeoutMs ?? 60_000, ...(request.signal ? { signal: request.signal } : {}) },
      );
      const choice = completion.choices[0]?.message;
      const toolCalls = (choice?.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: parseArguments(call.function.arguments) }] : [],
      );
      return {
        message: { role: 'assistant', content: choice?.content ?? '', ...(toolCalls.length > 0 ? { toolCalls } : {}) },
        usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
      };
    },
  };
}

function toOpenAi(message: ChatMessage): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  if (message.role === 'assistant') {
    return {
      role: 'assistant',
      content: message.content,
      ...(message.toolCalls?.length
        ? { tool_calls: message.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) }
        : {}),
    };
  }
  return { role: message.role, content: message.content };
}

const toTool = (tool: ToolSpec): OpenAI.Chat.Completions.ChatCompletionTool => ({
  type: 'function',
  function: { name: tool.name, description: tool.description, parameters: tool.parameters },
});

/** Arguments arrive as a JSON string; one that does not parse is handed on as text for the loop to refuse. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function classify(error: unknown, timedOut: boolean, key: string | undefined): ProviderError {
  if (error instanceof ProviderError) return error;
  if (timedOut || error instanceof OpenAI.APIConnectionTimeoutError) return new ProviderError('the model did not answer in time', null, true, null, { cause: error });
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const after = retryAfterMs(error.headers?.get('retry-after'));
    return new ProviderError(withoutKey(`the model server answered ${error.status}: ${error.message}`, key), error.status, retryableStatus(error.status), after);
  }
  if (error instanceof OpenAI.APIConnectionError) return new ProviderError(withoutKey(`cannot reach the model server: ${error.message}`, key), null, true);
  return new ProviderError(withoutKey(`the model call failed: ${(error as Error)?.message ?? String(error)}`, key), null, false);
}
