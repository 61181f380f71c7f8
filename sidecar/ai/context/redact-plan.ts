/**
 * Literal values out of plan text, for a tenant that has not allowed them: a plan's conditions
 * print the statement's values (`(email = 'a@b.c'::text)`, `(qty > 17)`), and so do the engine's
 * findings and what-if DDL built from them.
 */

/**
 * Keys whose strings are names or words chosen by PostgreSQL, never expressions: kept verbatim
 * (a digit in `InitPlan 1` or an alias `t2` is not a value). Every other string in a plan is
 * treated as an expression and redacted, so a key this list does not know errs on the safe side.
 */
const NAME_KEYS = new Set([
  'Node Type', 'Parent Relationship', 'Subplan Name', 'Operation', 'Strategy', 'Partial Mode', 'Join Type',
  'Scan Direction', 'Schema', 'Relation Name', 'Index Name', 'CTE Name', 'Function Name', 'Alias', 'Sort Method',
  'Sort Space Type', 'Command', 'Conflict Resolution', 'Conflict Arbiter Indexes', 'Trigger Name', 'Constraint Name',
  'Relation', 'Custom Plan Provider',
  // Server settings (EXPLAIN SETTINGS): configuration, not data.
  'Settings',
]);
/** Keys that hold nothing but values (bind parameters, auto_explain's copy of the statement): dropped. */
const VALUE_KEYS = new Set(['Parameters', 'Query Parameters', 'Query Text']);

/**
 * A deep copy of EXPLAIN JSON without literal values: in every expression (Filter, Index Cond,
 * Recheck Cond, Hash Cond, Join Filter, Merge Cond, One-Time Filter, Output, Sort Key, Group
 * Key, …) quoted strings (`''` escapes, E'…', with their `::type` casts) and numbers not part of
 * a name become `$?`; quoted identifiers stay whole; Parameters and Query Text are dropped.
 *
 * @example
 *   redactPlan([{ Plan: { 'Node Type': 'Seq Scan', Filter: "(email = 'a@b.c'::text)" } }]);
 *   // [{ Plan: { 'Node Type': 'Seq Scan', Filter: '(email = $?)' } }]
 */
export function redactPlan(plan: unknown): unknown {
  if (Array.isArray(plan)) return plan.map(redactPlan);
  if (typeof plan === 'string') return redactExpression(plan);
  if (typeof plan !== 'object' || plan === null) return plan;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plan)) {
    if (VALUE_KEYS.has(key)) continue;
    out[key] = NAME_KEYS.has(key) ? structuredClone(value) : redactPlan(value);
  }
  return out;
}

/** The literal values in a plan's expressions, as they are (to find them again in prose). */
export function planLiterals(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(planLiterals);
  if (typeof plan === 'string') return expressionLiterals(plan);
  if (typeof plan !== 'object' || plan === null) return [];
  return Object.entries(plan).flatMap(([key, value]) => (NAME_KEYS.has(key) ? [] : planLiterals(value)));
}

// A type after `::`: a quoted or plain name, optionally schema-qualified, PostgreSQL's
// multi-word type names, then modifiers and array brackets.
const TYPE_WORD = String.raw`(?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)`;
const MULTI_WORD = String.raw`(?:character varying|bit varying|double precision|(?:timestamp|time)(?:\(\d+\))? with(?:out)? time zone)`;
const TYPE = String.raw`(?:${MULTI_WORD}|${TYPE_WORD}(?:\.${TYPE_WORD})?)(?:\(\d+(?:,\s*\d+)*\))?(?:\[\d*\])*`;
const CASTS = String.raw`(?:\s*::\s*${TYPE})*`;
const EXPRESSION_TOKENS = new RegExp(
  [
    String.raw`("(?:[^"]|"")*")`, // 1: a quoted identifier, kept
    String.raw`(::\s*${TYPE})`, // 2: a cast of something that is not a literal, kept (its typmods are not values)
    // 3: a literal with its casts: E'…' (backslash escapes), B'…'/X'…'/N'…'/U&'…', '…' ('' escapes), $tag$…$tag$
    String.raw`((?:(?<![A-Za-z0-9_$])[eE]'(?:[^'\\]|''|\\.)*'|(?<![A-Za-z0-9_$])(?:[bBxXnN]|[uU]&)?'(?:[^']|'')*'|\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$)${CASTS})`,
    // 4: a number not glued to a name or a $n parameter
    String.raw`((?<![A-Za-z0-9_$."])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![A-Za-z0-9_$])${CASTS})`,
  ].join('|'),
  'g',
);

/**
 * One expression's text without its constants.
 *
 * @example
 *   redactExpression(`(("Col 2" > 42) AND (note = 'it''s'::text))`); // '(("Col 2" > $?) AND (note = $?))'
 */
export function redactExpression(text: string): string {
  return text.replace(EXPRESSION_TOKENS, (match, identifier?: string, cast?: string) => (identifier !== undefined || cast !== undefined ? match : '$?'));
}

/** The literal values an expression holds, unquoted: for finding them again in prose. */
export function expressionLiterals(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(EXPRESSION_TOKENS)) {
    const literal = m[3] ?? m[4];
    if (literal === undefined) continue;
    const bare = literal.replace(new RegExp(`${CASTS}$`), '');
    const quoted = /^(?:[eEbBxXnN]|[uU]&)?'([\s\S]*)'$/.exec(bare);
    found.push(quoted ? quoted[1]!.replaceAll("''", "'") : bare);
  }
  return found;
}

/**
 * Prose that may quote SQL (the engine's findings: "engine recommends CREATE INDEX … WHERE
 * (status = 'x')"): quoted strings that start a token are replaced (an apostrophe inside a word,
 * as in "doesn't", does not start one), and so is every value in `known` where it stands as a
 * whole token. Numbers are left alone unless known: prose is full of figures that are not values.
 *
 * @example
 *   redactProse("a seq scan reads 5000 rows where status = 'gone'", ['5000']); // 'a seq scan reads $? rows where status = $?'
 */
export function redactProse(text: string, known: readonly string[]): string {
  let out = text.replace(new RegExp(String.raw`("(?:[^"]|"")*")|((?<![A-Za-z0-9_$])(?:[eE]'(?:[^'\\]|''|\\.)*'|'(?:[^']|'')*')${CASTS})`, 'g'), (match, identifier?: string) => (identifier !== undefined ? match : '$?'));
  // Longest first, so a value that contains another is replaced whole.
  for (const value of [...new Set(known)].filter((v) => v.length > 0).sort((a, b) => b.length - a.length || (a < b ? -1 : 1))) {
    out = out.replace(new RegExp(`(?<![A-Za-z0-9_$])${escapeRegExp(value)}(?![A-Za-z0-9_$])`, 'g'), () => '$?');
  }
  return out;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
