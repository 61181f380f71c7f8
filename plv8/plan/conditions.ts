/**
 * Reads the conditions PostgreSQL prints in `EXPLAIN (VERBOSE)` ("Filter", "Index Cond", "Hash Cond", …)
 * back into the facts an index advisor needs: which column of which alias is compared how.
 *
 * The text is PostgreSQL's own deparse (ruleutils.c), so it is regular: every operator expression is
 * parenthesised, columns are qualified by the alias the plan shows, casts are `(x)::type`, constants
 * are `'…'::type`, parameters `$n`. Anything outside what this module understands is skipped, never
 * guessed at, and parsing never throws.
 *
 * Glossary
 * - atom: one AND-ed comparison of a column (or an expression over one column) with a constant.
 * - constant: anything without a column reference (`42`, `$1`, `(now() - '7 days'::interval)`):
 *   fixed for one execution, which is what an index lookup needs.
 * - join condition: a comparison of columns of two different aliases (`(o.customer_id = c.id)`).
 *
 * @example
 *   parseCondition("((orders.customer_id = 42) AND ((orders.status)::text = 'pending'::text))")
 *   // [{ alias: 'orders', column: 'customer_id', kind: 'eq', constant: '42', … },
 *   //  { alias: 'orders', column: 'status', kind: 'eq', constant: "'pending'::text", … }]
 */
import { quoteIdent } from '../advisor/candidates/index-names.ts';

/**
 * eq: `=`; in: `= ANY (…)`; range: `<`, `>=`, …; is_null / not_null: `IS [NOT] NULL`; prefix: LIKE
 * 'abc%'; bool: a boolean column tested by itself (`WHERE archived`, `WHERE NOT archived`), read as
 * `= true` / `= false`; operator: an operator a btree cannot serve but another access method can
 * (`@>`, `&&`, `?`, `@@`, LIKE '%abc%', …: see access-methods.ts).
 */
export type AtomKind = 'eq' | 'in' | 'range' | 'is_null' | 'not_null' | 'prefix' | 'bool' | 'operator';

export interface ConditionAtom {
  /** The alias qualifying the column as the plan prints it; null when the column is unqualified. */
  alias: string | null;
  /** The column's real (unquoted) name; null when the indexed side is an expression. */
  column: string | null;
  /** For an expression over one column, its text as an index key would take it: `lower(email)`. */
  expression?: string;
  kind: AtomKind;
  /** The operator as printed (`=`, `>=`, `~~`, `IS NULL`), after putting the column on the left. */
  operator: string;
  /** The other side as the deparse prints it (`42`, `'pending'::text`, `$1`, `'{1,2}'::integer[]`);
   * absent for IS NULL. */
  constant?: string;
  /** This atom's source text. */
  text: string;
}

/** A column reference: `alias.column`, either part possibly quoted in the source. */
export interface ColumnRef {
  alias: string | null;
  column: string;
}

/** An equality between columns of two aliases (a join key pair). */
export interface JoinPair {
  left: ColumnRef;
  right: ColumnRef;
  text: string;
}

export interface SkippedPart {
  text: string;
  /** or: an OR group (an index would need one per arm: not advised here); join: columns on both
   * sides; unsupported: understood but not indexable as an atom (`<>`, `IS NOT NULL`, `~~ '%x'`);
   * unparsed: text this module does not read. */
  why: 'or' | 'join' | 'unsupported' | 'unparsed';
}

/** An OR of AND-groups, each arm read into atoms: one index per arm can serve it (a BitmapOr). */
export interface OrGroup {
  text: string;
  arms: ConditionAtom[][];
}

/** A join equality with an expression on one side at least (`lower(u.email) = lower(a.billing_email)`):
 * each side over one alias's columns is an index key for that alias. */
export interface JoinSide {
  alias: string | null;
  column: string | null;
  expression?: string;
  text: string;
}

