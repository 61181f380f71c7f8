/**
 * What the engine needs to know about a query's text before it composes SQL around it, read by a
 * small lexer rather than a parser (the engine has no libpg_query inside plv8):
 * - where the top-level statements end (`;` outside string literals, quoted identifiers, dollar
 *   quotes and comments), so a text holding two statements is refused before anything runs;
 * - whether it has `$n` parameters outside those, so it is planned generically;
 * - its first keyword, so only statements EXPLAIN can plan without running are accepted.
 *
 * The sidecar also checks every query with PostgreSQL's own parser (sidecar/plans/statement-check.ts);
 * this is the check that travels with the engine into plv8, where it is the only one.
 *
 * @example
 *   readStatement("select 1; drop table t")    // throws StatementTextError: 2 statements
 *   readStatement('select * from t where id = $1;')
 *   // { text: 'select * from t where id = $1', hasParameters: true, firstKeyword: 'select' }
 */

export class StatementTextError extends Error {}

export interface StatementText {
  /** The statement without surrounding whitespace or a trailing `;`. */
  text: string;
  /** `$1`, `$2`, … occur outside literals and comments. */
  hasParameters: boolean;
  /** Lower-case first word (`select`, `with`, `update`, …), or '(' for a parenthesised query. */
  firstKeyword: string;
}

/** Statements that plain EXPLAIN plans without executing them, and that an index can speed up. */
const PLANNABLE = new Set(['select', 'with', 'values', 'table', 'insert', 'update', 'delete', 'merge', '(']);

/** Reads one statement; throws StatementTextError for none, several, or one EXPLAIN cannot plan. */
export function readStatement(source: string): StatementText {
  const pieces = splitStatements(source);
  if (pieces.length === 0) throw new StatementTextError('the query is empty');
  if (pieces.length > 1) throw new StatementTextError(`the text holds ${pieces.length} statements; give one statement at a time`);
  const piece = pieces[0]!;
  if (!PLANNABLE.has(piece.firstKeyword)) {
    throw new StatementTextError(`only SELECT, WITH, VALUES, TABLE, INSERT, UPDATE, DELETE and MERGE statements can be advised on, not ${piece.firstKeyword.toUpperCase() || 'this text'}`);
  }
  return piece;
}

/** The top-level statements of a text, comments and empty statements left out. */
export function splitStatements(source: string): StatementText[] {
  const out: StatementText[] = [];
  let start = 0;
  let hasParameters = false;
  let significant = false;
  const finish = (end: number): void => {
    const text = source.slice(start, end).trim();
    if (significant) {
      out.push({ text, hasParameters, firstKeyword: (/^\(|^[A-Za-z]+/.exec(stripLeadingComments(text))?.[0] ?? '').toLowerCase() });
    }
    hasParameters = false;
    significant = false;
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const next = source[i + 1] ?? '';
    if (ch === '-' && next === '-') {
      i = lineEnd(source, i);
    } else if (ch === '/' && next === '*') {
      i = commentEnd(source, i);
    } else if (ch === "'") {
      i = quotedEnd(source, i, "'", isEscapeString(source, i));
      significant = true;
    } else if (ch === '"') {
      i = quotedEnd(source, i, '"', false);
      significant = true;
    } else if (ch === '$' && /\d/.test(next) && !/[A-Za-z0-9_]/.test(source[i - 1] ?? '')) {
      hasParameters = true;
      significant = true;
      i += 2;
    } else if (ch === '$') {
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(source.slice(i));
      if (tag && !/[A-Za-z0-9_]/.test(source[i - 1] ?? '')) {
        const close = source.indexOf(tag[0], i + tag[0].length);
        if (close < 0) throw new StatementTextError(`unterminated dollar-quoted string ${tag[0]}`);
        i = close + tag[0].length;
      } else {
        i++;
      }
      significant = true;
    } else if (ch === ';') {
      finish(i);
      i++;
      start = i;
    } else {
      if (!/\s/.test(ch)) significant = true;
      i++;
    }
  }
  finish(source.length);
  return out;
}

/**
 * pg_stat_statements replaces the literal of a typed literal with a parameter: `interval '1 day'`
 * is stored as `interval $1`, which does not parse. Planning the text needs the cast form,
 * `$1::interval`, which means the same. Only the date and time types are rewritten (where the
 * typed-literal form is common), and only outside literals and comments.
 *
 * @example
 *   typedParametersAsCasts('select * from t where at > now() - interval $1 and d = date $2')
 *   // 'select * from t where at > now() - $1::interval and d = $2::date'
 */
export function typedParametersAsCasts(source: string): string {
  const typed = /\b(date|timestamptz|timestamp(?:\s+with(?:out)?\s+time\s+zone)?|timetz|time(?:\s+with(?:out)?\s+time\s+zone)?|interval)\s+(\$\d+)\b/gi;
  let out = '';
  let code = 0;
  const flushCode = (end: number): void => {
    out += source.slice(code, end).replace(typed, (_, type: string, parameter: string) => `${parameter}::${type.replace(/\s+/g, ' ')}`);
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const next = source[i + 1] ?? '';
    let end = -1;
    if (ch === '-' && next === '-') end = lineEnd(source, i);
    else if (ch === '/' && next === '*') end = commentEnd(source, i);
    else if (ch === "'") end = quotedEnd(source, i, "'", isEscapeString(source, i));
    else if (ch === '"') end = quotedEnd(source, i, '"', false);
    else if (ch === '$' && !/\d/.test(next) && !/[A-Za-z0-9_]/.test(source[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(source.slice(i));
      if (tag) {
        const close = source.indexOf(tag[0], i + tag[0].length);
        end = close < 0 ? source.length : close + tag[0].length;
      }
    }
    if (end < 0) {
      i++;
      continue;
    }
    flushCode(i);
    out += source.slice(i, end);
    code = i = end;
  }
  flushCode(source.length);
  return out;
}

/** E'…' (and e'…') strings take backslash escapes; standard strings do not. */
function isEscapeString(source: string, quote: number): boolean {
  return /[eE]/.test(source[quote - 1] ?? '') && !/[A-Za-z0-9_]/.test(source[quote - 2] ?? '');
}

function quotedEnd(source: string, open: number, quote: string, backslashes: boolean): number {
  let i = open + 1;
  while (i < source.length) {
    const ch = source[i]!;
    if (backslashes && ch === '\\') {
      i += 2;
    } else if (ch === quote) {
      if (source[i + 1] === quote) i += 2; // a doubled quote stands for itself
      else return i + 1;
    } else {
      i++;
    }
  }
  throw new StatementTextError(quote === "'" ? 'unterminated string literal' : 'unterminated quoted identifier');
}

function lineEnd(source: string, i: number): number {
  const end = source.indexOf('\n', i);
  return end < 0 ? source.length : end + 1;
}

/** Block comments nest in PostgreSQL. */
function commentEnd(source: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < source.length) {
    if (source.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (source.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  throw new StatementTextError('unterminated /* comment');
}

function stripLeadingComments(text: string): string {
  let rest = text;
  for (;;) {
    const trimmed = rest.trimStart();
    if (trimmed.startsWith('--')) rest = trimmed.slice(lineEnd(trimmed, 0));
    else if (trimmed.startsWith('/*')) rest = trimmed.slice(commentEnd(trimmed, 0));
    else return trimmed;
  }
}
