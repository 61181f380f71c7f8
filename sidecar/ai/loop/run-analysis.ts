import type { z } from 'zod';
import { messageOf } from '../../errors.ts';
import type { ChatMessage, Provider, ToolSpec } from '../providers/provider.ts';
import { ProviderError } from '../providers/retry.ts';
import { readAnswer, type AiOutput } from './ai-output.ts';

/** A tool the model may call: its arguments are validated, its result (JSON) sent back. */
export interface AnalysisTool {
  spec: ToolSpec;
  args: z.ZodType;
  run(args: unknown, signal?: AbortSignal): Promise<unknown>;
}

export interface AnalysisRun {
  /** ok: a valid answer; rejected: still malformed after one repair; failed: the provider failed. */
  status: 'ok' | 'rejected' | 'failed';
  output: AiOutput | null;
  error?: string;
  transcript: ChatMessage[];
  usage: { inputTokens: number; outputTokens: number };
  toolCalls: number;
  repaired: boolean;
}

/** A tool result longer than this many characters is cut (and says so). */
const MAX_TOOL_RESULT_CHARS = 12_000;

/**
 * The verified loop, the model's side: ask; while the model calls tools (at most `maxToolCalls`,
 * before the deadline) validate each call's arguments, run it, send the result back; then read
 * the answer with zod. A malformed answer gets exactly one repair request. Provider errors (after
 * their retries) end the run as `failed`; this never throws for them.
 *
 * @example
 *   const run = await runAnalysis(provider, { system: SYSTEM_PROMPT, user: userPrompt(context.text), tools });
 *   if (run.status === 'ok') run.output.indexes;
 */
export async function runAnalysis(
  provider: Provider,
  input: { system: string; user: string; tools: AnalysisTool[]; maxToolCalls?: number; deadlineMs?: number; signal?: AbortSignal },
): Promise<AnalysisRun> {
  const maxToolCalls = input.maxToolCalls ?? 6;
  const deadline = AbortSignal.timeout(input.deadlineMs ?? 90_000);
  const signal = input.signal ? AbortSignal.any([input.signal, deadline]) : deadline;
  const transcript: ChatMessage[] = [{ role: 'system', content: input.system }, { role: 'user', content: input.user }];
  const usage = { inputTokens: 0, outputTokens: 0 };
  const run = { transcript, usage, toolCalls: 0, repaired: false };
  const byName = new Map(input.tools.map((t) => [t.spec.name, t]));
  const ask = async (withTools: boolean) => {
    const answer = await provider.chat({ messages: transcript, ...(withTools ? { tools: input.tools.map((t) => t.spec) } : {}), json: true, signal });
    usage.inputTokens += answer.usage.inputTokens;
    usage.outputTokens += answer.usage.outputTokens;
    transcript.push(answer.message);
    return answer.message;
  };
  try {
    let message = await ask(input.tools.length > 0);
    while (message.toolCalls && message.toolCalls.length > 0) {
      for (const call of message.toolCalls) {
        run.toolCalls++;
        const content = run.toolCalls > maxToolCalls
          ? { error: `no more tool calls in this analysis (at most ${maxToolCalls}); answer with what you know` }
          : await runTool(byName.get(call.name), call.name, call.arguments, signal);
        transcript.push({ role: 'tool', toolCallId: call.id, name: call.name, content: truncate(JSON.stringify(content) ?? 'null') });
      }
      // Past the limit the model is asked for its answer, without tools.
      message = await ask(input.tools.length > 0 && run.toolCalls < maxToolCalls);
    }
    let read = readAnswer(message.content);
    if (!read.ok) {
      run.repaired = true;
      transcript.push({ role: 'user', content: `Your answer could not be read: ${read.problem}. Reply with only the JSON object described in the instructions.` });
      read = readAnswer((await ask(false)).content);
    }
    return read.ok ? { ...run, status: 'ok', output: read.output } : { ...run, status: 'rejected', output: null, error: `malformed answer after one repair: ${read.problem}` };
  } catch (error) {
    const why = error instanceof ProviderError ? error.message : deadline.aborted ? 'the analysis ran past its deadline' : messageOf(error);
    return { ...run, status: 'failed', output: null, error: why };
  }
}

async function runTool(tool: AnalysisTool | undefined, name: string, args: unknown, signal: AbortSignal): Promise<unknown> {
  if (!tool) return { error: `no tool named ${name}` };
  const parsed = tool.args.safeParse(args);
  if (!parsed.success) return { error: `invalid arguments: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  try {
    return await tool.run(parsed.data, signal);
  } catch (error) {
    return { error: messageOf(error) };
  }
}

const truncate = (text: string): string =>
  text.length <= MAX_TOOL_RESULT_CHARS ? text : `${text.slice(0, MAX_TOOL_RESULT_CHARS)}… [cut: ${text.length - MAX_TOOL_RESULT_CHARS} more characters]`;
