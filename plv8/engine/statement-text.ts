/**
 * What the engine needs to know about a query's text before it composes SQL around it, read by a
 * small lexer rather than a parser (the engine has no libpg_query inside plv8):
 * - where the top-level statements end (`;` outside string literals, quoted identifiers, dollar
 *   quotes and comments), so a text holding two statements is refused before anything runs;
 * - whether it has `$n` parameters outside those, so it is planned generically;
 * - its first keyword, so only statements EXPLAIN can plan without running are accepted.
 *
 * The sidecar also checks every query with PostgreSQL's own parser (sidecar/plans/statement-check.ts);
 * this is the check that travels with the engine into plv8, where it is the only one. It must
 * therefore cut a text where PostgreSQL's scanner (src/backend/parser/scan.l) does, and never later:
 * the lexer below follows scan.l rule by rule, and test/advisor-pure/statement-text-differential.test.ts
 * compares it with libpg-query. Where the two cannot agree (a `;` inside `BEGIN ATOMIC … END`, which
 * only the grammar knows), this lexer sees more statements, so it refuses rather than lets through.
 *
 * It assumes standard_conforming_strings is on (PostgreSQL's default since 9.1): then `'\'` is a
 * whole literal, and only E'' strings take backslash escapes. With it off, `'\''` would end sooner
 * and a text this lexer reads as one statement could be two; the engine refuses to plan then.
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
  let first: Token | undefined;
  let hasParameters = false;
  const finish = (end: number): void => {
    if (first) {
      const firstKeyword = first.kind === 'word' ? asciiLower(source.slice(first.start, first.end)) : source[first.start] === '(' ? '(' : '';
      out.push({ text: trimSpace(source.slice(start, end)), hasParameters, firstKeyword });
    }
    first = undefined;
    hasParameters = false;
  };
  for (const token of scan(source)) {
    if (token.kind === 'semicolon') {
      finish(token.start);
      start = token.end;
    } else if (token.kind !== 'space' && token.kind !== 'comment') {
      first ??= token;
      if (token.kind === 'parameter') hasParameters = true;
    }
  }
  finish(source.length);
  return out;
}

/**
 * pg_stat_statements replaces the literal of a typed literal with a parameter: `interval '1 day'`
 * is stored as `interval $1`, which does not parse. Planning the text needs the cast form,
 * `$1::interval`, which means the same. The type names of TYPED_LITERAL_TYPES are rewritten, only
 * outside literals and comments.
 *
 * @example
 *   typedParametersAsCasts('select * from t where at > now() - interval $1 and d = date $2')
 *   // 'select * from t where at > now() - $1::interval and d = $2::date'
 */
export function typedParametersAsCasts(source: string): string {
  const tokens = scan(source);
  let out = '';
  let copied = 0;
  for (let t = 0; t < tokens.length; t++) {
    const typed = typedParameterAt(source, tokens, t);
    if (!typed) continue;
    const parameter = tokens[typed.parameter]!;
    out += `${source.slice(copied, tokens[t]!.start)}${source.slice(parameter.start, parameter.end)}::${typed.type}`;
    copied = parameter.end;
    t = typed.parameter;
  }
  return out + source.slice(copied);
}

/**
 * Type names that take the typed-literal form (`numeric '1.5'`, `interval '1' day`) in queries
 * applications send. Any type may, but these are the ones that occur; a name outside the list is
 * left alone, and a text that then fails to plan says so.
 */
const TYPED_LITERAL_TYPES = new Set([
  'date', 'timestamptz', 'timestamp', 'timetz', 'time', 'interval',
  'numeric', 'decimal', 'int', 'integer', 'int2', 'int4', 'int8', 'smallint', 'bigint', 'real', 'float', 'float4', 'float8',
  'boolean', 'bool', 'text', 'varchar', 'char', 'character', 'bpchar', 'json', 'jsonb', 'uuid', 'bytea',
  'inet', 'cidr', 'macaddr', 'money', 'tsquery', 'tsvector', 'oid', 'regclass', 'name',
]);
/** The fields `interval '90' day` may carry: as a cast, `$1::interval day` means the same. */
const INTERVAL_FIELDS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second']);

