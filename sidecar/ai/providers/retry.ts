/** A provider's failure, as one line that never holds the API key. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly status: number | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  constructor(message: string, status: number | null, retryable: boolean, retryAfterMs: number | null = null, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

/**
 * Runs `attempt` until it succeeds, fails with something not worth retrying, or has been retried
 * `maxRetries` times: a 429 waits for its retry-after (capped), a 5xx, a timeout or a dropped
 * connection backs off exponentially with full jitter. Each attempt gets its own timeout.
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  classify: (error: unknown, timedOut: boolean) => ProviderError,
  options: { maxRetries: number; timeoutMs: number; signal?: AbortSignal },
): Promise<T> {
  for (let n = 0; ; n++) {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      return await attempt(signal);
    } catch (raw) {
      if (options.signal?.aborted) throw classify(raw, false);
      const error = classify(raw, timeout.aborted);
      if (!error.retryable || n >= options.maxRetries) throw error;
      const backoff = Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** n);
      await sleep(error.retryAfterMs === null ? backoff : Math.min(error.retryAfterMs, MAX_DELAY_MS), options.signal);
    }
  }
}

/** retry-after as seconds or an HTTP date, in milliseconds; null when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** HTTP statuses worth another attempt. */
export const retryableStatus = (status: number | null): boolean => status === 429 || status === 408 || (status !== null && status >= 500);

/** The error's text with the key taken out, should a server have echoed it. */
export function withoutKey(text: string, key: string | undefined): string {
  return key ? text.split(key).join('[key]') : text;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