export interface ConditionAnalysis {
  atoms: ConditionAtom[];
  joins: JoinPair[];
  /** OR groups whose every arm was read; also listed in `skipped` (their rows are not AND-ed atoms). */
  ors: OrGroup[];
  /** Sides of join equalities that are not plain column pairs (those are `joins`). */
  joinSides: JoinSide[];
  skipped: SkippedPart[];
}

/** The AND-ed atoms of a condition; see `analyzeCondition` for what was skipped and why. */
export function parseCondition(text: string): ConditionAtom[] {
  return analyzeCondition(text).atoms;
}

/** Splits a condition into its AND-ed parts and classifies each one. Never throws. */
export function analyzeCondition(text: string): ConditionAnalysis {
  const result: ConditionAnalysis = { atoms: [], joins: [], ors: [], joinSides: [], skipped: [] };
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch {
    result.skipped.push({ text, why: 'unparsed' });
    return result;
  }
  for (const part of andParts(tokens)) {
    const partText = text.slice(part[0]!.start, part[part.length - 1]!.end);
    if (hasTopLevel(unwrap(part), 'OR')) {
      result.skipped.push({ text: partText, why: 'or' });
      const arms = splitTopLevel(unwrap(part), 'OR').map((arm) => analyzeCondition(text.slice(arm[0]!.start, arm[arm.length - 1]!.end)));
      if (arms.every((arm) => arm.atoms.length > 0 && arm.skipped.length === 0 && arm.joins.length === 0 && arm.ors.length === 0)) {
        result.ors.push({ text: partText, arms: arms.map((arm) => arm.atoms) });
      }
      continue;
    }
    const inner = unwrap(part);
    if (isWord(inner[0], 'NOT')) {
      // `NOT archived`: the deparse of a false test of a boolean column.
      let negated: Node | null = null;
      try {
        negated = new Parser(inner.slice(1), text).parseWhole();
      } catch {
        negated = null;
      }
      const side = negated === null ? null : indexedSide(negated);
      if (side && side.column !== null) result.atoms.push({ ...side, kind: 'bool', operator: '=', constant: 'false', text: partText });
      else result.skipped.push({ text: partText, why: 'unparsed' });
      continue;
    }
    let node: Node;
    try {
      node = new Parser(part, text).parseWhole();
    } catch {
      result.skipped.push({ text: partText, why: 'unparsed' });
      continue;
    }
    classify(node, partText, result);
  }
  return result;
}

/**
 * Reads one operand such as a sort key (`orders.created_at`, `"Odd Table"."Mixed Col"`,
 * `(lower((c.email)::text))`): its column, or the expression over one column. Null otherwise.
 */
export function parseOperand(text: string): { alias: string | null; column: string | null; expression?: string } | null {
  try {
    const node = new Parser(tokenize(text), text).parseWhole();
    return indexedSide(node);
  } catch {
    return null;
  }
}

/**
 * Every column an expression as the plan prints it refers to (`date_trunc('day'::text, o.created_at)`
 * → [{ alias: 'o', column: 'created_at' }]), or null for text this module does not read.
 */
