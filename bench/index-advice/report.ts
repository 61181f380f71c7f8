/** The bench's printed output: one row per case, then the failures in full, then the summary. */
import type { CaseScore } from './scoring.ts';
import { shortIndex } from './ddl.ts';
import { table } from '../support/stats.ts';

const clip = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);
const pct = (value: number | null) => (value === null || Number.isNaN(value) ? '' : `${value.toFixed(0)}%`);
const mark = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'pass' : 'FAIL');

function answer(indexes: readonly string[], errors: readonly string[]): string {
  if (indexes.length > 0) return indexes.map(shortIndex).join(' + ');
  if (errors.length > 0) return `error: ${errors[0]}`;
  return '(none)';
}

function expected(score: CaseScore): string {
  if (score.kind === 'negative') return '(none)';
  if (score.kind === 'bad') return 'an error';
  return score.best.map(shortIndex).join(' + ');
}

export function caseTable(scores: readonly CaseScore[]): string {
  const rows = scores.map((s) => [
    s.id,
    clip(s.shape, 34),
    clip(expected(s), 58),
    clip(answer(s.optischema.indexes, s.optischema.errors), 58),
    pct(s.optischema.ofBestPct),
    mark(s.optischema.pass),
    clip(s.kind === 'bad' ? '' : answer(s.qualstats.indexes, []), 46),
    pct(s.qualstats.ofBestPct),
    mark(s.qualstats.pass),
  ]);
  // The stats table right-aligns every column but the first; left-align text columns by padding.
  const header = ['case', 'shape', 'expected (known best)', 'OptiSchema', '% best', 'ok', 'pg_qualstats', '% best', 'ok'];
  const widths = header.map((h, column) => Math.max(h.length, ...rows.map((row) => row[column]!.length)));
  const leftAligned = new Set([1, 2, 3, 6]);
  const padded = rows.map((row) => row.map((cell, column) => (leftAligned.has(column) ? cell.padEnd(widths[column]!) : cell)));
  const paddedHeader = header.map((cell, column) => (leftAligned.has(column) ? cell.padEnd(widths[column]!) : cell));
  return table(paddedHeader, padded);
}

/** Every OptiSchema failure in full: what the lead needs to fix the engine. */
export function failureDetails(scores: readonly CaseScore[]): string {
  const lines: string[] = [];
  for (const s of scores.filter((score) => score.optischema.pass === false)) {
    lines.push(`${s.id} ${s.shape}: ${s.optischema.reason}`);
    lines.push(`  query:       ${s.sql}`);
    lines.push(`  why:         ${s.why}`);
    if (s.kind === 'positive') {
      lines.push(`  expected:    ${s.best.join('; ')}  (estimated cost ${s.baseCost?.toFixed(1)} → ${s.bestCost?.toFixed(1)}, −${s.bestReductionPct?.toFixed(1)}%)`);
    } else {
      lines.push(`  expected:    ${s.kind === 'negative' ? 'no recommendation' : 'an error, nothing run'}`);
    }
    for (const index of s.optischema.indexes) lines.push(`  recommended: ${index}`);
    if (s.kind === 'positive' && s.optischema.indexes.length > 0) {
      lines.push(`               estimated cost → ${s.optischema.cost?.toFixed(1)} (−${s.optischema.reductionPct?.toFixed(1)}%, ${s.optischema.ofBestPct?.toFixed(0)}% of best)`);
    }
    for (const error of s.optischema.errors) lines.push(`  error:       ${error}`);
  }
  return lines.join('\n');
}
