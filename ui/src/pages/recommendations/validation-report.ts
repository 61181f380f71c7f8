import { z } from 'zod';

/**
 * A recommendation's `validation` (JSON the sandbox validation stores, sidecar/validation/
 * validate-index.ts `report`): the verdict, the medians of `runs` timed runs of each statement
 * before and after a real build of the index in the sandbox, build time, real size, write overhead.
 * Read tolerantly: a missing field shows as "–", never as a broken page.
 */
export interface ValidationReport {
  verdict: string | null;
  reason: string | null;
  runs: number | null;
  /** Changes smaller than this share of the median are noise (not a verdict). */
  noisePct: number | null;
  buildMs: number | null;
  sizeBytes: number | null;
  writeOverhead: MeasuredWriteOverhead | { error: string } | null;
  statements: StatementResult[];
  skipped: { query: string; why: string }[];
  planDiffersFromProduction: boolean;
  measuredAt: string | null;
  sandbox: { strategy: string | null; database: string | null } | null;
}

export interface MeasuredWriteOverhead {
  rows: number;
  msWithout: number;
  msWith: number;
  msPerRow: number;
}

export interface RunSummary {
  medianMs: number;
  minMs: number | null;
  maxMs: number | null;
  ms: number[];
}

export interface StatementResult {
  query: string;
  queryid: string | null;
  /** served: a statement the index is for; other: one on the same table, guarded against slowing down. */
  role: string;
  label: string | null;
  values: (string | null)[] | null;
  before: RunSummary | null;
  after: RunSummary | null;
  usesIndex: boolean | null;
  error: string | null;
  planBefore: unknown;
  planAfter: unknown;
  planDiffers: string | null;
}

const num = z.number().refine(Number.isFinite);
const Runs = z.object({
  medianMs: num,
  minMs: num.nullish().catch(null),
  maxMs: num.nullish().catch(null),
  ms: z.array(num).optional().catch(undefined),
});

const Statement = z.object({
  query: z.string().catch('(statement text not recorded)'),
  queryid: z.union([z.string(), z.number().transform(String)]).nullish().catch(null),
  role: z.string().optional().catch(undefined),
  label: z.string().nullish().catch(null),
  values: z.array(z.union([z.string(), z.number(), z.boolean()]).nullable().transform((v) => (v === null ? null : String(v)))).optional().catch(undefined),
  before: Runs.optional().catch(undefined),
  after: Runs.optional().catch(undefined),
  usesIndex: z.boolean().optional().catch(undefined),
  error: z.string().optional().catch(undefined),
  planBefore: z.unknown().optional(),
  planAfter: z.unknown().optional(),
  planDiffers: z.string().optional().catch(undefined),
});

const Overhead = z.union([
  z.object({ rows: num, msWithout: num, msWith: num, msPerRow: num }),
  z.object({ error: z.string() }),
]);

const Report = z.object({
  verdict: z.string().optional().catch(undefined),
  reason: z.string().optional().catch(undefined),
  runs: num.optional().catch(undefined),
  noisePct: num.optional().catch(undefined),
  buildMs: num.nullish().catch(null),
  sizeBytes: num.nullish().catch(null),
  writeOverhead: Overhead.nullish().catch(null),
  statements: z.array(z.unknown()).optional().catch(undefined),
  skipped: z.array(z.object({ query: z.string(), why: z.string() })).optional().catch(undefined),
  planDiffersFromProduction: z.boolean().optional().catch(undefined),
  measuredAt: z.string().optional().catch(undefined),
  sandbox: z.object({ strategy: z.string().nullish().catch(null), database: z.string().nullish().catch(null) }).optional().catch(undefined),
});

/**
 * null: no validation yet (or nothing readable in it).
 *
 * @example
 *   parseValidation({ verdict: 'validated', runs: 5, statements: [{ query: 'select …', before: { medianMs: 0.06 }, after: { medianMs: 0.04 } }] })
 *     ?.statements[0].after?.medianMs; // 0.04
 */
export function parseValidation(raw: unknown): ValidationReport | null {
  if (raw === null || raw === undefined) return null;
  const parsed = Report.safeParse(raw);
  if (!parsed.success) return null;
  const r = parsed.data;
  const statements = (r.statements ?? []).flatMap((s) => {
    const one = Statement.safeParse(s);
    return one.success ? [toStatement(one.data)] : [];
  });
  if (r.verdict === undefined && statements.length === 0) return null;
  return {
    verdict: r.verdict ?? null,
    reason: r.reason ?? null,
    runs: r.runs ?? null,
    noisePct: r.noisePct ?? null,
    buildMs: r.buildMs ?? null,
    sizeBytes: r.sizeBytes ?? null,
    writeOverhead: r.writeOverhead ?? null,
    statements,
    skipped: r.skipped ?? [],
    planDiffersFromProduction: r.planDiffersFromProduction ?? false,
    measuredAt: r.measuredAt ?? null,
    sandbox: r.sandbox ? { strategy: r.sandbox.strategy ?? null, database: r.sandbox.database ?? null } : null,
  };
}

function toStatement(s: z.infer<typeof Statement>): StatementResult {
  const runs = (x: z.infer<typeof Runs> | undefined): RunSummary | null =>
    x ? { medianMs: x.medianMs, minMs: x.minMs ?? null, maxMs: x.maxMs ?? null, ms: x.ms ?? [] } : null;
  return {
    query: s.query,
    queryid: s.queryid ?? null,
    role: s.role ?? 'served',
    label: s.label ?? null,
    values: s.values ?? null,
    before: runs(s.before),
    after: runs(s.after),
    usesIndex: s.usesIndex ?? null,
    error: s.error ?? null,
    planBefore: s.planBefore,
    planAfter: s.planAfter,
    planDiffers: s.planDiffers ?? null,
  };
}

/** Median time saved, in percent of before (negative: slower); null unless both sides ran. */
export function statementChangePct(s: StatementResult): number | null {
  if (!s.before || !s.after || s.before.medianMs <= 0) return null;
  return ((s.before.medianMs - s.after.medianMs) / s.before.medianMs) * 100;
}

/** The measured write overhead, if the measurement ran and succeeded. */
export function measuredOverhead(r: ValidationReport | null): MeasuredWriteOverhead | null {
  return r?.writeOverhead && !('error' in r.writeOverhead) ? r.writeOverhead : null;
}

/**
 * Bar lengths for a before/after chart of one statement, as shares of the longer side's max
 * (min–max whiskers included), so both bars share one scale.
 */
export interface TimingBars {
  scaleMs: number;
  before: { median: number; min: number; max: number } | null;
  after: { median: number; min: number; max: number } | null;
}

export function timingBars(s: StatementResult): TimingBars | null {
  const sides = [s.before, s.after].filter((x): x is RunSummary => x !== null);
  if (sides.length === 0) return null;
  const scaleMs = Math.max(...sides.map((x) => x.maxMs ?? x.medianMs));
  if (!(scaleMs > 0)) return null;
  const share = (x: RunSummary | null) =>
    x ? { median: x.medianMs / scaleMs, min: (x.minMs ?? x.medianMs) / scaleMs, max: (x.maxMs ?? x.medianMs) / scaleMs } : null;
  return { scaleMs, before: share(s.before), after: share(s.after) };
}