export function columnsIn(text: string): ColumnRef[] | null {
  try {
    return columnsOf(new Parser(tokenize(text), text).parseWhole());
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens

/** `other`: a character outside the grammar; it fails only the AND arm it appears in. */
type TokenKind = 'ident' | 'qident' | 'string' | 'number' | 'param' | 'op' | '(' | ')' | ',' | '[' | ']' | '::' | 'other';

interface Token {
  kind: TokenKind;
  /** The value: identifiers unquoted, keywords upper-cased in `word`. */
  value: string;
  start: number;
  end: number;
}

const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const start = i;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',' || ch === '[' || ch === ']') {
      tokens.push({ kind: ch, value: ch, start, end: ++i });
    } else if (ch === ':' && text[i + 1] === ':') {
      i += 2;
      tokens.push({ kind: '::', value: '::', start, end: i });
    } else if (ch === "'" || ((ch === 'E' || ch === 'e') && text[i + 1] === "'")) {
      i = ch === "'" ? i + 1 : i + 2;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new Error('unterminated string');
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else if (text[i] === '\\' && ch !== "'") {
          value += text[i + 1] ?? '';
          i += 2;
        } else {
          value += text[i++];
        }
      }
      tokens.push({ kind: 'string', value, start, end: i });
    } else if (ch === '"') {
      i++;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new Error('unterminated identifier');
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          value += text[i++];
        }
      }
      tokens.push({ kind: 'qident', value, start, end: i });
    } else if (ch === '$' && /\d/.test(text[i + 1] ?? '')) {
      i++;
      while (/\d/.test(text[i] ?? '')) i++;
      tokens.push({ kind: 'param', value: text.slice(start, i), start, end: i });
    } else if (/\d/.test(ch) || (ch === '.' && /\d/.test(text[i + 1] ?? ''))) {
      while (/[\d.eE]/.test(text[i] ?? '') || (/[eE]/.test(text[i - 1] ?? '') && /[+-]/.test(text[i] ?? ''))) i++;
      tokens.push({ kind: 'number', value: text.slice(start, i), start, end: i });
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      while (/[A-Za-z0-9_$\u0080-\uffff]/.test(text[i] ?? '')) i++;
      tokens.push({ kind: 'ident', value: text.slice(start, i), start, end: i });
    } else if (ch === '.') {
      tokens.push({ kind: 'op', value: '.', start, end: ++i });
    } else if (OPERATOR_CHARS.includes(ch)) {
      while (i < text.length && OPERATOR_CHARS.includes(text[i]!)) i++;
      tokens.push({ kind: 'op', value: text.slice(start, i), start, end: i });
    } else {
      tokens.push({ kind: 'other', value: ch, start, end: ++i });
    }
  }
  return tokens;
}

const isWord = (t: Token | undefined, word: string): boolean => t?.kind === 'ident' && t.value.toUpperCase() === word;

/** Drops parentheses that wrap the whole token list (`((a AND b))` → `a AND b`). */
function unwrap(tokens: Token[]): Token[] {
  let current = tokens;
  while (current.length >= 2 && current[0]!.kind === '(' && closingIndex(current, 0) === current.length - 1) {
    current = current.slice(1, -1);
  }
  return current;
}

function closingIndex(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.kind === '(') depth++;
    else if (tokens[i]!.kind === ')' && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(tokens: Token[], word: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === '(') depth++;
    if (t.kind === ')') depth--;
    if (depth === 0 && isWord(t, word)) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p) => p.length > 0);
}

function hasTopLevel(tokens: Token[], word: string): boolean {
  return splitTopLevel(tokens, word).length > 1;
}

/** The AND-ed parts, flattening nested ANDs (`((a AND b) AND c)`). */
function andParts(tokens: Token[]): Token[][] {
  const inner = unwrap(tokens);
  const parts = splitTopLevel(inner, 'AND');
  if (parts.length <= 1) return inner.length > 0 ? [tokens] : [];
  return parts.flatMap(andParts);
}

// ---------------------------------------------------------------------------------------------
// Expressions

type Node =
  | { type: 'column'; ref: ColumnRef }
  | { type: 'const'; text: string }
  | { type: 'func'; name: string; args: Node[] }
  | { type: 'cast'; arg: Node; typeName: string }
  | { type: 'op'; op: string; left: Node; right: Node }
  | { type: 'any'; op: string; all: boolean; left: Node; right: Node }
  | { type: 'null_test'; not: boolean; arg: Node };

interface Spanned {
  node: Node;
  start: number;
  end: number;
}

