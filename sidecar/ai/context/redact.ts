import { parse } from 'libpg-query';
import { deparse } from 'pgsql-deparser';

/**
 * Literal values out of what the model is told, unless the tenant allows them: a statement's
 * constants become `$n` (as pg_stat_statements prints them), a plan's conditions lose their
 * quoted strings and numbers. Identifiers, quoted ones included, stay as they are.
 */

/**
 * @example
 *   await redactQuery("select * from t where email = 'a@b.c' and n > 3"); // 'SELECT * FROM t WHERE email = $1 AND n > $2'
 */
export async function redactQuery(sql: string): Promise<string> {
  const tree = (await parse(sql)) as { stmts?: unknown[] };
  let next = highestParam(tree) + 1;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== 'object' || node === null) return node;
    const record = node as Record<string, unknown>;
    // A constant, unless it is the NULL keyword (no value to hide) or a type's own argument.
    if ('A_Const' in record && !(record.A_Const as { isnull?: boolean }).isnull) return { ParamRef: { number: next++ } };
    // varchar(10), numeric(10, 2): the typmods are part of the type, not data.
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, k === 'typmods' ? v : visit(v)]));
  };
  return (await deparse(visit(tree) as never)).trim();
}

function highestParam(node: unknown): number {
  if (Array.isArray(node)) return Math.max(0, ...node.map(highestParam));
  if (typeof node !== 'object' || node === null) return 0;
  const record = node as Record<string, unknown>;
  const own = 'ParamRef' in record ? Number((record.ParamRef as { number?: number }).number ?? 0) : 0;
  return Math.max(own, ...Object.values(record).map(highestParam));
}

/** Plan keys that hold expressions, whose constants are data. */
const EXPRESSION_KEYS = new Set([
  'Filter', 'Index Cond', 'Recheck Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'One-Time Filter', 'TID Cond',
  'Output', 'Sort Key', 'Group Key', 'Presorted Key', 'Cache Key', 'Function Call', 'Table Function Call', 'Repeatable Seed',
  'Sampling Parameters', 'Run Condition',
]);
/** Keys that are nothing but values. */
const VALUE_KEYS = new Set(['Parameters', 'Query Parameters']);

/**
 * A copy of EXPLAIN JSON without literal values: in every expression, `'…'` strings (with their
 * `''` escapes, E'…' forms and `::type` casts) and numbers outside identifiers become `$?`.
 *
 * @example
 *   redactPlan([{ Plan: { 'Node Type': 'Seq Scan', Filter: "(email = 'a@b.c'::text)" } }]);
 *   // [{ Plan: { 'Node Type': 'Seq Scan', Filter: '(email = $?)' } }]
 */
export function redactPlan(plan: unknown): unknown {
  if (Array.isArray(plan)) return plan.map(redactPlan);
  if (typeof plan !== 'object' || plan === null) return plan;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plan)) {
    if (VALUE_KEYS.has(key)) continue;
    if (EXPRESSION_KEYS.has(key)) out[key] = Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? redactExpression(v) : v)) : typeof value === 'string' ? redactExpression(value) : value;
    else out[key] = redactPlan(value);
  }
  return out;
}

/** One expression's text without its constants; quoted identifiers are kept whole. */
export function redactExpression(text: string): string {
  // Alternatives, left to right: a quoted identifier (kept), a string literal with an optional
  // cast (replaced), a number not glued to a name (replaced).
  return text.replace(/("(?:[^"]|"")*")|([eE]?'(?:[^']|'')*'(?:::(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_ ]*(?:\[\])?))?)|((?<![A-Za-z0-9_$.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![A-Za-z0-9_$]))/g,
    (match, identifier: string | undefined) => (identifier !== undefined ? match : '$?'));
}
