import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A model server on loopback that speaks OpenAI's Chat Completions (POST …/chat/completions) and
 * Ollama's /api/chat, answering from a queue of recorded replies and keeping every request body,
 * so a test asserts on what OptiSchema sent over real HTTP.
 *
 * A reply is an answer (the model's message), an HTTP failure (status, headers), or `hold`: the
 * request is kept open until the client gives up (a slow model), and `held` tells the test it came.
 */
export type Reply =
  | { content?: string; toolCalls?: { name: string; arguments: unknown }[]; usage?: { input: number; output: number } }
  | { status: number; headers?: Record<string, string>; body?: string }
  | { hold: true };

export interface FakeLlmServer {
  url: string;
  /** Bodies of the requests received, in order. */
  requests: Record<string, any>[];
  /** The replies for what comes next, replacing any left: each request takes the next one, the last stays for any further request. */
  reply(...replies: Reply[]): void;
  /** Resolves when the next held request has arrived. */
  held(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeLlm(): Promise<FakeLlmServer> {
  const queue: Reply[] = [];
  const requests: Record<string, any>[] = [];
  const holds: http.ServerResponse[] = [];
  let onHold: (() => void) | null = null;
  const server = http.createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = text ? JSON.parse(text) : {};
    requests.push(body);
    const reply = queue.length > 1 ? queue.shift()! : queue[0] ?? { status: 500, body: 'no reply queued' };
    if ('hold' in reply) {
      holds.push(res);
      onHold?.();
      return;
    }
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? JSON.stringify({ error: { message: `fake failure ${reply.status}` } }));
      return;
    }
    const ollama = req.url?.startsWith('/api/chat');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ollama ? ollamaBody(body.model, reply) : openAiBody(body.model, reply)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => void queue.splice(0, queue.length, ...replies),
    held: () => new Promise<void>((resolve) => {
      onHold = () => {
        onHold = null;
        resolve();
      };
    }),
    close: async () => {
      for (const res of holds) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

type Answer = Extract<Reply, { content?: string }>;

function openAiBody(model: string, reply: Answer) {
  return {
    id: 'chatcmpl-fake', object: 'chat.completion', created: 0, model,
    choices: [{
      index: 0,
      finish_reason: reply.toolCalls ? 'tool_calls' : 'stop',
      message: {
        role: 'assistant',
        content: reply.content ?? null,
        ...(reply.toolCalls ? { tool_calls: reply.toolCalls.map((c, i) => ({ id: `call_${i}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) } : {}),
      },
    }],
    usage: { prompt_tokens: reply.usage?.input ?? 100, completion_tokens: reply.usage?.output ?? 20, total_tokens: (reply.usage?.input ?? 100) + (reply.usage?.output ?? 20) },
  };
}

function ollamaBody(model: string, reply: Answer) {
  return {
    model, created_at: new Date(0).toISOString(), done: true, done_reason: 'stop',
    message: { role: 'assistant', content: reply.content ?? '', ...(reply.toolCalls ? { tool_calls: reply.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments } })) } : {}) },
    prompt_eval_count: reply.usage?.input ?? 100, eval_count: reply.usage?.output ?? 20,
  };
}

/** A well-formed final answer, as the AI output schema wants it. */
export function answer(parts: Partial<{ explanation: string; findings: unknown[]; indexes: unknown[]; rewrites: unknown[]; settings: unknown[] }> = {}): string {
  return JSON.stringify({ explanation: 'The statement scans the whole table.', findings: [], indexes: [], rewrites: [], settings: [], ...parts });
}