/** `type $n` starting at tokens[t]: the type as written (words joined by one space) and the parameter's index. */
function typedParameterAt(source: string, tokens: Token[], t: number): { type: string; parameter: number } | undefined {
  const text = (i: number): string => (tokens[i] ? source.slice(tokens[i].start, tokens[i].end) : '');
  const isWord = (i: number, ...words: string[]): boolean => tokens[i]?.kind === 'word' && words.includes(asciiLower(text(i)));
  const isBlank = (i: number): boolean => tokens[i]?.kind === 'space';
  if (!isWord(t, ...TYPED_LITERAL_TYPES)) return undefined;
  const words = [text(t)];
  let next = t + 1;
  // timestamp / time [with | without] time zone
  if (isWord(t, 'timestamp', 'time') && isBlank(next) && isWord(next + 1, 'with', 'without') && isBlank(next + 2) && isWord(next + 3, 'time') && isBlank(next + 4) && isWord(next + 5, 'zone')) {
    words.push(text(next + 1), text(next + 3), text(next + 5));
    next += 6;
  }
  if (!isBlank(next) || tokens[next + 1]?.kind !== 'parameter') return undefined;
  // `interval $1 day`: the field stays where it is and reads as the cast's typmod.
  const afterText = isBlank(next + 2) ? next + 3 : next + 2;
  if (isWord(t, 'interval') && words.length === 1 && isWord(afterText, ...INTERVAL_FIELDS)) return { type: words[0]!, parameter: next + 1 };
  const after = tokens[next + 2]?.kind;
  if (after === 'word' || after === 'number') return undefined;
  return { type: words.join(' '), parameter: next + 1 };
}

// ---------------------------------------------------------------------------------------------
// The scanner: the tokens of scan.l that decide where a statement ends. Operators and other
// punctuation are single 'other' characters: none of them can start a literal or a comment, and
// scan.l's operator rule itself stops at an embedded `--` or `/*`.

export type TokenKind = 'space' | 'comment' | 'string' | 'quoted-identifier' | 'word' | 'number' | 'parameter' | 'semicolon' | 'other';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

const QUOTE = 39; // '
const DOUBLE_QUOTE = 34; // "
const DOLLAR = 36; // $
const BACKSLASH = 92;

/** scan.l's {space}: a `--` comment and whitespace end at either newline character. */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isNewline = (c: number): boolean => c === 10 || c === 13;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** {ident_start}: every non-ASCII character is one, as its UTF-8 bytes are \200-\377. */
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
/** {ident_cont}: identifiers go on through `$`, so `a$$` is one name, not `a` and a dollar quote. */
const isIdentCont = (c: number): boolean => isIdentStart(c) || isDigit(c) || c === DOLLAR;
/** {dolq_cont}: a dollar-quote tag is an identifier without `$`. */
const isTagCont = (c: number): boolean => isIdentStart(c) || isDigit(c);

/** The tokens of a text as the scanner reads them (spaces and comments included), for rewriting. */
export function textTokens(source: string): readonly Readonly<Token>[] {
  return scan(source);
}

function scan(source: string): Token[] {
  if (source.includes('\0')) throw new StatementTextError('the text holds a NUL character, which PostgreSQL cannot receive');
  const tokens: Token[] = [];
  const at = (i: number): number => source.charCodeAt(i); // NaN past the end: every test above is false
  let i = 0;
  while (i < source.length) {
    const c = at(i);
    const start = i;
    let kind: TokenKind;
    if (isSpace(c)) {
      kind = 'space';
      while (isSpace(at(i))) i++;
    } else if (source.startsWith('--', i)) {
      kind = 'comment';
      i = lineCommentEnd(source, i);
    } else if (source.startsWith('/*', i)) {
      kind = 'comment';
      i = blockCommentEnd(source, i);
    } else if ((c === 69 || c === 101) && at(i + 1) === QUOTE) {
      // E'…' (xestart) only where a token starts: the `e` of `some'x'` is inside an identifier.
      kind = 'string';
      i = stringEnd(source, i + 1, true);
    } else if (c === QUOTE) {
      // Also the body of B'', X'', N'' and U&'' strings: their prefix lexes as a word first, and
      // none of them takes backslash escapes (a U& string's \XXXX escapes never hide a quote).
      kind = 'string';
      i = stringEnd(source, i, false);
    } else if (c === DOUBLE_QUOTE) {
      kind = 'quoted-identifier';
      i = quotedIdentifierEnd(source, i);
    } else if (isIdentStart(c)) {
      kind = 'word';
      while (isIdentCont(at(i))) i++;
    } else if (isDigit(c) || (c === 46 && isDigit(at(i + 1)))) {
      kind = 'number';
      i = numberEnd(source, i);
    } else if (c === DOLLAR && isDigit(at(i + 1))) {
      kind = 'parameter'; // {param}: `$1$$…` is `$1` and then a dollar quote, as in scan.l
      i++;
      while (isDigit(at(i))) i++;
    } else if (c === DOLLAR) {
      const close = dollarQuoteEnd(source, i);
      kind = close < 0 ? 'other' : 'string'; // a lone `$` ({dolqfailed}) is a character of its own
      i = close < 0 ? i + 1 : close;
    } else {
      kind = c === 59 ? 'semicolon' : 'other';
      i++;
    }
    tokens.push({ kind, start, end: i });
  }
  return tokens;
}

