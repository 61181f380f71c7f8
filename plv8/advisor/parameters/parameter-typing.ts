/**
 * Making a normalized text plannable. pg_stat_statements replaces every constant with `$n`, and
 * some of them then carry no type PostgreSQL can infer: `$3 - $4` (was `.06 - 0.01`: "operator is
 * not unique: unknown - unknown"), `sum(case … then $3 else $4 end)` (was `1` and `0`: the CASE
 * resolves to text and sum(text) does not exist), `extract($1 from d)` (was the field name `year`,
 * which the grammar does not accept as a parameter). The literal's type is lost, so the advisor
 * offers PostgreSQL typed variants of the text, most likely first, and keeps those that prepare.
 *
 * The rewrites touch only parameters, outside literals and comments (the scanner of
 * engine/statement-text.ts), and keep every `$n` in place, so values given for the original
 * parameters fit every variant.
 */
import { textTokens, typedParametersAsCasts, type Token } from '../../engine/statement-text.ts';

/** How untyped parameters of arithmetic and CASE results are read, most likely first: an integer
 * keeps an integer column's index usable (`id <= $2 + $3`), numeric takes a decimal, and date or
 * timestamp arithmetic takes an interval on the right. */
export const ARITHMETIC_TYPINGS: readonly ArithmeticTyping[] = [
  { name: 'as written' },
  { name: 'integer', left: 'int8', right: 'int8' },
  { name: 'numeric', left: 'numeric', right: 'numeric' },
  { name: 'date and interval', left: 'date', right: 'interval' },
  { name: 'timestamp and interval', left: 'timestamptz', right: 'interval' },
];

export interface ArithmeticTyping {
  name: string;
  /** The type of an untyped parameter left of an arithmetic operator or a CASE result; absent: untouched. */
  left?: string;
  /** The type of one right of an arithmetic operator. */
  right?: string;
}

/**
 * The variants of a normalized text to try, in order: typed literals as casts and `extract($n
 * from …)` as a function call always; then one variant per ARITHMETIC_TYPINGS entry (the first is
 * the text with only those two rewrites). Variants equal to an earlier one are left out.
 *
 * @example
 *   typedVariants('select * from t where n between $1 - $2 and $3')
 *   // ['select * from t where n between $1 - $2 and $3',
 *   //  'select * from t where n between $1::int8 - $2::int8 and $3', …]
 */
export function typedVariants(text: string): { text: string; typing: string }[] {
  const base = extractAsFunction(typedParametersAsCasts(text));
  const out: { text: string; typing: string }[] = [];
  for (const typing of ARITHMETIC_TYPINGS) {
    const variant = typing.left === undefined ? base : castUntyped(base, typing);
    if (!out.some((o) => o.text === variant)) out.push({ text: variant, typing: typing.name });
  }
  return out;
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

/** Each significant token (not space or comment) with its index into `tokens`. */
function significant(tokens: readonly Token[]): number[] {
  return tokens.flatMap((t, i) => (t.kind === 'space' || t.kind === 'comment' ? [] : [i]));
}

/** `$n` operands of arithmetic and CASE results that carry no cast, cast per `typing`. */
function castUntyped(source: string, typing: ArithmeticTyping): string {
  const tokens = textTokens(source);
  const order = significant(tokens);
  const text = (i: number | undefined): string => (i === undefined ? '' : source.slice(tokens[i]!.start, tokens[i]!.end));
  const lower = (i: number | undefined): string => text(i).toLowerCase();
  let out = '';
  let copied = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (tokens[i]!.kind !== 'parameter') continue;
    const before = order[k - 1];
    const after = order[k + 1];
    // Already typed: `$1::int`, or `$1 ::int`.
    if (text(after) === ':' && text(order[k + 2]) === ':') continue;
    const rightOfOperator = before !== undefined && tokens[before]!.kind === 'other' && ARITHMETIC.has(text(before)) && !isUnaryAt(order, tokens, source, k - 1);
    const leftOfOperator = after !== undefined && tokens[after]!.kind === 'other' && ARITHMETIC.has(text(after));
    const caseResult = ['then', 'else'].includes(lower(before));
    let type: string | undefined;
    if (rightOfOperator) type = typing.right;
    else if (leftOfOperator || caseResult) type = typing.left;
    if (type === undefined) continue;
    out += `${source.slice(copied, tokens[i]!.end)}::${type}`;
    copied = tokens[i]!.end;
  }
  return out + source.slice(copied);
}

/** Whether the operator at order[k] is a sign (`-$1`), not a binary operator: nothing that ends an operand before it. */
function isUnaryAt(order: readonly number[], tokens: readonly Token[], source: string, k: number): boolean {
  const before = order[k - 1];
  if (before === undefined) return true;
  const token = tokens[before]!;
  if (token.kind === 'parameter' || token.kind === 'number' || token.kind === 'string' || token.kind === 'quoted-identifier') return false;
  if (token.kind === 'word') return /^(and|or|not|then|else|when|between|select|where|in|like|is|case|return|on|having)$/i.test(source.slice(token.start, token.end));
  return source.slice(token.start, token.end) !== ')' && source.slice(token.start, token.end) !== ']';
}

/**
 * `extract($1 from d)` as `pg_catalog.extract($1::text, d)`: the grammar takes only a field name
 * or a string where pg_stat_statements put the parameter; the function form (PostgreSQL 14 and
 * later) takes any text and means the same.
 */
function extractAsFunction(source: string): string {
  const tokens = textTokens(source);
  const order = significant(tokens);
  const text = (k: number): string => (order[k] === undefined ? '' : source.slice(tokens[order[k]!]!.start, tokens[order[k]!]!.end));
  let out = '';
  let copied = 0;
  for (let k = 0; k + 3 < order.length; k++) {
    if (text(k).toLowerCase() !== 'extract' || text(k - 1) === '.' || text(k + 1) !== '(' || tokens[order[k + 2]!]!.kind !== 'parameter' || text(k + 3).toLowerCase() !== 'from') continue;
    const word = tokens[order[k]!]!;
    const parameter = tokens[order[k + 2]!]!;
    const from = tokens[order[k + 3]!]!;
    out += `${source.slice(copied, word.start)}pg_catalog.extract(${source.slice(parameter.start, parameter.end)}::text,`;
    copied = from.end;
    k += 3;
  }
  return out + source.slice(copied);
}
