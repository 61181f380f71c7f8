import { compactJson, factLabel, factValue, findingFacts, plainValue, type Fact } from './finding-facts.ts';

/**
 * A health recommendation's `validation`: what sidecar/validation/validate-finding.ts measured in
 * the sandbox, stored with the sandbox it ran in. Its shape depends on the check:
 *  - an index drop: `{ statements: [{ query, values?, method?, before: { cost, medianMs?, minMs?, maxMs? }, after, usedIndex, error? }] }`;
 *  - a setting: `{ setting, value, statements: [...] }` (the statements measured with it SET LOCAL);
 *  - extended statistics: `{ before, after }` (the statement's estimates without and with them);
 *  - a missing foreign-key index: the index advisor's report (statements with their runs);
 *  - nothing testable: `{}` (the verdict and its reason are the recommendation's state and reason).
 * Read generically: any figure of a statement's before and after is shown, an unknown key is listed
 * as it is, and nothing here throws on a shape it does not know.
 */
export interface FindingValidationView {
  /** validated, rejected, inconclusive; null when the row's state no longer says (applied since…). */
  verdict: string | null;
  reason: string | null;
  /** The setting the statements were measured with. */
  setting: { name: string; value: string } | null;
  sandbox: string | null;
  /** null: the report has no `statements` array (then there is no statements table). */
  statements: FindingStatement[] | null;
  /** Top-level before/after figures (extended statistics' estimates). */
  comparison: ComparisonRow[];
  /** Every other key of the report. */
  others: Fact[];
}

export interface FindingStatement {
  query: string;
  /** "$1 = 'late', $2 = NULL", or null without parameters. */
  values: string | null;
  before: string;
  after: string;
  /** Median time saved in percent of before (negative: slower), from the timings, else the planner costs. */
  changePct: number | null;
  changeOf: 'time' | 'cost' | null;
  usedIndex: boolean | null;
  method: string | null;
  error: string | null;
}

export interface ComparisonRow {
  key: string;
  label: string;
  before: string;
  after: string;
}

const VERDICTS = new Set(['validated', 'rejected', 'inconclusive']);
/** The keys the view shows in a place of their own. */
const KNOWN = new Set(['verdict', 'reason', 'statements', 'setting', 'value', 'sandbox', 'before', 'after']);
/** A statement's figures, in the order shown; any other numeric key follows. */
const FIGURE_ORDER = ['cost', 'medianMs', 'minMs', 'maxMs'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * null: no validation yet (nothing stored, or not an object).
 *
 * @example
 *   findingValidation({ statements: [{ query: 'select 1', before: { cost: 10, medianMs: 2 }, after: { cost: 20, medianMs: 1 }, usedIndex: true }] },
 *     { state: 'validated', stateReason: 'no statement got slower' }).statements?.[0];
 *   // { query: 'select 1', before: 'cost 10; median 2.00 ms', after: 'cost 20; median 1.00 ms', changePct: 50, changeOf: 'time', usedIndex: true, … }
 */
export function findingValidation(raw: unknown, row: { state: string | null; stateReason: string | null }): FindingValidationView | null {
  if (!isRecord(raw)) return null;
  const ownVerdict = text(raw.verdict);
  const stateVerdict = row.state && VERDICTS.has(row.state) ? row.state : null;
  const verdict = ownVerdict ?? stateVerdict;
  const name = text(raw.setting);
  const value = raw.value === undefined || raw.value === null ? null : typeof raw.value === 'string' ? raw.value : compactJson(raw.value);
  return {
    verdict,
    reason: text(raw.reason) ?? (verdict !== null && verdict === stateVerdict ? row.stateReason : null),
    setting: name && value !== null ? { name, value } : null,
    sandbox: isRecord(raw.sandbox) ? text(raw.sandbox.strategy) : null,
    statements: Array.isArray(raw.statements) ? raw.statements.map(statementOf) : null,
    comparison: comparisonOf(raw.before, raw.after),
    others: findingFacts(raw).filter((f) => !KNOWN.has(f.key)),
  };
}

function statementOf(s: unknown): FindingStatement {
  if (!isRecord(s)) {
    return { query: typeof s === 'string' ? s : compactJson(s), values: null, before: '–', after: '–', changePct: null, changeOf: null, usedIndex: null, method: null, error: null };
  }
  const change = changeOf(s.before, s.after);
  return {
    query: text(s.query) ?? text(s.statement) ?? text(s.sql) ?? '(statement text not recorded)',
    values: valuesOf(s.values),
    before: figures(s.before),
    after: figures(s.after),
    changePct: change?.pct ?? null,
    changeOf: change?.of ?? null,
    usedIndex: typeof s.usedIndex === 'boolean' ? s.usedIndex : typeof s.usesIndex === 'boolean' ? s.usesIndex : null,
    method: text(s.method),
    error: text(s.error),
  };
}

function valuesOf(v: unknown): string | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  return v.map((x, i) => `$${i + 1} = ${x === null ? 'NULL' : typeof x === 'object' ? compactJson(x) : String(x)}`).join(', ');
}