const STOP_WORDS = new Set(['AND', 'OR', 'NOT', 'IS', 'ANY', 'ALL', 'ASC', 'DESC', 'NULLS', 'USING', 'COLLATE']);

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  private readonly source: string;

  constructor(tokens: Token[], source: string) {
    this.tokens = tokens;
    this.source = source;
  }

  parseWhole(): Node {
    const { node } = this.comparison();
    if (this.pos !== this.tokens.length) throw new Error('trailing tokens');
    return node;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new Error('unexpected end');
    return t;
  }

  private expect(kind: TokenKind): Token {
    const t = this.next();
    if (t.kind !== kind) throw new Error(`expected ${kind}`);
    return t;
  }

  /** `a op b [op c …]`, `a op ANY (b)`, `a IS [NOT] NULL`. */
  private comparison(): Spanned {
    let left = this.postfix();
    for (;;) {
      const t = this.peek();
      if (isWord(t, 'IS')) {
        this.pos++;
        const not = isWord(this.peek(), 'NOT');
        if (not) this.pos++;
        const end = this.next();
        if (!isWord(end, 'NULL')) throw new Error('IS other than NULL');
        left = { node: { type: 'null_test', not, arg: left.node }, start: left.start, end: end.end };
      } else if (t?.kind === 'op' && t.value !== '.') {
        this.pos++;
        if (isWord(this.peek(), 'ANY') || isWord(this.peek(), 'ALL')) {
          const all = isWord(this.next(), 'ALL');
          const right = this.postfix();
          left = { node: { type: 'any', op: t.value, all, left: left.node, right: right.node }, start: left.start, end: right.end };
        } else {
          const right = this.postfix();
          left = { node: { type: 'op', op: t.value, left: left.node, right: right.node }, start: left.start, end: right.end };
        }
      } else {
        return left;
      }
    }
  }

  /** A primary followed by any number of `::type` casts. */
  private postfix(): Spanned {
    let result = this.primary();
    while (this.peek()?.kind === '::') {
      this.pos++;
      const words: string[] = [];
      let end = this.pos;
      while (this.peek()?.kind === 'ident' || this.peek()?.kind === 'qident') {
        if (this.peek()!.kind === 'ident' && STOP_WORDS.has(this.peek()!.value.toUpperCase())) break;
        const w = this.next();
        const word = w.kind === 'qident' ? quoteIdent(w.value) : w.value;
        if (words.length > 0 && words[words.length - 1]!.endsWith('.')) words[words.length - 1] += word;
        else words.push(word);
        if (this.peek()?.kind === 'op' && this.peek()!.value === '.') {
          this.pos++;
          words[words.length - 1] += '.';
        }
        end = this.pos;
      }
      if (this.peek()?.kind === '(' ) {
        const close = closingIndex(this.tokens, this.pos);
        if (close < 0) throw new Error('unbalanced type modifier');
        this.pos = close + 1;
        end = this.pos;
      }
      while (this.peek()?.kind === '[' && this.peek(1)?.kind === ']') {
        this.pos += 2;
        if (words.length > 0) words[words.length - 1] += '[]';
        end = this.pos;
      }
      if (words.length === 0) throw new Error('cast without type');
      result = { node: { type: 'cast', arg: result.node, typeName: words.join(' ') }, start: result.start, end: this.tokens[end - 1]!.end };
    }
    return result;
  }

  private primary(): Spanned {
    const t = this.next();
    switch (t.kind) {
      case '(': {
        const inner = this.comparison();
        const close = this.expect(')');
        return { node: inner.node, start: t.start, end: close.end };
      }
      case 'string':
      case 'number':
      case 'param':
        return { node: { type: 'const', text: this.source.slice(t.start, t.end) }, start: t.start, end: t.end };
      case 'ident':
      case 'qident': {
        if (t.kind === 'ident' && STOP_WORDS.has(t.value.toUpperCase())) throw new Error(`unexpected ${t.value}`);
        if (t.kind === 'ident' && ['NULL', 'TRUE', 'FALSE'].includes(t.value.toUpperCase())) {
          return { node: { type: 'const', text: t.value }, start: t.start, end: t.end };
        }
        const names = [t];
        while (this.peek()?.kind === 'op' && this.peek()!.value === '.') {
          this.pos++;
          const part = this.next();
          if (part.kind !== 'ident' && part.kind !== 'qident') throw new Error('bad qualified name');
          names.push(part);
        }
        if (this.peek()?.kind === '(') return this.call(names, t.start);
        const last = names[names.length - 1]!;
        if (names.length === 1) return { node: { type: 'column', ref: { alias: null, column: t.value } }, start: t.start, end: t.end };
        if (names.length === 2) {
          return { node: { type: 'column', ref: { alias: names[0]!.value, column: last.value } }, start: t.start, end: last.end };
        }
        throw new Error('three-part name');
      }
      default:
        throw new Error(`unexpected ${t.value}`);
    }
  }

  private call(names: Token[], start: number): Spanned {
    this.expect('(');
    const args: Node[] = [];
    if (this.peek()?.kind !== ')') {
      for (;;) {
        args.push(this.comparison().node);
        if (this.peek()?.kind === ',') this.pos++;
        else break;
      }
    }
    const close = this.expect(')');
    const name = names.map((n) => (n.kind === 'qident' ? quoteIdent(n.value) : n.value)).join('.');
    return { node: { type: 'func', name, args }, start, end: close.end };
  }
}

