/**
 * One interface for every model backend. Glossary:
 * - provider: a backend and its SDK (openai, ollama, gemini, bedrock), with a model.
 * - chat: one request and its answer; a tool call is the model asking OptiSchema to run a tool.
 * Retries are OptiSchema's (retry.ts), the same for every backend: the SDKs' own are off.
 */
export interface ProviderConfig {
  kind: 'openai' | 'ollama' | 'gemini' | 'bedrock';
  model: string;
  /** An OpenAI-compatible server, the Ollama host, Bedrock's endpoint. */
  baseUrl?: string;
  apiKey?: string;
  /** Bedrock's AWS region. */
  region?: string;
  /** Per request, in milliseconds (default 60 s). */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx or a timeout (default 3). */
  maxRetries?: number;
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: unknown;
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  /** Ask for a JSON object as the answer. */
  json: boolean;
  signal?: AbortSignal;
}

export interface ChatResult {
  message: Extract<ChatMessage, { role: 'assistant' }>;
  usage: { inputTokens: number; outputTokens: number };
}

export interface Provider {
  kind: ProviderConfig['kind'];
  model: string;
  chat(request: ChatRequest): Promise<ChatResult>;
}

/**
 * @example
 *   const provider = await createProvider({ kind: 'ollama', model: 'qwen2.5-coder:7b', baseUrl: 'http://127.0.0.1:11434' });
 *   const { message } = await provider.chat({ messages: [{ role: 'user', content: 'hi' }], json: false });
 */
export async function createProvider(config: ProviderConfig): Promise<Provider> {
  switch (config.kind) {
    case 'openai':
      return (await import('./openai-provider.ts')).openAiProvider(config);
    case 'gemini':
      return (await import('./openai-provider.ts')).openAiProvider({ ...config, baseUrl: config.baseUrl ?? GEMINI_OPENAI_ENDPOINT }, 'gemini');
    case 'ollama':
      return (await import('./ollama-provider.ts')).ollamaProvider(config);
    case 'bedrock':
      return (await import('./bedrock-provider.ts')).bedrockProvider(config);
  }
}

/**
 * Gemini through Google's own OpenAI-compatible endpoint and the openai SDK: one tested
 * tool-calling path for both, documented by Google for chat completions with tools and JSON mode.
 */
export const GEMINI_OPENAI_ENDPOINT = 'https://generativelanguage.googleapis.com/v1beta/openai/';
