/**
 * Index candidates read off one plan: the indexes worth trying (with hypopg or in the sandbox) for
 * the conditions, sorts and joins the plan shows. This proposes; it does not judge. Whether a
 * candidate helps is for the cost comparison that follows.
 *
 * Per scanned table, in this order:
 * 1. one multi-column candidate: equality columns (`=`, `= ANY`, `IS NULL`, a boolean column) first,
 *    then at most one range column (`<`, `>=`, a LIKE prefix, `IS NOT NULL`), then the keys of a
 *    Sort under a Limit on that table (sort-keys.ts: directions and NULLs placement as the sort
 *    needs them, up to reading backwards); and the same with text_pattern_ops on a LIKE-prefix key
 *    (the default operator class serves LIKE only under the C collation);
 * 2. a covering candidate: those keys plus INCLUDE of the few other columns the scan outputs;
 * 3. partial candidates: per constant test (`IS NULL`, `IS NOT NULL`, a boolean column or its
 *    negation, an equality or small IN list with literal values), the other keys WHERE that test
 *    (whether the predicate fits needs statistics: see partial-predicate.ts);
 * 4. one single-column candidate per condition column, in the order the condition prints them;
 * 5. one expression candidate per expression atom (`lower(email) = …` → `lower(email)`);
 * 6. candidates of other access methods for operators a btree cannot serve (access-methods.ts);
 * 7. one candidate per join key of the table, a column or an expression (`lower(u.email) = …`).
 * Candidates with an expression key or another access method carry their `uncertainty`: what-if
 * costing cannot judge them (index-candidate.ts). OR groups get index sets (or-arms.ts).
 * Duplicates (same table, same keys) keep their first place.
 *
 * @example
 *   candidatesFromPlan(explainJson)
 *   // [{ schema: 'public', table: 'orders', keys: [{ column: 'customer_id' }, { column: 'status' }],
 *   //    reason: "Seq Scan on public.orders reads the whole table to return about 5 rows (planner estimate); filter customer_id = 42 AND status = 'pending'::text" }, …]
 */
import { analyzeCondition, columnsIn, type ConditionAtom, type JoinPair, type JoinSide } from '../../plan/conditions.ts';
import { quoteIdent } from '../../engine/quote-ident.ts';
import type { IndexCandidate, IndexKey } from './index-candidate.ts';
import { planScans, type TableScan } from '../../plan/plan-scans.ts';
import { accessMethodCandidates } from './access-methods.ts';
import { compositeKeys, EQUALITY_KINDS, sameKey } from './composite-keys.ts';
import { sortUnderLimitOn } from './sort-keys.ts';