function columnsOf(node: Node): ColumnRef[] {
  switch (node.type) {
    case 'column':
      return [node.ref];
    case 'const':
      return [];
    case 'func':
      return node.args.flatMap(columnsOf);
    case 'cast':
      return columnsOf(node.arg);
    case 'op':
    case 'any':
      return [...columnsOf(node.left), ...columnsOf(node.right)];
    case 'null_test':
      return columnsOf(node.arg);
  }
}

function stripCasts(node: Node): Node {
  return node.type === 'cast' ? stripCasts(node.arg) : node;
}

/**
 * Casts the deparse adds around a column that an index on the column still serves: varchar → text is
 * binary-coercible (`(orders.status)::text = …`). Others (`(created_at)::date`) change the value, so
 * they stay part of the indexed expression.
 */
const TRANSPARENT_CASTS = new Set(['text', 'character varying', 'varchar', 'name']);

function stripTransparentCasts(node: Node): Node {
  return node.type === 'cast' && TRANSPARENT_CASTS.has(node.typeName) ? stripTransparentCasts(node.arg) : node;
}

/** Renders an expression as an index key would take it: columns unqualified and quoted if needed, transparent casts dropped. */
function render(node: Node): string {
  switch (node.type) {
    case 'column':
      return quoteIdent(node.ref.column);
    case 'const':
      return node.text;
    case 'func':
      return `${node.name}(${node.args.map(render).join(', ')})`;
    case 'cast':
      if (stripCasts(node.arg).type === 'column' && TRANSPARENT_CASTS.has(node.typeName)) return render(node.arg);
      return node.arg.type !== 'const' && node.arg.type !== 'func'
        ? `(${render(node.arg)})::${node.typeName}`
        : `${render(node.arg)}::${node.typeName}`;
    case 'op':
      return `(${render(node.left)} ${node.op} ${render(node.right)})`;
    case 'any':
      return `(${render(node.left)} ${node.op} ${node.all ? 'ALL' : 'ANY'} (${render(node.right)}))`;
    case 'null_test':
      return `(${render(node.arg)} IS ${node.not ? 'NOT ' : ''}NULL)`;
  }
}

/** The indexable side: a column (transparent casts ignored), or an expression over exactly one alias's column(s). */
function indexedSide(node: Node): { alias: string | null; column: string | null; expression?: string } | null {
  const bare = stripTransparentCasts(node);
  if (bare.type === 'column') return { alias: bare.ref.alias, column: bare.ref.column };
  const refs = columnsOf(bare);
  const aliases = new Set(refs.map((r) => r.alias));
  if (refs.length === 0 || aliases.size !== 1 || bare.type === 'const') return null;
  return { alias: refs[0]!.alias, column: null, expression: render(bare) };
}

