/**
 * Index candidates read off one plan: the indexes worth trying (with hypopg or in the sandbox) for
 * the conditions, sorts and joins the plan shows. This proposes; it does not judge. Whether a
 * candidate helps is for the cost comparison that follows.
 *
 * Per scanned table, in this order:
 * 1. one multi-column candidate: equality columns (`=`, `= ANY`, `IS NULL`) first, then at most one
 *    range column (`<`, `>=`, a LIKE prefix), then the keys of a Sort under a Limit on that table
 *    (directions kept only when mixed, since a btree reads backwards as readily as forwards); and
 *    the same with text_pattern_ops on a LIKE-prefix key (the default operator class serves LIKE
 *    only under the C collation);
 * 2. a covering candidate: those keys plus INCLUDE of the few other columns the scan outputs;
 * 3. partial candidates: per equality with a literal constant, the other keys WHERE that equality
 *    (whether the predicate fits, low cardinality and a small share, needs statistics: see
 *    partial-predicate.ts);
 * 4. one single-column candidate per condition column, in the order the condition prints them;
 * 5. one expression candidate per expression atom (`lower(email) = …` → `lower(email)`);
 * 6. one single-column candidate per join key of the table.
 * Duplicates (same table, same keys) keep their first place.
 *
 * @example
 *   candidatesFromPlan(explainJson)
 *   // [{ schema: 'public', table: 'orders', keys: [{ column: 'customer_id' }, { column: 'status' }],
 *   //    reason: "Seq Scan on public.orders reads the whole table to return about 5 rows (planner estimate); filter customer_id = 42 AND status = 'pending'::text" }, …]
 */
import { analyzeCondition, columnsIn, type ConditionAtom, type JoinPair } from '../../plan/conditions.ts';
import { quoteIdent } from '../../engine/quote-ident.ts';
import type { IndexCandidate, IndexKey } from './index-candidate.ts';
import { planScans, type SortKey, type TableScan } from '../../plan/plan-scans.ts';

