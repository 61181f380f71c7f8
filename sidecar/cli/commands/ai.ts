import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { print } from '../output.ts';

interface AiSetOptions extends DatabaseOptions {
  tenant: string;
  provider?: 'openai' | 'ollama' | 'gemini' | 'bedrock';
  model?: string;
  baseUrl?: string;
  apiKeyStdin?: boolean;
  apiKeyRef?: string;
  sendLiterals?: boolean;
  monthlyTokens?: string;
  perHour?: string;
  off?: boolean;
}

/**
 * `optischema ai set`: a tenant's model, for the operator. The key is read from standard input
 * and sealed here with the sidecar's secret key (never an argument: arguments show in `ps` and
 * shell history), or named by an env:/file: reference the sidecar resolves at use. Nothing
 * prints it back.
 */
export function registerAi(program: Command): void {
  const ai = program.command('ai').description('AI analysis settings');
  addDatabaseOptions(
    ai
      .command('set')
      .description("set a tenant's AI provider and model (without --provider: the sidecar's OPTISCHEMA_AI_* default)")
      .option('--tenant <slug>', 'the tenant (default: local, the single-user tenant)', 'local')
      .addOption(new Option('--provider <kind>', 'the model provider').choices(['openai', 'ollama', 'gemini', 'bedrock']))
      .option('--model <name>', 'the model, e.g. gpt-4.1-mini, qwen2.5-coder:7b, gemini-2.5-flash')
      .option('--base-url <url>', 'an OpenAI-compatible server (vLLM, LM Studio, llama.cpp, Azure) or the Ollama host')
      .option('--api-key-stdin', 'read the API key from standard input and store it sealed')
      .option('--api-key-ref <ref>', 'env:NAME or file:/path: where the sidecar reads the key at use')
      .option('--send-literals', "send statements' literal values and statistics' values to the model (default: never)")
      .option('--monthly-tokens <n>', 'tokens the tenant may spend per month (default 2000000)')
      .option('--per-hour <n>', 'analyses per hour at most (default 20)')
      .option('--off', 'turn AI analysis off for the tenant (the rewriter still runs)'),
  ).action(async (options: AiSetOptions) => {
    if (options.provider && !options.model) throw new UsageError('--provider needs --model');
    if (options.apiKeyStdin && options.apiKeyRef) throw new UsageError('give the key one way: --api-key-stdin or --api-key-ref');
    if (options.apiKeyRef && !/^(env:[A-Za-z_][A-Za-z0-9_]*|file:\/.+)$/.test(options.apiKeyRef)) throw new UsageError('--api-key-ref is env:NAME or file:/absolute/path');
    const count = (value: string | undefined, name: string): number | null => {
      if (value === undefined) return null;
      if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number`);
      return Number(value);
    };
    const monthly = count(options.monthlyTokens, '--monthly-tokens');
    const perHour = count(options.perHour, '--per-hour');
    const key = options.apiKeyStdin ? await readKey() : null;
    const database = await openDatabase(options);
    try {
      const { setTenantAi } = await import('./ai-set.ts');
      const result = await setTenantAi(database.url, {
        tenant: options.tenant,
        enabled: options.off !== true,
        provider: options.provider ?? null,
        model: options.model ?? null,
        baseUrl: options.baseUrl ?? null,
        key,
        keyRef: options.apiKeyRef ?? null,
        sendLiterals: options.sendLiterals === true,
        monthlyTokens: monthly,
        perHour,
      });
      print(result);
    } finally {
      await database.release();
    }
  });
}

async function readKey(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('--api-key-stdin reads from a pipe: printf %s "$KEY" | optischema ai set …');
  let text = '';
  for await (const chunk of process.stdin.setEncoding('utf8')) text += chunk;
  const key = text.trim();
  if (key === '') throw new UsageError('no API key on standard input');
  return key;
}
