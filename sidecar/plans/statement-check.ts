import { parse } from 'libpg-query';
import { SIDE_EFFECT_FREE_FUNCTIONS } from './side-effect-free-functions.ts';

/**
 * Checks a statement before any of it reaches a server, with PostgreSQL's own parser (libpg-query,
 * the PG 17 grammar, which accepts what PG 15 and 16 accept).
 *
 * Two facts come out of it: whether the text is exactly one plannable statement (the simple query
 * protocol would run `SELECT 1; DELETE FROM t` as two, which is how EXPLAIN tools have leaked and
 * destroyed data), and whether it is provably read-only, which EXPLAIN ANALYZE requires.
 *
 * "Provably read-only" is about the text: a SELECT, VALUES or TABLE with no data-modifying CTE, no
 * FOR UPDATE/SHARE, no SELECT INTO and no call to a function outside SIDE_EFFECT_FREE_FUNCTIONS.
 * The text cannot show what a view, an operator, a cast or a shadowing user function runs, so this
 * is only the first filter: EXPLAIN ANALYZE also needs the catalog's proof that the statement runs
 * nothing of anyone's, and every plan runs as the statement's author inside the planning guard
 * (plv8/engine/guard/, docs/security.md).
 */

/** What the statement is, by its top-level node. MERGE is PG 15+. */
export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'merge';

export interface StatementCheck {
  kind: StatementKind;
  /** True only when nothing in the text can write (see above). */
  readOnly: boolean;
  /** Why the statement is not provably read-only; empty when readOnly. */
  writeReasons: string[];
  /** The highest `$n` in the text: how many parameters a PREPARE of it takes. */
  parameterCount: number;
  /** The `$n` numbers in the order they appear in the text, repeats included. */
  parameterOccurrences: number[];
  /**
   * The text with each `$n` written `(NULL)`: what the planning guard makes a temporary view of to
   * read, from the catalog, everything the statement would run (plv8/engine/guard/guard-sql.ts).
   */
  nullParameterText: string;
}

/** The statement was refused before it was sent; the message says why and what to do. */
export class StatementError extends Error {
  override name = 'StatementError';
}

const KINDS: Record<string, StatementKind> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

/**
 * Parses `text` and classifies it. Throws StatementError for a syntax error, for anything but exactly
 * one SELECT/VALUES/TABLE/INSERT/UPDATE/DELETE/MERGE, and for SELECT INTO (it creates a table).
 *
 * @example
 *   const check = await checkStatement('select * from t where id = $1');
 *   // { kind: 'select', readOnly: true, writeReasons: [], parameterCount: 1, parameterOccurrences: [1] }
 */
export async function checkStatement(text: string): Promise<StatementCheck> {
  const statement = await parseSingle(text);
  const [nodeName, body] = Object.entries(statement)[0] ?? [];
  const kind = nodeName === undefined ? undefined : KINDS[nodeName];
  if (kind === undefined || body === undefined) {
    throw new StatementError(`only SELECT, VALUES, TABLE, INSERT, UPDATE, DELETE and MERGE can be planned, not ${nodeName ?? 'an empty statement'}`);
  }
  if (kind === 'select' && isObject(body) && body.intoClause !== undefined) {
    throw new StatementError('SELECT INTO creates a table: it is not a query to plan; use a plain SELECT');
  }
  const found = walk(body);
  const writeReasons = [...new Set([...(kind === 'select' ? [] : [`${kind.toUpperCase()} writes`]), ...found.writeReasons])];
  const sorted = found.parameters.sort((a, b) => a.location - b.location);
  const parameters = sorted.map((p) => p.number);
  return {
    kind,
    readOnly: writeReasons.length === 0,
    writeReasons,
    parameterCount: Math.max(0, ...parameters),
    parameterOccurrences: parameters,
    nullParameterText: withNullParameters(text, sorted),
  };
}

/** `text` with each `$n` at its parser location (a byte offset into UTF-8) replaced by `(NULL)`. */
function withNullParameters(text: string, parameters: readonly { number: number; location: number }[]): string {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let at = 0;
  for (const p of parameters) {
    parts.push(bytes.subarray(at, p.location), Buffer.from('(NULL)'));
    at = p.location + 1 + String(p.number).length;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts).toString('utf8');
}

/** The one statement of `text` as a parse-tree node (`{ SelectStmt: {...} }`), or StatementError. */
/**
 * Why PostgreSQL's own parser refuses `query` for advice (it does not parse, or it is not exactly
 * one statement EXPLAIN can plan), or null: advice reports it as that query's error.
 */
export async function statementRefusal(query: string): Promise<string | null> {
  try {
    await checkStatement(query);
    return null;
  } catch (error) {
    if (error instanceof StatementError) return error.message;
    throw error;
  }
}

export async function parseSingle(text: string): Promise<Record<string, unknown>> {
  let tree: { stmts?: { stmt?: Record<string, unknown> }[] };
  try {
    tree = await parse(text);
  } catch (error) {
    const position = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
    const where = position === undefined ? '' : ` at character ${position + 1}`;
    throw new StatementError(`the statement does not parse: ${(error as Error).message}${where}`, { cause: error });
  }
  const statements = tree.stmts ?? [];
  if (statements.length !== 1 || statements[0]?.stmt === undefined) {
    throw new StatementError(
      `expected exactly one statement, found ${statements.length}: a text with several is refused before it reaches the server`,
    );
  }
  return statements[0].stmt;
}

interface WalkResult {
  writeReasons: string[];
  parameters: { number: number; location: number }[];
}

/** Visits every node of a parse tree, noting writes, locks, unknown functions and `$n`. */
function walk(root: unknown): WalkResult {
  const result: WalkResult = { writeReasons: [], parameters: [] };
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (!isObject(value)) continue;
    for (const [key, child] of Object.entries(value)) {
      const nested = KINDS[key];
      if (nested !== undefined && nested !== 'select') result.writeReasons.push(`a data-modifying ${nested.toUpperCase()} inside the statement`);
      if (key === 'LockingClause') result.writeReasons.push('FOR UPDATE/SHARE takes row locks');
      if (key === 'intoClause') result.writeReasons.push('SELECT INTO creates a table');
      if (key === 'FuncCall' && isObject(child)) {
        const name = functionName(child);
        if (name === undefined) result.writeReasons.push('a call to a function that is not a known side-effect-free built-in');
        else if (!name.known) result.writeReasons.push(`a call to ${name.text}(), not a known side-effect-free built-in`);
      }
      if (key === 'ParamRef' && isObject(child)) {
        result.parameters.push({ number: Number(child.number ?? 0), location: Number(child.location ?? 0) });
      }
      stack.push(child);
    }
  }
  return result;
}

/** A FuncCall's name, and whether it is a listed built-in (unqualified or in pg_catalog). */
function functionName(call: Record<string, unknown>): { text: string; known: boolean } | undefined {
  if (!Array.isArray(call.funcname)) return undefined;
  const parts = call.funcname.map((part: unknown) =>
    isObject(part) && isObject(part.String) ? String(part.String.sval ?? '') : '',
  );
  const name = parts.at(-1) ?? '';
  const schema = parts.length === 2 ? parts[0] : parts.length === 1 ? undefined : '?';
  const known = (schema === undefined || schema === 'pg_catalog') && SIDE_EFFECT_FREE_FUNCTIONS.has(name);
  return { text: parts.join('.'), known };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
