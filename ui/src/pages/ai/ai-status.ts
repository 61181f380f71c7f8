import type { AiStatusRow } from './ai-queries.ts';

/** The tenant's AI state (optischema_api.ai_status), numbers as numbers. */
export interface AiStatusView {
  /** True when a model is set (the tenant's or the server's default) and not turned off. */
  enabled: boolean;
  provider: string | null;
  model: string | null;
  /** The tenant's own base URL (none when it uses the server's default). */
  baseUrl: string | null;
  sendLiterals: boolean;
  tokensThisMonth: number | null;
  monthlyTokenBudget: number | null;
  reviewsLastHour: number | null;
  reviewsPerHour: number | null;
}

// PostGraphile sends bigint as a string (its precision kept); token counts fit a double.
const toNumber = (v: string | number | null | undefined): number | null => {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/**
 * @example
 *   statusView({ enabled: true, provider: 'openai', model: 'gpt-4.1-mini', sendLiterals: false,
 *     tokensThisMonth: '12840', monthlyTokenBudget: '2000000', reviewsLastHour: 3, reviewsPerHour: 20 }).tokensThisMonth; // 12840
 */
export function statusView(row: AiStatusRow | null | undefined): AiStatusView | null {
  if (!row) return null;
  return {
    enabled: row.enabled === true,
    provider: row.provider,
    model: row.model,
    baseUrl: row.baseUrl ?? null,
    sendLiterals: row.sendLiterals === true,
    tokensThisMonth: toNumber(row.tokensThisMonth),
    monthlyTokenBudget: toNumber(row.monthlyTokenBudget),
    reviewsLastHour: row.reviewsLastHour,
    reviewsPerHour: row.reviewsPerHour,
  };
}