/** One side's figures on one line ("cost 120.5; median 0.31 ms; min 0.29 ms; max 0.35 ms"); the runs' list of times is left out (the median says it). */
export function figures(side: unknown): string {
  if (side === null || side === undefined) return '–';
  if (!isRecord(side)) return factValue(side).value;
  const keys = Object.keys(side).filter((k) => k !== 'ms' && k !== 'plan');
  keys.sort((a, b) => rank(a) - rank(b));
  if (keys.length === 0) return '–';
  return keys
    .map((k) => {
      const v = side[k];
      const shown = v === null || typeof v !== 'object' ? plainValue(v as string | number | boolean | null | undefined, k) : compactJson(v);
      return `${factLabel(k).toLowerCase()} ${shown}`;
    })
    .join('; ');
}

const rank = (k: string) => {
  const i = FIGURE_ORDER.indexOf(k);
  return i === -1 ? FIGURE_ORDER.length : i;
};

/** Time saved when both medians are there, else cost saved; in percent of before, negative when worse. */
export function changeOf(before: unknown, after: unknown): { pct: number; of: 'time' | 'cost' } | null {
  if (!isRecord(before) || !isRecord(after)) return null;
  for (const [key, of] of [['medianMs', 'time'], ['cost', 'cost']] as const) {
    const b = finite(before[key]);
    const a = finite(after[key]);
    if (b !== null && a !== null && b > 0) return { pct: ((b - a) / b) * 100, of };
  }
  return null;
}

/** Top-level before and after, key by key (each side's figures as one value). */
function comparisonOf(before: unknown, after: unknown): ComparisonRow[] {
  if (before === undefined && after === undefined) return [];
  if (!isRecord(before) && !isRecord(after)) {
    return [{ key: 'value', label: 'Result', before: factValue(before).value, after: factValue(after).value }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => k !== 'plan');
  return keys.map((k) => ({ key: k, label: factLabel(k), before: k in b ? factValue(b[k], k).value : '–', after: k in a ? factValue(a[k], k).value : '–' }));
}

/**
 * A statement's change in words, from the sandbox's figures before and after the change.
 *
 * @example
 *   changeText({ changePct: 25, changeOf: 'time' });  // '25.0 % faster'
 *   changeText({ changePct: -8, changeOf: 'cost' });  // 'cost 8.0 % higher'
 */
export function changeText(s: Pick<FindingStatement, 'changePct' | 'changeOf'>): string {
  if (s.changePct === null || s.changeOf === null) return '–';
  const pct = Math.abs(s.changePct).toFixed(1);
  if (s.changeOf === 'time') return s.changePct === 0 ? 'no change' : s.changePct > 0 ? `${pct} % faster` : `${pct} % slower`;
  return s.changePct === 0 ? 'cost unchanged' : s.changePct > 0 ? `cost ${pct} % lower` : `cost ${pct} % higher`;
}

/** Whether the statements table needs its "index used" column (an index drop's report says it). */
export function showsIndexUse(statements: readonly FindingStatement[]): boolean {
  return statements.some((s) => s.usedIndex !== null);
}
