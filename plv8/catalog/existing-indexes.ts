/**
 * The indexes a table already has, and whether one of them already serves a candidate: the
 * leading-prefix rule (a btree on (a, b, c) serves lookups on (a) and (a, b), not on (b)).
 * Suggesting (customer_id) beside an existing (customer_id, status) is the mistake index_advisor
 * users report (field notes, "Index advisors").
 */
import type { IndexCandidate, IndexKey } from '../advisor/candidates/index-candidate.ts';
import type { Row, Step } from '../engine/protocol.ts';

export interface ExistingIndex {
  /** The index's name, schema-qualified when not on the search path (regclass text). */
  name: string;
  /** Access method: btree, hash, gin, gist, brin, … */
  method: string;
  /** Key parts in order (INCLUDE columns left out): column names unquoted, or expression text. */
  keys: IndexKey[];
  /** INCLUDE columns (unquoted), in order. */
  include: string[];
  /** The partial index's WHERE clause, or null. */
  predicate: string | null;
  unique: boolean;
}

// indkey lists key columns then INCLUDE columns; indnkeyatts says how many are keys. attnum 0 is an
// expression, whose text pg_get_indexdef(index, n, true) prints. indoption bit 1 is DESC, bit 2
// NULLS FIRST.
// indclass holds each key's operator class: '' stands for the type's default one.
// Arrays are cast to text[]/bool[] so both hosts decode them to JS arrays.
const EXISTING_INDEXES_SQL = `
select c.oid::regclass::text as name,
       am.amname::text as method,
       i.indisunique as is_unique,
       pg_get_expr(i.indpred, i.indrelid) as predicate,
       array(select coalesce(a.attname::text, '')
               from generate_series(1, i.indnkeyatts) as k(n)
               left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.n - 1] and i.indkey[k.n - 1] > 0
              order by k.n)::text[] as key_columns,
       array(select pg_get_indexdef(i.indexrelid, k.n, true) from generate_series(1, i.indnkeyatts) as k(n) order by k.n)::text[] as key_texts,
       array(select (i.indoption[k.n - 1] & 1) = 1 from generate_series(1, i.indnkeyatts) as k(n) order by k.n)::bool[] as key_desc,
       array(select (i.indoption[k.n - 1] & 2) = 2 from generate_series(1, i.indnkeyatts) as k(n) order by k.n)::bool[] as key_nulls_first,
       array(select case when opc.opcdefault then '' else opc.opcname::text end
               from generate_series(1, i.indnkeyatts) as k(n) join pg_opclass opc on opc.oid = i.indclass[k.n - 1]
              order by k.n)::text[] as key_opclasses,
       array(select a.attname::text from generate_series(i.indnkeyatts + 1, i.indnatts) as k(n)
               join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.n - 1]
              order by k.n)::text[] as include_columns
  from pg_index i
  join pg_class c on c.oid = i.indexrelid
  join pg_am am on am.oid = c.relam
 where i.indrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass
   and i.indisvalid
 order by c.relname collate "C"`;

/**
 * The valid indexes of `schema.table`.
 *
 * @example
 *   yield* existingIndexes('public', 'orders')
 *   // [{ name: 'orders_pkey', method: 'btree', keys: [{ column: 'id' }], predicate: null, unique: true }]
 */
export function* existingIndexes(schema: string, table: string): Step<ExistingIndex[]> {
  const rows = yield { sql: EXISTING_INDEXES_SQL, params: [schema, table] };
  return rows.map(toExistingIndex);
}

