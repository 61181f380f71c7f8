import type { Queryable } from '../database/queryable.ts';
import { parseSingle, checkStatement } from './statement-check.ts';

/**
 * Real parameter values for a normalized query, from pg_qualstats' sample constants, so that
 * EXPLAIN ANALYZE can run it with values a client really sent.
 *
 * What pg_qualstats gives (2.0.4, `pg_qualstats()`): one row per `column op constant` predicate
 * seen in a sampled execution, with the statement's queryid, the constant as SQL text with a cast
 * (`'name13'::text`, `4::integer`, cut at about 80 characters), `constant_position` (the constant's
 * character offset in the text the client sent) and `uniquequalid` (a hash of the parent AND list
 * including the constants: the rows of one AND list seen with one set of values; uniquequalnodeid
 * when the predicate stands alone).
 *
 * What can be mapped reliably, and what cannot:
 *  - pg_stat_statements numbers the constants it replaces in the order they appear in the text, and
 *    a client's own `$n` keep their place; pg_qualstats' offsets are offsets in the original text.
 *    So, within one sample, constants ordered by offset correspond to the `$n` of the normalized
 *    text ordered by where they appear, provided the sample holds exactly as many constants as the
 *    normalized text has `$n` occurrences. That is the only case mapped.
 *  - Not mapped (null): a `$n` outside an AND list of `column op constant` predicates (the select
 *    list, LIMIT, a function argument, a join or an OR branch that lands in another sample); IN
 *    lists (pg_qualstats keeps one array constant where the text has `$1,$2,$3`); a constant that
 *    was cut short or does not read back as a plain literal; one `$n` seen with two values; a
 *    missing offset (constants the planner made from parameters of a generic plan have none).
 *  - Dates and times read back in the DateStyle of the session that ran the query.
 * When null, only the generic plan is captured.
 */

/** One row of pg_qualstats() for the query, as read. */
export interface QualstatsConstantRow {
  sample: string;
  constant_position: number | null;
  constvalue: string | null;
  occurences: string | number;
}

/**
 * The values for `$1…$n` of `query` (the normalized text with this queryid), or null when
 * pg_qualstats is not installed in this database, has no sample, or no sample maps reliably.
 *
 * @example
 *   const values = await qualstatsValues(target, '-4860197199780622555', 'select * from t where n = $1 and name = $2');
 *   // ['4', 'name14'] or null
 */
export async function qualstatsValues(target: Queryable, queryid: string | bigint, query: string): Promise<(string | null)[] | null> {
  const statement = await checkStatement(query);
  if (statement.parameterCount === 0) return null;
  const extension = await target.query<{ schema: string }>(
    `select quote_ident(n.nspname) as schema
       from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'pg_qualstats'`,
  );
  const schema = extension.rows[0]?.schema;
  if (schema === undefined) return null;
  // The schema name comes from the catalog, quoted by quote_ident. Only `column op constant`
  // predicates (one side a relation) carry sample constants; join predicates have none.
  const { rows } = await target.query<QualstatsConstantRow>(
    `select coalesce(qs.uniquequalid, qs.uniquequalnodeid)::text || ':' || qs.userid as sample,
            qs.constant_position, qs.constvalue, qs.occurences
       from ${schema}.pg_qualstats() qs
      where qs.queryid = $1
        and qs.dbid = (select oid from pg_database where datname = current_database())
        and (qs.lrelid is null) <> (qs.rrelid is null)`,
    [String(queryid)],
  );
  return mapSamples(rows, statement.parameterOccurrences);
}

/**
 * The first sample (most frequent first) whose constants map one-to-one onto the `$n` occurrences
 * of the normalized text (`parameterOccurrences`, in text order), or null.
 */
export async function mapSamples(rows: readonly QualstatsConstantRow[], parameterOccurrences: readonly number[]): Promise<(string | null)[] | null> {
  const samples = new Map<string, QualstatsConstantRow[]>();
  for (const row of rows) samples.set(row.sample, [...(samples.get(row.sample) ?? []), row]);
  const ordered = [...samples.entries()].sort(
    ([a, ra], [b, rb]) => maxOccurrences(rb) - maxOccurrences(ra) || a.localeCompare(b),
  );
  for (const [, sample] of ordered) {
    const values = await mapSample(sample, parameterOccurrences);
    if (values !== null) return values;
  }
  return null;
}

async function mapSample(rows: readonly QualstatsConstantRow[], parameterOccurrences: readonly number[]): Promise<(string | null)[] | null> {
  const byPosition = new Map<number, string>();
  for (const row of rows) {
    if (row.constant_position === null || row.constant_position < 0 || row.constvalue === null) return null;
    const seen = byPosition.get(row.constant_position);
    if (seen !== undefined && seen !== row.constvalue) return null;
    byPosition.set(row.constant_position, row.constvalue);
  }
  const constants = [...byPosition.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
  if (constants.length !== parameterOccurrences.length) return null;
  const parameterCount = Math.max(0, ...parameterOccurrences);
  const values: ((string | null) | undefined)[] = new Array(parameterCount).fill(undefined);
  for (const [index, text] of constants.entries()) {
    const parameter = parameterOccurrences[index]!;
    const value = await constantValue(text);
    if (value === undefined) return null;
    const earlier = values[parameter - 1];
    if (earlier !== undefined && earlier !== value) return null;
    values[parameter - 1] = value;
  }
  if (values.some((value) => value === undefined)) return null;
  return values as (string | null)[];
}

function maxOccurrences(rows: readonly QualstatsConstantRow[]): number {
  return Math.max(0, ...rows.map((row) => Number(row.occurences)));
}

/**
 * The value of a constant as pg_qualstats prints it (`'x'::text`, `4::integer`, `NULL::date`), as
 * text for a bind parameter; undefined when it is not a plain literal (cut short, an expression).
 * Parsed locally with PostgreSQL's grammar, never sent anywhere.
 */
export async function constantValue(text: string): Promise<string | null | undefined> {
  let node: Record<string, unknown>;
  try {
    node = await parseSingle(`select ${text}`);
  } catch {
    return undefined;
  }
  const select = node.SelectStmt as { targetList?: { ResTarget?: { val?: unknown } }[] } | undefined;
  if (select?.targetList?.length !== 1) return undefined;
  return literal(select.targetList[0]?.ResTarget?.val);
}

function literal(node: unknown, negate = false): string | null | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const value = node as Record<string, Record<string, unknown> | undefined>;
  if (value.TypeCast !== undefined) return literal(value.TypeCast.arg, negate);
  const minus = value.A_Expr;
  if (minus !== undefined && minus.lexpr === undefined && JSON.stringify(minus.name) === '[{"String":{"sval":"-"}}]') {
    return negate ? undefined : literal(minus.rexpr, true);
  }
  const constant = value.A_Const;
  if (constant === undefined) return undefined;
  const sign = negate ? '-' : '';
  if (constant.isnull === true) return negate ? undefined : null;
  if ('ival' in constant) return sign + String((constant.ival as { ival?: number }).ival ?? 0);
  if ('fval' in constant) return sign + String((constant.fval as { fval?: string }).fval ?? '0');
  if (negate) return undefined;
  if ('sval' in constant) return String((constant.sval as { sval?: string }).sval ?? '');
  if ('boolval' in constant) return (constant.boolval as { boolval?: boolean }).boolval === true ? 'true' : 'false';
  return undefined;
}
