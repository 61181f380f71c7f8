import { z } from 'zod';

const Statement = z.object({
  queryid: z.string().nullish(),
  query: z.string().optional(),
  role: z.string().optional(),
  planBefore: z.unknown().optional(),
  planAfter: z.unknown().optional(),
  before: z.object({ medianMs: z.number() }).partial().optional(),
  after: z.object({ medianMs: z.number() }).partial().optional(),
});
const Validation = z.object({ statements: z.array(Statement) }).partial();

export interface MeasuredPlans {
  planBefore: unknown;
  planAfter: unknown;
  beforeMs: number | undefined;
  afterMs: number | undefined;
}

/** The sandbox's before/after plans of this statement in a recommendation's validation, if it ran. */
export function measuredPlansFor(validation: unknown, queryid: string): MeasuredPlans | null {
  const parsed = Validation.safeParse(validation);
  if (!parsed.success) return null;
  const s = parsed.data.statements?.find((st) => st.queryid === queryid && st.planBefore !== undefined && st.planAfter !== undefined);
  return s ? { planBefore: s.planBefore, planAfter: s.planAfter, beforeMs: s.before?.medianMs, afterMs: s.after?.medianMs } : null;
}