/** Index candidates for the ordinary tables a plan scans. Never throws; unreadable input gives []. */
export function candidatesFromPlan(plan: unknown): IndexCandidate[] {
  const facts = planScans(plan);
  const out: IndexCandidate[] = [];
  const seen = new Set<string>();
  const add = (c: IndexCandidate): void => {
    if (c.keys.length === 0) return;
    const id = JSON.stringify([c.schema, c.table, c.keys.map((k) => [k.column ?? null, k.expression ?? null, k.descending ?? false, k.opclass ?? null]), c.include ?? [], c.predicate ?? null]);
    if (seen.has(id)) return;
    seen.add(id);
    out.push(c);
  };

  // Join keys, per alias, from join nodes and from conditions on scans (a nested loop's Index Cond).
  const joinPairs: JoinPair[] = [];
  for (const join of facts.joins) joinPairs.push(...analyzeCondition(join.condition).joins);

  for (const scan of facts.scans) {
    const atoms: ConditionAtom[] = [];
    let unread = false;
    for (const condition of [scan.indexCond, scan.filter]) {
      if (!condition) continue;
      const analysis = analyzeCondition(condition);
      atoms.push(...analysis.atoms.filter((a) => a.alias === null || a.alias === scan.alias));
      joinPairs.push(...analysis.joins);
      if (analysis.skipped.length > 0 || analysis.joins.length > 0) unread = true;
    }
    const where = describeScan(scan, atoms);
    const on = { schema: scan.schema, table: scan.relation };
    const sort = facts.sortsUnderLimit.find((s) => s.keys.length > 0 && s.keys.every((k) => k.alias === scan.alias && (k.column || k.expression)));

    const composite = compositeKeys(atoms, sort?.keys ?? []);
    const equalityPrefix = composite.filter((k) => atoms.some((a) => EQUALITY_KINDS.has(a.kind) && sameKey(k, a))).length;
    const sortNote = sort ? `; Sort on ${sort.keys.map((k) => k.text).join(', ')} under a Limit` : '';
    if (composite.length > 1 || (sort && composite.length > 0)) {
      add({ ...on, keys: composite, equalityPrefix, reason: `${where}${sortNote}` });
      const pattern = withPatternOps(composite, atoms);
      if (pattern) add({ ...on, keys: pattern, equalityPrefix, reason: `${where}${sortNote}; LIKE prefix through text_pattern_ops` });
    }
    const lead = composite.length > 0 ? composite : [];
    const covering = includeColumns(scan, lead, atoms, unread);
    if (covering.length > 0) {
      add({ ...on, keys: lead, include: covering, equalityPrefix, scanRows: scan.planRows, reason: `${where}${sortNote}; INCLUDE ${covering.map(quoteIdent).join(', ')} so an index-only scan can answer` });
    }
    for (const atom of atoms) {
      if (atom.kind !== 'eq' || atom.column === null || atom.constant === undefined || atom.constant.includes('$')) continue;
      const rest = composite.filter((k) => k.column !== atom.column);
      add({
        ...on,
        keys: rest.length > 0 ? rest : [{ column: atom.column }],
        equalityPrefix: rest.length > 0 ? equalityPrefix - 1 : 1,
        predicate: `${quoteIdent(atom.column)} = ${atom.constant}`,
        predicateColumn: atom.column,
        reason: `${where}${sortNote}; partial index WHERE ${quoteIdent(atom.column)} = ${atom.constant}`,
      });
    }
    for (const atom of atoms) {
      if (atom.column === null) continue;
      add({ ...on, keys: [{ column: atom.column }], reason: `${where}; column ${quoteIdent(atom.column)} (${atom.kind})` });
      if (atom.kind === 'prefix') add({ ...on, keys: [{ column: atom.column, opclass: PATTERN_OPS }], reason: `${where}; column ${quoteIdent(atom.column)} (LIKE prefix through text_pattern_ops)` });
    }
    for (const atom of atoms) {
      if (atom.expression === undefined) continue;
      add({ ...on, keys: [{ expression: atom.expression }], reason: `${where}; expression ${atom.expression} (${atom.kind})` });
      if (atom.kind === 'prefix') add({ ...on, keys: [{ expression: atom.expression, opclass: PATTERN_OPS }], reason: `${where}; expression ${atom.expression} (LIKE prefix through text_pattern_ops)` });
    }
  }

  for (const scan of facts.scans) {
    for (const pair of joinPairs) {
      for (const ref of [pair.left, pair.right]) {
        if (ref.alias !== scan.alias) continue;
        add({ schema: scan.schema, table: scan.relation, keys: [{ column: ref.column }], reason: `${scan.nodeType} on ${tableName(scan)} joined on ${pair.text}` });
      }
    }
  }
  return out;
}

/**
 * LIKE 'abc%' can use a btree only in the C collation or through a pattern operator class;
 * text_pattern_ops also serves varchar columns (binary-coercible to text).
 */
const PATTERN_OPS = 'text_pattern_ops';

/** The composite with its LIKE-prefix key switched to the pattern operator class, or null. */
function withPatternOps(keys: IndexKey[], atoms: ConditionAtom[]): IndexKey[] | null {
  const prefix = atoms.find((a) => a.kind === 'prefix');
  if (!prefix) return null;
  const at = keys.findIndex((k) => (prefix.column !== null ? k.column === prefix.column : k.expression === prefix.expression));
  if (at < 0) return null;
  return keys.map((k, n) => (n === at ? { ...k, opclass: PATTERN_OPS } : k));
}

/** At most this many INCLUDE columns: a wider covering index costs more than it saves. */
const MAX_INCLUDE = 3;
const SYSTEM_COLUMNS = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid']);

/**
 * The columns to INCLUDE so an index on `keys` answers the scan by itself (an index-only scan):
 * what the scan outputs and filters on, beyond the keys. Empty when that is not possible or not
 * worth it: an output that is not a plain column (or a system column, as UPDATE and DELETE need),
 * a condition part this module did not read, or more than MAX_INCLUDE extra columns.
 */