/** Operators another access method serves (GIN, GiST): containment, overlap, key existence, text
 * search, pattern matching anywhere in the text. Only with the column on the left: `@>` and `<@`
 * are not each other's flip for every type. */
const NON_BTREE_OPERATORS = new Set(['@>', '<@', '&&', '?', '?|', '?&', '@@', '@?', '~~', '~~*', '~', '~*', '-|-', '<<', '>>', '&<', '&>']);

const FLIPPED: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=' };
const RANGE_OPERATORS = new Set(['<', '>', '<=', '>=', '~<~', '~>~', '~<=~', '~>=~']);

function classify(root: Node, text: string, out: ConditionAnalysis): void {
  const node = stripCasts(root);
  const skip = (why: SkippedPart['why']): void => {
    out.skipped.push({ text, why });
  };
  if (node.type === 'column') {
    // A column by itself is a boolean test: `WHERE archived`.
    out.atoms.push({ alias: node.ref.alias, column: node.ref.column, kind: 'bool', operator: '=', constant: 'true', text });
    return;
  }
  if (node.type === 'null_test') {
    const side = indexedSide(node.arg);
    if (!side) return skip('unsupported');
    out.atoms.push({ ...side, kind: node.not ? 'not_null' : 'is_null', operator: node.not ? 'IS NOT NULL' : 'IS NULL', text });
    return;
  }
  if (node.type === 'any') {
    const side = indexedSide(node.left);
    if (!side || node.all || node.op !== '=') return skip('unsupported');
    if (columnsOf(node.right).length > 0) return skip('join');
    out.atoms.push({ ...side, kind: 'in', operator: '= ANY', constant: render(node.right), text });
    return;
  }
  if (node.type !== 'op') return skip('unsupported');
  const leftCols = columnsOf(node.left);
  const rightCols = columnsOf(node.right);
  if (leftCols.length > 0 && rightCols.length > 0) {
    const l = stripCasts(node.left);
    const r = stripCasts(node.right);
    if (node.op === '=' && l.type === 'column' && r.type === 'column') out.joins.push({ left: l.ref, right: r.ref, text });
    else if (node.op === '=') {
      const sides = [indexedSide(node.left), indexedSide(node.right)];
      if (sides.every((side) => side !== null) && sides[0]!.alias !== sides[1]!.alias) {
        for (const side of sides) out.joinSides.push({ ...side!, text });
      }
    }
    return skip('join');
  }
  if (leftCols.length === 0 && rightCols.length === 0) return skip('unsupported');
  const flip = leftCols.length === 0;
  const op = flip ? FLIPPED[node.op] : node.op;
  const side = indexedSide(flip ? node.right : node.left);
  const constantNode = flip ? node.left : node.right;
  if (!side || !op) return skip('unsupported');
  const constant = render(constantNode);
  if (op === '=') {
    out.atoms.push({ ...side, kind: 'eq', operator: op, constant, text });
  } else if (RANGE_OPERATORS.has(op)) {
    out.atoms.push({ ...side, kind: 'range', operator: op, constant, text });
  } else if (op === '~~' && isPrefixPattern(stripCasts(constantNode))) {
    out.atoms.push({ ...side, kind: 'prefix', operator: op, constant, text });
  } else if (!flip && NON_BTREE_OPERATORS.has(op)) {
    out.atoms.push({ ...side, kind: 'operator', operator: op, constant, text });
  } else {
    skip('unsupported');
  }
}

/** A LIKE pattern with a fixed start (`'abc%'`): a btree range can serve it (with a suitable opclass). */
function isPrefixPattern(node: Node): boolean {
  if (node.type !== 'const' || !node.text.startsWith("'")) return false;
  const first = node.text[1];
  return first !== undefined && first !== '%' && first !== '_' && first !== "'";
}
