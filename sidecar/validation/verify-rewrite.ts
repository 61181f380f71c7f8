/**
 * A rewrite of a statement verified in a sandbox (issue 13 §4), whoever wrote it (the model, the
 * rewriter): the same results as the original on the sandbox's data and on edge cases made for
 * the tables and columns involved (rewrite-edge-cases.ts), then faster by the median of N runs.
 *
 * Results are compared by fingerprint, through the planning guard's kind 'rows' (guard-sql.ts):
 * the statement is proven harmless from the catalog, run as the analysis role (or its author)
 * read-only in a rolled-back subtransaction, and only md5s of its row texts come back. Ordered
 * when the original has a top-level ORDER BY: rows that tie on its keys may legitimately arrive
 * in another order, which then counts as a difference. Conservative on purpose: a rewrite that is
 * right but orders ties differently is rejected, never a wrong one accepted.
 */
import { parse } from 'libpg-query';
import type pg from 'pg';
import { messageOf } from '../errors.ts';
import { inGuardedSession, type GuardedSession } from '../plans/guarded-session.ts';
import { checkStatement } from '../plans/statement-check.ts';
import { analyzePlan } from '../plans/analyze-plan.ts';
import { DEFAULT_RUNS, fasterBeyondNoise } from '../sandbox/measure-index.ts';
import { edgeCases, edgeCaseTables } from './rewrite-edge-cases.ts';

export interface RewriteCase {
  name: string;
  same: boolean;
  rowsBefore?: number;
  rowsAfter?: number;
  error?: string;
}

export interface RewriteVerification {
  verdict: 'verified' | 'rejected' | 'inconclusive';
  reason: string;
  cases: RewriteCase[];
  ordered: boolean;
  beforeMedianMs: number | null;
  afterMedianMs: number | null;
  runs: number;
  measuredImprovementPct: number | null;
}

interface Fingerprint {
  count: number;
  truncated: boolean;
  ordered: string;
  multiset: string;
}

/**
 * @example
 *   const v = await verifyRewrite(sandbox, { original: 'select * from a where x not in (select y from b)', rewritten: 'select * from a where not exists (…)' });
 *   // { verdict: 'rejected', reason: 'different results on nulls in b.y: 0 rows vs 5000', … }
 */
export async function verifyRewrite(
  sandbox: pg.ClientBase,
  input: { original: string; rewritten: string; values?: readonly (string | null)[]; runs?: number; statementTimeoutMs?: number },
): Promise<RewriteVerification> {
  const runs = input.runs ?? DEFAULT_RUNS;
  const result = (verdict: RewriteVerification['verdict'], reason: string, rest: Partial<RewriteVerification> = {}): RewriteVerification => ({
    verdict, reason, cases: [], ordered: false, beforeMedianMs: null, afterMedianMs: null, runs, measuredImprovementPct: null, ...rest,
  });
  let original, rewritten;
  try {
    [original, rewritten] = await Promise.all([checkStatement(input.original), checkStatement(input.rewritten)]);
  } catch (error) {
    return result('rejected', `not one valid statement: ${messageOf(error)}`);
  }
  if (!original.readOnly || !rewritten.readOnly) return result('rejected', `only read-only statements are compared: ${[...original.writeReasons, ...rewritten.writeReasons].join('; ')}`);
  if (original.parameterCount !== rewritten.parameterCount) return result('rejected', `the rewrite takes ${rewritten.parameterCount} parameter(s), the statement ${original.parameterCount}`);
  const values = original.parameterCount > 0 ? input.values ?? null : null;
  if (original.parameterCount > 0 && values?.length !== original.parameterCount) return result('inconclusive', `values for $1…$${original.parameterCount} are needed to run the statements`);

  const ordered = await hasTopLevelOrderBy(input.original);
  const shape = await namesIn([input.original, input.rewritten]);
  const tables = await edgeCaseTables(sandbox, shape.tables, shape.columns);
  const limits = { statementTimeoutMs: input.statementTimeoutMs ?? 30_000, lockTimeoutMs: 5_000, mode: 'read write' as const };
  const fingerprint = async (session: GuardedSession, text: string, checkText: string): Promise<Fingerprint> => {
    const planned = await session.plan('rows', text, { checkText, values });
    if (planned.refused) throw new Error(`the catalog does not prove it harmless: ${planned.refused.join('; ')}`);
    return planned.rows!;
  };
  const cases: RewriteCase[] = [];
  for (const c of [{ name: 'data', setup: [] as string[] }, ...edgeCases(tables)]) {
    try {
      // Our own statements on our sandbox, then the comparison, all in one transaction that
      // inGuardedSession rolls back: the edge case never outlives it.
      const [a, b] = await inGuardedSession(sandbox, [], limits, async (session) => {
        for (const statement of c.setup) await sandbox.query(statement);
        return [await fingerprint(session, input.original, original.nullParameterText), await fingerprint(session, input.rewritten, rewritten.nullParameterText)];
      });
      if (a!.truncated || b!.truncated) {
        cases.push({ name: c.name, same: false, rowsBefore: a!.count, rowsAfter: b!.count, error: 'more rows than OptiSchema compares' });
        return result('inconclusive', `${c.name}: more rows than OptiSchema compares`, { cases, ordered });
      }
      const same = a!.count === b!.count && (ordered ? a!.ordered === b!.ordered : a!.multiset === b!.multiset);
      cases.push({ name: c.name, same, rowsBefore: a!.count, rowsAfter: b!.count });
      if (!same) {
        const how = a!.count === b!.count ? `the same number of rows (${a!.count}) but different ${ordered ? 'rows or order' : 'rows'}` : `${a!.count} rows vs ${b!.count}`;
        return result('rejected', `different results on ${c.name}: ${how}`, { cases, ordered });
      }
    } catch (error) {
      cases.push({ name: c.name, same: false, error: messageOf(error) });
      // An edge case our own setup cannot make (a CHECK refuses NULL) says nothing about the rewrite.
      if (c.name !== 'data' && /violates|constraint/i.test(messageOf(error))) continue;
      return result('inconclusive', `${c.name}: ${messageOf(error)}`, { cases, ordered });
    }
  }
  let before: Timing, after: Timing;
  try {
    [before, after] = await interleavedRuns(sandbox, input.original, input.rewritten, runs, values, input.statementTimeoutMs);
  } catch (error) {
    return result('inconclusive', `same results; timing failed: ${messageOf(error)}`, { cases, ordered });
  }
  const timing = { cases, ordered, beforeMedianMs: before.medianMs, afterMedianMs: after.medianMs };
  const figures = `${before.medianMs.toFixed(2)} → ${after.medianMs.toFixed(2)} ms (median of ${runs})`;
  const checked = `same results on ${cases.filter((c) => c.same).map((c) => c.name).join('; ')}`;
  if (!fasterBeyondNoise(before, after)) return result('rejected', `${checked}; not faster: ${figures}`, timing);
  const gain = Math.round(((before.medianMs - after.medianMs) / before.medianMs) * 1000) / 10;
  return result('verified', `${checked}; faster: ${figures}`, { ...timing, measuredImprovementPct: gain });
}