/** Index candidates for the ordinary tables a plan scans. Never throws; unreadable input gives []. */
export function candidatesFromPlan(plan: unknown): IndexCandidate[] {
  const facts = planScans(plan);
  const out: IndexCandidate[] = [];
  const seen = new Set<string>();
  const add = (c: IndexCandidate): void => {
    if (c.keys.length === 0) return;
    const uncertain = c.uncertainty ?? (c.keys.some((k) => k.expression !== undefined) ? 'expression' : undefined);
    const id = candidateId(c);
    if (seen.has(id)) return;
    seen.add(id);
    out.push(uncertain === undefined ? c : { ...c, uncertainty: uncertain });
  };

  // Join keys, per alias, from join nodes and from conditions on scans (a nested loop's Index Cond).
  const joinPairs: JoinPair[] = [];
  const joinSides: JoinSide[] = [];
  for (const join of facts.joins) {
    const analysis = analyzeCondition(join.condition);
    joinPairs.push(...analysis.joins);
    joinSides.push(...analysis.joinSides);
  }

  for (const scan of facts.scans) {
    const atoms: ConditionAtom[] = [];
    let unread = false;
    for (const condition of [scan.indexCond, scan.filter]) {
      if (!condition) continue;
      const analysis = analyzeCondition(condition);
      atoms.push(...analysis.atoms.filter((a) => a.alias === null || a.alias === scan.alias));
      joinPairs.push(...analysis.joins);
      joinSides.push(...analysis.joinSides);
      if (analysis.skipped.length > 0 || analysis.joins.length > 0) unread = true;
    }
    const btreeAtoms = atoms.filter((a) => a.kind !== 'operator');
    const where = describeScan(scan, atoms);
    const on = { schema: scan.schema, table: scan.relation };
    const sort = sortUnderLimitOn(facts.sortsUnderLimit, scan.alias);

    const composite = compositeKeys(btreeAtoms, sort?.keys ?? []);
    const ordered = sort !== undefined ? { ordered: true } : {};
    const equalityPrefix = composite.filter((k) => btreeAtoms.some((a) => EQUALITY_KINDS.has(a.kind) && sameKey(k, a))).length;
    const sortNote = sort ? `; Sort on ${sort.keys.map((k) => k.text).join(', ')} under a Limit` : '';
    if (composite.length > 1 || (sort && composite.length > 0)) {
      add({ ...on, keys: composite, equalityPrefix, ...ordered, reason: `${where}${sortNote}` });
      const pattern = withPatternOps(composite, btreeAtoms);
      if (pattern) add({ ...on, keys: pattern, equalityPrefix, ...ordered, reason: `${where}${sortNote}; LIKE prefix through text_pattern_ops` });
    }
    const lead = composite.length > 0 ? composite : [];
    const covering = includeColumns(scan, lead, atoms, unread);
    if (covering.length > 0) {
      add({ ...on, keys: lead, include: covering, equalityPrefix, ...ordered, scanRows: scan.planRows, reason: `${where}${sortNote}; INCLUDE ${covering.map(quoteIdent).join(', ')} so an index-only scan can answer` });
    }
    for (const atom of btreeAtoms) {
      const test = constantTest(atom);
      if (test === null || atom.column === null) continue;
      const rest = composite.filter((k) => k.column !== atom.column);
      const inPrefix = atoms.some((a) => a.column === atom.column && EQUALITY_KINDS.has(a.kind));
      add({
        ...on,
        keys: rest.length > 0 ? rest : [{ column: atom.column }],
        equalityPrefix: rest.length > 0 ? equalityPrefix - (inPrefix ? 1 : 0) : 1,
        ...ordered,
        predicate: test.predicate,
        predicateColumn: atom.column,
        predicateKind: test.kind,
        reason: `${where}${sortNote}; partial index WHERE ${test.predicate}`,
      });
    }
    for (const atom of btreeAtoms) {
      if (atom.column === null) continue;
      add({ ...on, keys: [{ column: atom.column }], reason: `${where}; column ${quoteIdent(atom.column)} (${atom.kind})` });
      if (atom.kind === 'prefix') add({ ...on, keys: [{ column: atom.column, opclass: PATTERN_OPS }], reason: `${where}; column ${quoteIdent(atom.column)} (LIKE prefix through text_pattern_ops)` });
    }
    for (const atom of btreeAtoms) {
      if (atom.expression === undefined) continue;
      add({ ...on, keys: [{ expression: atom.expression }], reason: `${where}; expression ${atom.expression} (${atom.kind})` });
      if (atom.kind === 'prefix') add({ ...on, keys: [{ expression: atom.expression, opclass: PATTERN_OPS }], reason: `${where}; expression ${atom.expression} (LIKE prefix through text_pattern_ops)` });
    }
    for (const candidate of accessMethodCandidates(atoms)) add({ ...on, ...candidate, reason: `${where}; ${candidate.reason}` });
  }

  for (const scan of facts.scans) {
    for (const pair of joinPairs) {
      for (const ref of [pair.left, pair.right]) {
        if (ref.alias !== scan.alias) continue;
        add({ schema: scan.schema, table: scan.relation, keys: [{ column: ref.column }], reason: `${scan.nodeType} on ${tableName(scan)} joined on ${pair.text}` });
      }
    }
    for (const side of joinSides) {
      if (side.alias !== scan.alias) continue;
      const key: IndexKey = side.column !== null ? { column: side.column } : { expression: side.expression ?? '' };
      add({ schema: scan.schema, table: scan.relation, keys: [key], reason: `${scan.nodeType} on ${tableName(scan)} joined on ${side.text}` });
    }
  }
  return out;
}

/** What makes two candidates the same index: table, keys, INCLUDE, predicate and access method. */
export function candidateId(c: IndexCandidate): string {
  return JSON.stringify([
    c.schema,
    c.table,
    c.method ?? 'btree',
    c.keys.map((k) => [k.column ?? null, k.expression ?? null, k.descending ?? false, k.nullsFirst ?? null, k.opclass ?? null]),
    c.include ?? [],
    c.predicate ?? null,
  ]);
}

/**
 * The partial-index predicate a condition atom makes, if it is a test of a constant: `IS NULL`,
 * `IS NOT NULL`, a boolean column (`archived`, `NOT archived`), or an equality or IN list whose
 * values the text itself holds (a `$n` is a parameter: one value per execution, no predicate).
 */
function constantTest(atom: ConditionAtom): { predicate: string; kind: NonNullable<IndexCandidate['predicateKind']> } | null {
  if (atom.column === null) return null;
  const column = quoteIdent(atom.column);
  switch (atom.kind) {
    case 'is_null':
      return { predicate: `${column} IS NULL`, kind: 'null-test' };
    case 'not_null':
      return { predicate: `${column} IS NOT NULL`, kind: 'null-test' };
    case 'bool':
      return { predicate: atom.constant === 'false' ? `NOT ${column}` : column, kind: 'bool' };
    case 'eq':
    case 'in':
      if (atom.constant === undefined || atom.constant.includes('$')) return null;
      return { predicate: atom.kind === 'eq' ? `${column} = ${atom.constant}` : `${column} = ANY (${atom.constant})`, kind: 'value' };
    default:
      return null;
  }
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
      if (a.kind === 'is_null' || a.kind === 'not_null') return `${target} ${a.operator}`;
      if (a.kind === 'bool') return a.constant === 'false' ? `NOT ${target}` : target;
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
