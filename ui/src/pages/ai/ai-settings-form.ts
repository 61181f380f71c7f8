import { z } from 'zod';
import { fieldErrors, type FormResult } from '../settings/form-errors.ts';
import type { AiSettingsInput } from './ai-queries.ts';
import type { AiStatusView } from './ai-status.ts';

/** The providers the sidecar has a backend for (sidecar/ai/providers/); '' is the server's default. */
export const PROVIDERS = [
  { value: '', label: "The server's default (OPTISCHEMA_AI_PROVIDER)" },
  { value: 'openai', label: 'OpenAI, Azure OpenAI or an OpenAI-compatible server' },
  { value: 'ollama', label: 'Ollama (local)' },
  { value: 'gemini', label: 'Google Gemini' },
  { value: 'bedrock', label: 'AWS Bedrock' },
] as const;

export interface AiSettingsFormValues {
  enabled: boolean;
  provider: string;
  model: string;
  baseUrl: string;
  sendLiterals: boolean;
  monthlyTokenBudget: string;
  reviewsPerHour: string;
}

export type AiSettingsField = keyof AiSettingsFormValues;

/** The form as the status says things are now. */
export function aiSettingsFormValues(status: AiStatusView | null): AiSettingsFormValues {
  return {
    enabled: status?.enabled ?? true,
    provider: status?.provider ?? '',
    model: status?.model ?? '',
    baseUrl: status?.baseUrl ?? '',
    sendLiterals: status?.sendLiterals ?? false,
    monthlyTokenBudget: String(status?.monthlyTokenBudget ?? 2_000_000),
    reviewsPerHour: String(status?.reviewsPerHour ?? 20),
  };
}

const wholeNumber = (label: string, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${label} is a whole number, 0 or more`)
    .refine((s) => Number(s) <= max, `${label} is at most ${max.toLocaleString('en-US')}`);

// The checks of optischema.ai_settings and set_ai_settings (migration 0016), before sending.
const Schema = z
  .object({
    enabled: z.boolean(),
    provider: z.enum(['', 'openai', 'ollama', 'gemini', 'bedrock'], { error: 'choose a provider' }),
    model: z.string().trim().max(200, 'a model name has at most 200 characters'),
    baseUrl: z
      .string()
      .trim()
      .max(2000, 'a base URL has at most 2000 characters')
      .refine((s) => s === '' || /^https?:\/\/\S+$/.test(s), 'a base URL starts with http:// or https://'),
    sendLiterals: z.boolean(),
    monthlyTokenBudget: wholeNumber('the monthly token budget', Number.MAX_SAFE_INTEGER),
    reviewsPerHour: wholeNumber('the hourly rate', 10_000),
  })
  .superRefine((v, ctx) => {
    if (v.provider !== '' && v.model === '') ctx.addIssue({ code: 'custom', path: ['model'], message: 'a provider needs a model (e.g. gpt-4.1-mini, qwen2.5-coder:7b)' });
  });

/**
 * The variables of setAiSettings, or an error per field. No provider means the server's default
 * model (and no model of the tenant's own).
 *
 * @example
 *   parseAiSettingsForm({ enabled: true, provider: 'ollama', model: 'qwen2.5-coder:7b', baseUrl: 'http://127.0.0.1:11434',
 *     sendLiterals: false, monthlyTokenBudget: '500000', reviewsPerHour: '10' });
 *   // { ok: true, value: { enabled: true, provider: 'ollama', model: 'qwen2.5-coder:7b', baseUrl: 'http://127.0.0.1:11434',
 *   //   sendLiterals: false, monthlyTokenBudget: '500000', reviewsPerHour: 10 } }
 */
export function parseAiSettingsForm(values: AiSettingsFormValues): FormResult<AiSettingsInput, AiSettingsField> {
  const parsed = Schema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      enabled: v.enabled,
      provider: v.provider === '' ? null : v.provider,
      model: v.provider === '' ? null : v.model,
      baseUrl: v.baseUrl === '' ? null : v.baseUrl,
      sendLiterals: v.sendLiterals,
      // BigInt travels as a string (PostGraphile keeps its precision).
      monthlyTokenBudget: String(Number(v.monthlyTokenBudget)),
      reviewsPerHour: Number(v.reviewsPerHour),
    },
  };
}