async function hasTopLevelOrderBy(sql: string): Promise<boolean> {
  const tree = (await parse(sql)) as { stmts?: { stmt: { SelectStmt?: { sortClause?: unknown[] } } }[] };
  return (tree.stmts?.[0]?.stmt.SelectStmt?.sortClause?.length ?? 0) > 0;
}

/** The relations (as SQL names) and the column names the statements mention. */
async function namesIn(statements: readonly string[]): Promise<{ tables: string[]; columns: string[] }> {
  const tables = new Set<string>();
  const columns = new Set<string>();
  const quote = (n: string) => (/^[a-z_][a-z0-9_$]*$/.test(n) ? n : `"${n.replace(/"/g, '""')}"`);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    const range = record.RangeVar as { schemaname?: string; relname?: string } | undefined;
    if (range?.relname) tables.add(`${range.schemaname ? `${quote(range.schemaname)}.` : ''}${quote(range.relname)}`);
    const fields = (record.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined)?.fields;
    const last = fields?.[fields.length - 1]?.String?.sval;
    if (last) columns.add(last);
    Object.values(record).forEach(visit);
  };
  for (const s of statements) visit(await parse(s));
  return { tables: [...tables], columns: [...columns] };
}

interface Timing {
  medianMs: number;
  minMs: number;
}

/**
 * Both statements timed with EXPLAIN ANALYZE through the guard (analyze-plan.ts), one warm-up
 * each, then alternately: a machine that speeds up or slows down during the measurement moves
 * both alike, where timing one after the other would credit the drift to the second.
 */
async function interleavedRuns(sandbox: pg.ClientBase, a: string, b: string, runs: number, values: readonly (string | null)[] | null, statementTimeoutMs?: number): Promise<[Timing, Timing]> {
  const options = { ...(values ? { values } : {}), ...(statementTimeoutMs ? { statementTimeoutMs } : {}) };
  const time = async (sql: string) => Number((await analyzePlan(sandbox, sql, options)).explain['Execution Time']);
  await time(a);
  await time(b);
  const ms: [number[], number[]] = [[], []];
  for (let n = 0; n < runs; n++) {
    ms[0].push(await time(a));
    ms[1].push(await time(b));
  }
  const summary = (list: number[]): Timing => ({ medianMs: [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)]!, minMs: Math.min(...list) });
  return [summary(ms[0]), summary(ms[1])];
}
