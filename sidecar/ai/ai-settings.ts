import { readFile } from 'node:fs/promises';
import type { Queryable } from '../database/queryable.ts';
import { UserError } from '../errors.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { ProviderConfig } from './providers/provider.ts';

/** The sidecar's default model, from its environment (the operator's, never the API's). */
export const AI_ENV = {
  provider: 'OPTISCHEMA_AI_PROVIDER',
  model: 'OPTISCHEMA_AI_MODEL',
  baseUrl: 'OPTISCHEMA_AI_BASE_URL',
  apiKey: 'OPTISCHEMA_AI_API_KEY',
  apiKeyFile: 'OPTISCHEMA_AI_API_KEY_FILE',
  region: 'OPTISCHEMA_AI_REGION',
} as const;

const PROVIDERS = ['openai', 'ollama', 'gemini', 'bedrock'] as const;

/** What a tenant's analyses run with. `provider` null: deterministic mode. */
export interface AiSettings {
  provider: ProviderConfig | null;
  sendLiterals: boolean;
  /** Why there is no provider, for the log and the web app. */
  off?: string;
}

/**
 * The sidecar's default provider from its environment, or null when none is set. The key comes
 * from OPTISCHEMA_AI_API_KEY or the file OPTISCHEMA_AI_API_KEY_FILE names (a secrets mount).
 *
 *   OPTISCHEMA_AI_PROVIDER=openai OPTISCHEMA_AI_MODEL=gpt-4.1-mini OPTISCHEMA_AI_API_KEY_FILE=/run/secrets/openai
 */
export async function defaultProvider(env: NodeJS.ProcessEnv = process.env): Promise<ProviderConfig | null> {
  const kind = env[AI_ENV.provider]?.trim();
  if (!kind) return null;
  if (!(PROVIDERS as readonly string[]).includes(kind)) throw new UserError(`${AI_ENV.provider} must be one of ${PROVIDERS.join(', ')}, not ${kind}`);
  const model = env[AI_ENV.model]?.trim();
  if (!model) throw new UserError(`${AI_ENV.provider} is set: set ${AI_ENV.model} too (the model to use)`);
  const apiKey = env[AI_ENV.apiKey] ?? (env[AI_ENV.apiKeyFile] ? await readKeyFile(env[AI_ENV.apiKeyFile]!) : undefined);
  return {
    kind: kind as ProviderConfig['kind'],
    model,
    ...(env[AI_ENV.baseUrl] ? { baseUrl: env[AI_ENV.baseUrl] } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(env[AI_ENV.region] ? { region: env[AI_ENV.region] } : {}),
  };
}

/**
 * A tenant's settings (optischema.ai_settings, read on the sidecar's own connection: the key
 * columns are granted to no API role), falling back to the sidecar's default provider. A sealed
 * key is opened with the sidecar's secret box; an env:/file: reference was set by the operator
 * (`optischema ai set`), never through the API.
 */
export async function tenantAiSettings(system: Queryable, tenantId: string, options: { secretBox?: SecretBox; fallback: ProviderConfig | null; env?: NodeJS.ProcessEnv }): Promise<AiSettings> {
  const { rows } = await system.query<{
    enabled: boolean; provider: string | null; model: string | null; base_url: string | null;
    api_key_ciphertext: Buffer | null; api_key_ref: string | null; send_literals: boolean;
  }>('select enabled, provider, model, base_url, api_key_ciphertext, api_key_ref, send_literals from optischema.ai_settings where tenant_id = $1', [tenantId]);
  const row = rows[0];
  const sendLiterals = row?.send_literals ?? false;
  if (row && !row.enabled) return { provider: null, sendLiterals, off: 'AI analysis is turned off for this tenant' };
  if (!row?.provider) return options.fallback ? { provider: options.fallback, sendLiterals } : { provider: null, sendLiterals, off: 'no AI provider is configured' };
  const apiKey = await tenantKey(row, options);
  return {
    provider: {
      kind: row.provider as ProviderConfig['kind'],
      model: row.model!,
      ...(row.base_url ? { baseUrl: row.base_url } : {}),
      ...(apiKey ? { apiKey } : {}),
    },
    sendLiterals,
  };
}

async function tenantKey(row: { api_key_ciphertext: Buffer | null; api_key_ref: string | null }, options: { secretBox?: SecretBox; env?: NodeJS.ProcessEnv }): Promise<string | undefined> {
  if (row.api_key_ciphertext) {
    if (!options.secretBox) throw new UserError('the tenant\'s AI key is sealed, and this sidecar has no secret key to open it');
    return options.secretBox.open(row.api_key_ciphertext);
  }
  const ref = row.api_key_ref;
  if (!ref) return undefined;
  if (ref.startsWith('env:')) return (options.env ?? process.env)[ref.slice(4)];
  return readKeyFile(ref.slice(5));
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new UserError(`cannot read the AI key file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error });
  }
}

/**
 * Tells the database which default model this sidecar runs with (optischema.ai_default), so the
 * web app can say whether AI is on and with what; never the key.
 */
export async function reportDefaultProvider(system: Queryable, provider: ProviderConfig | null): Promise<void> {
  await system.query(
    `insert into optischema.ai_default (only_row, provider, model, updated_at) values (true, $1, $2, now())
     on conflict (only_row) do update set provider = excluded.provider, model = excluded.model, updated_at = now()`,
    [provider?.kind ?? null, provider?.model ?? null],
  );
}