/** {comment}: to the next \n or \r, which PostgreSQL both take as a newline. */
function lineCommentEnd(source: string, open: number): number {
  let i = open + 2;
  while (i < source.length && !isNewline(source.charCodeAt(i))) i++;
  return i;
}

/** Block comments nest in PostgreSQL: an inner slash-star needs its own star-slash. */
function blockCommentEnd(source: string, open: number): number {
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

/**
 * A '…' string from its opening quote. `''` is a quote inside; with `backslashes` (E'' strings) a
 * backslash takes the next character with it, so E'\'' holds one quote. A string goes on after
 * whitespace holding a newline and another quote ({quotecontinue}), in the same mode: the
 * continuation of E'a' in `E'a'⏎'\''` is read with backslash escapes too.
 */
function stringEnd(source: string, open: number, backslashes: boolean): number {
  let i = open + 1;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (backslashes && c === BACKSLASH) {
      i += 2;
    } else if (c === QUOTE) {
      if (source.charCodeAt(i + 1) === QUOTE) {
        i += 2;
        continue;
      }
      const continued = continuationEnd(source, i + 1);
      if (continued < 0) return i + 1;
      i = continued;
    } else {
      i++;
    }
  }
  throw new StatementTextError('unterminated string literal');
}

/**
 * scan.l's {quotecontinue} at `from` (just after a closing quote): spaces and `--` comments, at least
 * one newline, then a quote. Returns the index after that quote, or -1. Block comments do not count.
 */
function continuationEnd(source: string, from: number): number {
  let i = from;
  let newline = false;
  for (;;) {
    const c = source.charCodeAt(i);
    if (isNewline(c)) {
      newline = true;
      i++;
    } else if (isSpace(c)) {
      i++;
    } else if (source.startsWith('--', i)) {
      i = lineCommentEnd(source, i);
    } else {
      return newline && c === QUOTE ? i + 1 : -1;
    }
  }
}

/** A "…" identifier (also the body of U&"…"), where `""` is a quote inside. */
function quotedIdentifierEnd(source: string, open: number): number {
  let i = open + 1;
  while (i < source.length) {
    if (source.charCodeAt(i) === DOUBLE_QUOTE) {
      if (source.charCodeAt(i + 1) !== DOUBLE_QUOTE) return i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  throw new StatementTextError('unterminated quoted identifier');
}

/**
 * Digits, a fraction and an exponent with digits. A letter after them starts a word (PostgreSQL
 * before 15 reads `1e'…'` as 1 and an E'' string, and `0x1F$$` as 0 and the name `x1F$$`; 15 and
 * later refuse both), and no number takes in a `$`, so `1e5$$…$$` is a number and a dollar quote.
 */
function numberEnd(source: string, open: number): number {
  const at = (i: number): number => source.charCodeAt(i);
  let i = open;
  while (isDigit(at(i))) i++;
  if (at(i) === 46 && at(i + 1) !== 46) {
    i++;
    while (isDigit(at(i))) i++;
  }
  const sign = at(i + 1) === 43 || at(i + 1) === 45 ? 1 : 0;
  if ((at(i) === 69 || at(i) === 101) && isDigit(at(i + 1 + sign))) {
    i += 1 + sign;
    while (isDigit(at(i))) i++;
  }
  return i;
}

/**
 * `$tag$…$tag$` from its first `$` (the tag is empty or an identifier without `$`): the index after
 * the closing delimiter, or -1 when no delimiter opens here. Nothing inside is special, so the first
 * exact, case-sensitive repeat of the delimiter closes it.
 */
function dollarQuoteEnd(source: string, open: number): number {
  let i = open + 1;
  if (isIdentStart(source.charCodeAt(i))) {
    i++;
    while (isTagCont(source.charCodeAt(i))) i++;
  }
  if (source.charCodeAt(i) !== DOLLAR) return -1;
  const delimiter = source.slice(open, i + 1);
  const close = source.indexOf(delimiter, i + 1);
  if (close < 0) throw new StatementTextError(`unterminated dollar-quoted string ${delimiter}`);
  return close + delimiter.length;
}

/** PostgreSQL folds only ASCII letters in names (downcase_identifier). */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Trims scan.l's whitespace only: PostgreSQL reads other spaces (U+00A0, U+FEFF) as name characters. */
function trimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}