function includeColumns(scan: TableScan, keys: IndexKey[], atoms: ConditionAtom[], unread: boolean): string[] {
  if (keys.length === 0 || unread || !scan.output || scan.output.length === 0) return [];
  if (atoms.some((a) => a.column === null)) return [];
  const wanted: string[] = [];
  for (const item of scan.output) {
    // A plain column, or an expression over this scan's columns (`date_trunc('day', created_at)`).
    const refs = columnsIn(item);
    if (refs === null || refs.length === 0) return [];
    for (const ref of refs) {
      if ((ref.alias !== null && ref.alias !== scan.alias) || SYSTEM_COLUMNS.has(ref.column)) return [];
      wanted.push(ref.column);
    }
  }
  for (const atom of atoms) if (atom.column !== null) wanted.push(atom.column);
  const extra = [...new Set(wanted)].filter((column) => !keys.some((k) => k.column === column));
  return extra.length > 0 && extra.length <= MAX_INCLUDE ? extra : [];
}

const EQUALITY_KINDS = new Set(['eq', 'in', 'is_null']);

function sameKey(key: IndexKey, atom: ConditionAtom): boolean {
  return atom.column !== null ? key.column === atom.column : key.expression === atom.expression;
}
const RANGE_KINDS = new Set(['range', 'prefix']);

function compositeKeys(atoms: ConditionAtom[], sortKeys: SortKey[]): IndexKey[] {
  const keys: IndexKey[] = [];
  const has = (k: IndexKey): boolean => keys.some((x) => (k.column !== undefined ? x.column === k.column : x.expression === k.expression));
  const push = (k: IndexKey): void => {
    if (!has(k)) keys.push(k);
  };
  const keyOf = (a: { column: string | null; expression?: string }): IndexKey =>
    a.column !== null ? { column: a.column } : { expression: a.expression ?? '' };

  // eq before in before is_null: the most selective lookups lead.
  for (const kind of EQUALITY_KINDS) for (const a of atoms) if (a.kind === kind) push(keyOf(a));
  const range = atoms.find((a) => RANGE_KINDS.has(a.kind));
  if (range) push(keyOf(range));
  const mixed = new Set(sortKeys.map((k) => k.descending)).size > 1;
  for (const s of sortKeys) {
    const key = keyOf(s);
    const existing = keys.find((x) => (key.column !== undefined ? x.column === key.column : x.expression === key.expression));
    if (existing) {
      if (mixed && s.descending) existing.descending = true;
    } else {
      keys.push(mixed && s.descending ? { ...key, descending: true } : key);
    }
  }
  return keys;
}

/** "Seq Scan on public.orders removes 99% of rows; filter customer_id = 42 AND status = 'pending'::text". */
function describeScan(scan: TableScan, atoms: ConditionAtom[]): string {
  let text = `${scan.nodeType} on ${tableName(scan)}`;
  if (scan.rowsRemovedByFilter !== undefined && scan.actualRows !== undefined && scan.rowsRemovedByFilter + scan.actualRows > 0) {
    text += ` reads ${scan.rowsRemovedByFilter + scan.actualRows} rows to return ${scan.actualRows}`;
  } else if (scan.nodeType === 'Seq Scan') {
    text += ` reads the whole table to return about ${scan.planRows} rows (planner estimate)`;
  } else {
    text += ` returns about ${scan.planRows} rows at a cost of ${scan.totalCost} (planner estimates)`;
  }
  if (atoms.length > 0) {
    const parts = atoms.map((a) => {
      const target = a.column !== null ? quoteIdent(a.column) : (a.expression ?? '?');
      if (a.kind === 'is_null') return `${target} IS NULL`;
      return a.kind === 'in' ? `${target} = ANY (${a.constant ?? ''})` : `${target} ${a.operator} ${a.constant ?? ''}`;
    });
    text += `; ${scan.filter && !scan.indexCond ? 'filter' : 'condition'} ${parts.join(' AND ')}`;
  }
  return text;
}

/** `public.orders`, with ` as o` when the plan names it by another alias. */
function tableName(scan: TableScan): string {
  const name = `${quoteIdent(scan.schema)}.${quoteIdent(scan.relation)}`;
  return scan.alias !== scan.relation ? `${name} as ${quoteIdent(scan.alias)}` : name;
}
