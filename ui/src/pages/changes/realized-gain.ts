import { z } from 'zod';

/**
 * The `realized` JSON of an applied change, as optischema.realized_gain writes it (migration 0014):
 * the mean time of the queries the index serves over equal windows before and after the apply,
 * from the collected history. `waiting` until both sides have enough calls.
 */
const Realized = z.object({
  state: z.enum(['measured', 'waiting']),
  reason: z.string().optional(),
  windowS: z.coerce.number().optional(),
  callsBefore: z.coerce.number().optional(),
  callsAfter: z.coerce.number().optional(),
  beforeMs: z.coerce.number().optional(),
  afterMs: z.coerce.number().optional(),
  improvementPct: z.coerce.number().optional(),
});

export type RealizedGain =
  | {
      kind: 'measured';
      pct: number;
      beforeMs: number | null;
      afterMs: number | null;
      windowS: number | null;
      callsBefore: number | null;
      callsAfter: number | null;
    }
  | { kind: 'waiting'; reason: string | null; callsBefore: number | null; callsAfter: number | null }
  | { kind: 'none' };

/**
 * The realized gain to show: `realizedPct` is the stored figure (set only once measured); the JSON
 * says what it rests on, or why there is none yet. Anything unreadable counts as not measured.
 *
 * @example realizedGain('31.5', { state: 'measured', windowS: 3600, callsBefore: 420, callsAfter: 398, beforeMs: 12.4, afterMs: 8.5 })
 */
export function realizedGain(realizedPct: string | null | undefined, realized: unknown): RealizedGain {
  const parsed = Realized.safeParse(realized);
  const json = parsed.success ? parsed.data : null;
  const pct = realizedPct === null || realizedPct === undefined ? Number.NaN : Number(realizedPct);
  if (Number.isFinite(pct)) {
    return {
      kind: 'measured',
      pct,
      beforeMs: json?.beforeMs ?? null,
      afterMs: json?.afterMs ?? null,
      windowS: json?.windowS ?? null,
      callsBefore: json?.callsBefore ?? null,
      callsAfter: json?.callsAfter ?? null,
    };
  }
  if (json?.state === 'waiting') {
    return { kind: 'waiting', reason: json.reason ?? null, callsBefore: json.callsBefore ?? null, callsAfter: json.callsAfter ?? null };
  }
  return { kind: 'none' };
}

/** "1 h", "24 h", "15 min": the length of each window the realized gain compares. */
export function formatWindow(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  if (seconds >= 3600) return `${Number((seconds / 3600).toFixed(1))} h`;
  if (seconds >= 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds)} s`;
}
