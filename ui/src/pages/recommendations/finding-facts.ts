import { formatBytes, formatMs, formatPct, formatTime } from '../../format.ts';
import { capitalize, words } from './recommendation-kind.ts';

/**
 * A health finding's numbers as a definition list. The advisors write them as JSON of their own
 * shapes (sidecar/health/*: sizes, counts, thresholds, the statistics reset time, nested groups
 * with their `source`), so they are read generically: every key turned into words, every value
 * into one line of text. A key's unit suffix says how to format it (`sizeBytes` → "48.0 MB",
 * `medianMs` → "0.31 ms", `…Pct` → "12.5 %"); a nested group of plain values is summarized on one
 * line, anything deeper shown as compact JSON. Nothing here can throw on an unexpected shape.
 */
export interface Fact {
  /** The JSON key, for React keys and tests. */
  key: string;
  label: string;
  value: string;
  /** The value is compact JSON (shown as code). */
  json: boolean;
}

/** The longest JSON shown for one value; longer is cut with "…". */
const JSON_MAX = 600;
/** The most items of a plain array shown before "and N more". */
const LIST_MAX = 12;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

type Unit = 'bytes' | 'ms' | 'seconds' | 'pct' | null;
const UNITS: readonly { suffix: RegExp; unit: Exclude<Unit, null> }[] = [
  { suffix: /(Bytes|_bytes|^bytes)$/, unit: 'bytes' },
  { suffix: /(Ms|_ms|^ms)$/, unit: 'ms' },
  { suffix: /(Seconds|_seconds|^seconds|_s)$/, unit: 'seconds' },
  { suffix: /(Pct|_pct|^pct|Percent|_percent)$/, unit: 'pct' },
];

function unitOf(key: string): { unit: Unit; name: string } {
  for (const u of UNITS) {
    if (u.suffix.test(key)) {
      const name = key.replace(u.suffix, '');
      return { unit: u.unit, name: name || key };
    }
  }
  return { unit: null, name: key };
}

/** "tableWritesSinceReset" → "Table writes since reset"; "sizeBytes" → "Size"; "medianMs" → "Median". */
export function factLabel(key: string): string {
  return capitalize(words(unitOf(key).name)) || key;
}

/** A plain number as people read it: thousands separated, at most 2 decimals (3 significant digits when small). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n !== 0 && Math.abs(n) < 0.01) return n.toPrecision(3);
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function formatSeconds(s: number): string {
  return s >= 1 ? formatMs(s * 1000) : `${formatNumber(s)} s`;
}

function formatUnit(n: number, unit: Unit): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(n);
    case 'ms':
      return formatMs(n);
    case 'seconds':
      return formatSeconds(n);
    case 'pct':
      return formatPct(n);
    default:
      return formatNumber(n);
  }
}

/** Compact JSON, cut at `JSON_MAX` characters; a value JSON cannot write (a cycle, a bigint) is said so. */
export function compactJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return '(not readable)';
  }
  if (text === undefined) return '–';
  return text.length > JSON_MAX ? `${text.slice(0, JSON_MAX - 1)}…` : text;
}

const isPlain = (v: unknown): v is string | number | boolean | null | undefined =>
  v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One plain value as text; `key` picks the unit. */
export function plainValue(v: string | number | boolean | null | undefined, key = ''): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return formatUnit(v, unitOf(key).unit);
  if (ISO_TIME.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? v : formatTime(v);
  }
  return v;
}

/** Any value as one line: plain values formatted, a flat group summarized, deeper shapes as JSON. */
export function factValue(value: unknown, key = ''): { value: string; json: boolean } {
  if (isPlain(value)) return { value: plainValue(value, key), json: false };
  if (Array.isArray(value)) {
    if (value.length === 0) return { value: 'none', json: false };
    if (value.every(isPlain)) {
      const shown = value.slice(0, LIST_MAX).map((v) => plainValue(v, key));
      const more = value.length - shown.length;
      return { value: shown.join(', ') + (more > 0 ? ` and ${more} more` : ''), json: false };
    }
    return { value: compactJson(value), json: true };
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return { value: 'none', json: false };
    if (entries.length <= LIST_MAX && entries.every(([, v]) => isPlain(v))) {
      return { value: entries.map(([k, v]) => `${words(unitOf(k).name) || k}: ${plainValue(v as string | number | boolean | null, k)}`).join('; '), json: false };
    }
    return { value: compactJson(value), json: true };
  }
  return { value: compactJson(value), json: true };
}

/**
 * The facts of an object, in its keys' order, leaving out `skip` (what the page shows elsewhere).
 *
 * @example
 *   findingFacts({ sizeBytes: 50331648, scans: 0, statsReset: null, replicaScans: { r1: 0 } });
 *   // [{ label: 'Size', value: '48.0 MB' }, { label: 'Scans', value: '0' }, { label: 'Stats reset', value: '–' },
 *   //  { label: 'Replica scans', value: 'r1: 0' }] (each with its key and json: false)
 */
export function findingFacts(raw: unknown, skip: readonly string[] = []): Fact[] {
  if (!isRecord(raw)) return [];
  return Object.entries(raw)
    .filter(([key]) => !skip.includes(key))
    .map(([key, v]) => ({ key, label: factLabel(key), ...factValue(v, key) }));
}

/** A health row's finding: `evidence.finding` (0017's record_health_findings), its queries left to the queries section. */
export function findingOf(evidence: unknown): Fact[] {
  if (!isRecord(evidence)) return [];
  return findingFacts(evidence.finding, ['queries']);
}
