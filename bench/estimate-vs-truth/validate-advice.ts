/**
 * The estimate against the truth for one case: each index the advisor recommended for it, built
 * for real in the sandbox by validateIndex, and the case's query run before and after with the
 * parameter values the advisor planned it with. The estimate is hypopg's cost cut
 * (`improvementPct`); the measurement is validateIndex's median execution time saved.
 *
 * A recommendation whose estimate assumes others in place (`together`: the other arms of an OR, the
 * indexes chosen before it for a join) is measured with those built first, as the estimate was
 * costed: alone, an OR arm is never used and a join's second index often is not. validateIndex then
 * measures this index's own gain over them (its verdict); the gain compared with the estimate, which
 * is costed from no index at all, is the one from the case's baseline, the `before` of the case's
 * first recommendation measured without others, when there is one.
 */
import type pg from 'pg';
import type { QueryAdviceResult } from '../../sidecar/advisor/advise.ts';
import { parseIndexDdl } from '../../sidecar/database/index-ddl.ts';
import { messageOf } from '../../sidecar/errors.ts';
import { measuredStatements } from '../../sidecar/validation/measured-statements.ts';
import { validateIndex } from '../../sidecar/validation/validate-index.ts';
import type { TruthCase } from './datasets.ts';

export interface TruthRow {
  dataset: TruthCase['dataset'];
  caseId: string;
  kind: TruthCase['case']['kind'];
  shape: string;
  /** The recommendation's CREATE INDEX, as the advisor wrote it. */
  index: string;
  /** hypopg: (cost before − cost after) / cost before, in percent. */
  estimatedPct: number;
  /** The advisor's own warning about its estimate (an expression without statistics…), if any. */
  uncertainty?: string;
  /** The indexes built before this one's measurement (the recommendation's `together`). */
  together: string[];
  /** validateIndex: Σ median before − Σ median after over Σ median before, in percent, `together` in place both times; null when not measured. */
  measuredPct: number | null;
  /** The gain set beside the estimate: from the case's baseline (no index) to after, when `together`
   * was built and a baseline is known; else measuredPct. */
  comparedPct: number | null;
  verdict: 'validated' | 'rejected' | 'inconclusive';
  reason: string;
  /** Σ of the served statements' median execution times, before and after the index. */
  beforeMs: number | null;
  afterMs: number | null;
  usesIndex: boolean;
  buildMs: number | null;
  sizeBytes: number | null;
  /** Wall clock of this validation, warm-ups and the write-overhead probe included. */
  seconds: number;
}

export interface ValidateOptions {
  runs: number;
  /** Only each case's first recommendation (the one the advisor ranks first). */
  firstOnly: boolean;
  statementTimeoutMs: number;
}

/** One row per recommendation of `advice` (none for a case the advisor had nothing for). */
export async function validateAdvice(sandbox: pg.ClientBase, truth: TruthCase, advice: QueryAdviceResult, options: ValidateOptions): Promise<TruthRow[]> {
  const recommendations = options.firstOnly ? advice.recommendations.slice(0, 1) : advice.recommendations;
  const { statements, skipped } = measuredStatements([{ query: truth.case.sql, ...(advice.parameters ? { parameters: advice.parameters } : {}) }]);
  const rows: TruthRow[] = [];
  let baselineMs: number | null = null;
  for (const r of recommendations) {
    const own = parseIndexDdl(r.sql).index;
    const together = (r.together ?? []).filter((ddl) => parseIndexDdl(ddl).index !== own);
    const base = {
      dataset: truth.dataset,
      caseId: truth.case.id,
      kind: truth.case.kind,
      shape: truth.case.shape,
      index: r.sql,
      estimatedPct: r.improvementPct,
      ...(r.uncertainty ? { uncertainty: r.uncertainty.kind } : {}),
      together,
    };
    const t0 = performance.now();
    try {
      // validateIndex builds the `together` indexes first and drops them afterwards.
      const v = await validateIndex({ sandbox, ddl: r.sql, served: statements, together, others: [], skipped, runs: options.runs, statementTimeoutMs: options.statementTimeoutMs });
      const served = v.report.statements.filter((s) => s.role === 'served');
      const sum = (pick: 'before' | 'after') => (served.every((s) => s[pick]) && served.length > 0 ? served.reduce((n, s) => n + s[pick]!.medianMs, 0) : null);
      const afterMs = sum('after');
      if (together.length === 0 && baselineMs === null) baselineMs = sum('before');
      const fromBaseline = together.length > 0 && baselineMs !== null && baselineMs > 0 && afterMs !== null ? Math.round(((baselineMs - afterMs) / baselineMs) * 1000) / 10 : null;
      rows.push({
        ...base,
        measuredPct: v.measuredImprovementPct,
        comparedPct: fromBaseline ?? v.measuredImprovementPct,
        verdict: v.verdict.state,
        reason: v.verdict.reason,
        beforeMs: sum('before'),
        afterMs,
        usesIndex: served.some((s) => s.usesIndex),
        buildMs: v.report.buildMs,
        sizeBytes: v.report.sizeBytes,
        seconds: (performance.now() - t0) / 1000,
      });
    } catch (error) {
      // validateIndex throws only when the sandbox session itself fails; keep the row, go on.
      rows.push({ ...base, measuredPct: null, comparedPct: null, verdict: 'inconclusive', reason: `not validated: ${messageOf(error)}`, beforeMs: null, afterMs: null, usesIndex: false, buildMs: null, sizeBytes: null, seconds: (performance.now() - t0) / 1000 });
    }
  }
  return rows;
}
