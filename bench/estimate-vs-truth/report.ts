/**
 * The estimate-vs-truth bench's printed output: one row per recommendation, then the counts, the
 * overturn rule's tally and the verdicts' reasons grouped.
 *
 * The overturn rule (stated in the output too): a recommendation whose estimate promised a real
 * gain, OVERTURN_MIN_ESTIMATE_PCT or more, is overturned by the sandbox when it is rejected, or when
 * its measured gain (comparedPct: from no index, like the estimate) falls more than FAR_BELOW_POINTS
 * percentage points below the estimate. The two
 * figures measure different things (planner cost, execution time), so only a wide gap counts; a
 * measured gain far above the estimate is reported beside it but does not overturn anything: the
 * advice stands, it was only modest. Inconclusive rows have no truth and overturn nothing.
 */
import { shortIndex } from '../index-advice/ddl.ts';
import { table } from '../support/stats.ts';
import type { TruthRow } from './validate-advice.ts';

export const OVERTURN_MIN_ESTIMATE_PCT = 20;
export const FAR_BELOW_POINTS = 25;

const clip = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);
const pct = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}`);
const ms = (value: number | null) => (value === null ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(0));

export type Overturn = 'rejected' | 'far below' | null;

/** Why the sandbox overturns this estimate, or null when it does not (see the module's rule). */
export function overturnOf(row: TruthRow): Overturn {
  if (row.estimatedPct < OVERTURN_MIN_ESTIMATE_PCT) return null;
  if (row.verdict === 'rejected') return 'rejected';
  if (row.verdict === 'validated' && row.comparedPct !== null && row.comparedPct < row.estimatedPct - FAR_BELOW_POINTS) return 'far below';
  return null;
}

export function rowTable(rows: readonly TruthRow[]): string {
  const header = ['case', 'index', 'with', 'est %', 'meas %', 'before→after ms', 'uses', 'verdict', 'overturn', 'reason'];
  const cells = rows.map((r) => [
    r.caseId,
    clip(shortIndex(r.index).replace(/^saas\./, ''), 52),
    r.together.length > 0 ? `+${r.together.length}` : '',
    `${pct(r.estimatedPct)}${r.uncertainty ? '?' : ''}`,
    r.comparedPct !== r.measuredPct ? `${pct(r.comparedPct)} (${pct(r.measuredPct)})` : pct(r.measuredPct),
    r.beforeMs === null ? '–' : `${ms(r.beforeMs)}→${ms(r.afterMs)}`,
    r.usesIndex ? 'yes' : 'no',
    r.verdict,
    overturnOf(r) ?? '',
    clip(r.reason, 90),
  ]);
  // table() right-aligns every column but the first: pad the text columns to read left-aligned.
  const left = new Set([1, 7, 8, 9]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const pad = (row: readonly string[]) => row.map((cell, c) => (left.has(c) ? cell.padEnd(widths[c]!) : cell));
  return table(pad(header), cells.map(pad));
}

/** A reason without its figures and details: the text before the first colon, numbers as N. */
export function reasonGroup(reason: string): string {
  return reason.split(/:\s/)[0]!.replace(/\d+(\.\d+)?/g, 'N').trim();
}

/** `qualify`: prefix each case id with its dataset (both datasets have an N01). */
export function summaryLines(rows: readonly TruthRow[], qualify = false): string[] {
  const id = (r: TruthRow) => (qualify ? `${r.dataset}/${r.caseId}` : r.caseId);
  const count = (state: TruthRow['verdict']) => rows.filter((r) => r.verdict === state).length;
  const lines = [`recommendations validated: ${rows.length} — ${count('validated')} validated, ${count('rejected')} rejected, ${count('inconclusive')} inconclusive`];
  const promising = rows.filter((r) => r.estimatedPct >= OVERTURN_MIN_ESTIMATE_PCT);
  const decided = promising.filter((r) => r.verdict !== 'inconclusive');
  const rejected = promising.filter((r) => overturnOf(r) === 'rejected');
  const farBelow = promising.filter((r) => overturnOf(r) === 'far below');
  lines.push(
    `overturned (estimate ≥ ${OVERTURN_MIN_ESTIMATE_PCT} % and rejected, or validated with a measured gain more than ${FAR_BELOW_POINTS} points below the estimate): ` +
      `${rejected.length + farBelow.length} of ${decided.length} decided estimates ≥ ${OVERTURN_MIN_ESTIMATE_PCT} % (${rejected.length} rejected, ${farBelow.length} far below)` +
      `${rejected.length + farBelow.length > 0 ? `: ${[...rejected, ...farBelow].map(id).join(', ')}` : ''}; ${promising.length - decided.length} inconclusive left out`,
  );
  const above = rows.filter((r) => r.verdict === 'validated' && r.comparedPct !== null && r.comparedPct > r.estimatedPct + FAR_BELOW_POINTS);
  if (above.length > 0) lines.push(`measured gain more than ${FAR_BELOW_POINTS} points above the estimate (advice modest, not overturned): ${above.map(id).join(', ')}`);
  const gaps = rows.filter((r) => r.comparedPct !== null && r.verdict !== 'inconclusive').map((r) => r.comparedPct! - r.estimatedPct).sort((a, b) => a - b);
  if (gaps.length > 0) lines.push(`measured − estimated, percentage points, over ${gaps.length} measured rows: median ${gaps[Math.floor(gaps.length / 2)]!.toFixed(1)}, min ${gaps[0]!.toFixed(1)}, max ${gaps.at(-1)!.toFixed(1)}`);
  for (const state of ['rejected', 'inconclusive'] as const) {
    const groups = new Map<string, TruthRow[]>();
    for (const r of rows.filter((x) => x.verdict === state)) groups.set(reasonGroup(r.reason), [...(groups.get(reasonGroup(r.reason)) ?? []), r]);
    if (groups.size === 0) continue;
    lines.push(`${state}, by reason:`);
    for (const [group, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
      lines.push(`  ${String(list.length).padStart(3)}  ${group} (${list.map(id).join(', ')})`);
      lines.push(`       e.g. ${clip(list[0]!.reason, 160)}`);
    }
  }
  return lines;
}