export function toExistingIndex(row: Row): ExistingIndex {
  const columns = (row.key_columns ?? []) as string[];
  const texts = (row.key_texts ?? []) as string[];
  const desc = (row.key_desc ?? []) as boolean[];
  const nullsFirst = (row.key_nulls_first ?? []) as boolean[];
  const opclasses = (row.key_opclasses ?? []) as string[];
  return {
    name: String(row.name),
    method: String(row.method),
    keys: columns.map((column, n) => {
      const key: IndexKey = column !== '' ? { column } : { expression: texts[n] ?? '' };
      if (desc[n] === true) key.descending = true;
      if (nullsFirst[n] !== undefined && nullsFirst[n] !== (desc[n] === true)) key.nullsFirst = nullsFirst[n];
      if (opclasses[n]) key.opclass = opclasses[n];
      return key;
    }),
    include: (row.include_columns ?? []) as string[],
    predicate: row.predicate === null || row.predicate === undefined ? null : String(row.predicate),
    unique: row.is_unique === true,
  };
}

/**
 * True when one of `existing` (same table) is a btree whose leading keys are the candidate's keys
 * in order, with the same operator classes and expressions, the same partial-index predicate (or
 * none on both), and every INCLUDE column of the candidate among its columns. Directions must agree
 * key by key, or be all reversed (a btree reads backwards as readily as forwards).
 *
 * @example
 *   servedByExisting({ schema: 'public', table: 'orders', keys: [{ column: 'customer_id' }], reason: '' },
 *                    [{ name: 'o_cs', method: 'btree', keys: [{ column: 'customer_id' }, { column: 'status' }], predicate: null, unique: false }])
 *   // true
 */
export function servedByExisting(candidate: IndexCandidate, existing: readonly ExistingIndex[]): boolean {
  return existing.some(
    (index) =>
      index.method === (candidate.method ?? 'btree') &&
      samePredicate(index.predicate, candidate.predicate ?? null) &&
      isLeadingPrefix(candidate.keys, index.keys, candidate.ordered === true) &&
      (candidate.include ?? []).every((column) => index.include.includes(column) || index.keys.some((k) => k.column === column)),
  );
}

/**
 * True when one of `existing` is the candidate itself: servedByExisting with the same number of
 * keys. A candidate that is only a leading prefix of an existing index (`(l_orderkey)` beside the
 * primary key `(l_orderkey, l_linenumber)`) is still costed: a narrower index can be much cheaper to
 * read, and whether it pays is the planner's estimate to say, against the plan that already uses
 * the wider one.
 */
export function duplicatesExisting(candidate: IndexCandidate, existing: readonly ExistingIndex[]): boolean {
  return servedByExisting(candidate, existing.filter((index) => index.keys.length === candidate.keys.length));
}

function samePredicate(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return normalizeExpression(a) === normalizeExpression(b);
}

/**
 * `keys` equal the first keys of `of`, in order; for an `ordered` candidate (one that returns rows
 * in a sort's order) also with matching, or all reversed, directions and NULLs placement (a btree
 * reads backwards as readily as forwards, which flips both).
 */
export function isLeadingPrefix(keys: readonly IndexKey[], of: readonly IndexKey[], ordered = true): boolean {
  if (keys.length === 0 || keys.length > of.length) return false;
  let same = true;
  let reversed = true;
  for (let n = 0; n < keys.length; n++) {
    const a = keys[n]!;
    const b = of[n]!;
    if (!sameTarget(a, b)) return false;
    const [aDesc, aNulls] = ordering(a);
    const [bDesc, bNulls] = ordering(b);
    if (aDesc !== bDesc || aNulls !== bNulls) same = false;
    if (aDesc === bDesc || aNulls === bNulls) reversed = false;
  }
  return !ordered || same || reversed;
}

/** A key's direction and where its NULLs come (the direction's default unless said). */
function ordering(key: IndexKey): [boolean, boolean] {
  const descending = key.descending ?? false;
  return [descending, key.nullsFirst ?? descending];
}

function sameTarget(a: IndexKey, b: IndexKey): boolean {
  if ((a.opclass ?? '') !== (b.opclass ?? '')) return false;
  if (a.column !== undefined || b.column !== undefined) return a.column === b.column;
  return normalizeExpression(a.expression ?? '') === normalizeExpression(b.expression ?? '');
}

/** Expression texts compared without whitespace or the outer parentheses an index definition adds. */
function normalizeExpression(text: string): string {
  let t = text.replace(/\s+/g, '');
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1);
  return t;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
