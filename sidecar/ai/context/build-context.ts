import { countTokens as countGptTokens } from 'gpt-tokenizer';
import { parse } from 'libpg-query';
import type pg from 'pg';
import { messageOf } from '../../errors.ts';
import { planLines, planTables } from './plan-summary.ts';
import { redactPlan, redactQuery } from './redact.ts';
import { tableFactsForModel } from './table-facts.ts';

export interface ContextSection {
  name: string;
  tokens: number;
  included: boolean;
}

/** What was sent for one statement: kept with the analysis for audit. */
export interface QueryContext {
  text: string;
  tokens: number;
  sections: ContextSection[];
  literalsAllowed: boolean;
}

export interface ContextInput {
  query: string;
  plan?: unknown;
  findings?: readonly string[];
  whatIf?: readonly { sql: string; costBefore: number; costAfter: number; used: boolean }[];
  allowLiterals: boolean;
  tokenBudget: number;
}

/**
 * Counted with OpenAI's tokenizer (gpt-tokenizer, o200k): other models' tokenizers differ by
 * some percent, which the budget's margin absorbs.
 */
export const countTokens = (text: string): number => countGptTokens(text);

/**
 * The model's view of one statement, in a fixed order: the statement, its plan, its tables, the
 * engine's findings and what-if results. Sections are added while they fit in `tokenBudget`; the
 * tables section is trimmed table by table; what does not fit is left out and the text says so.
 * Without `allowLiterals` no value from the statement, the plan or the statistics is included.
 *
 * @example
 *   const context = await buildQueryContext(client, { query, plan, allowLiterals: false, tokenBudget: 6000 });
 *   context.sections; // [{ name: 'statement', tokens: 31, included: true }, …]
 */
export async function buildQueryContext(target: pg.ClientBase, input: ContextInput): Promise<QueryContext> {
  const statement = input.allowLiterals ? input.query : await redactQuery(input.query).catch(() => '(the statement could not be parsed, so it is not shown without its literals)');
  const plan = input.plan === undefined ? undefined : input.allowLiterals ? input.plan : redactPlan(input.plan);
  // The statement's own names first; then what the plan reads beneath views (VERBOSE plans name
  // the schema; a name without one is the statement's already).
  const named = await statementTables(input.query);
  const read = plan === undefined ? [] : planTables(plan).filter((t) => t.includes('.'));
  const tables = [...new Set([...named, ...read])];
  const columns = await mentionedColumns(input.query);
  const tableTexts: string[] = [];
  const seen = new Set<unknown>();
  for (const table of tables.slice(0, 8)) {
    try {
      const facts = await tableFactsForModel(target, table, { allowLiterals: input.allowLiterals, columns });
      // `orders` in the statement and `public.orders` in the plan are one table.
      if (seen.has(facts.table)) continue;
      seen.add(facts.table);
      tableTexts.push(JSON.stringify(facts));
    } catch (error) {
      tableTexts.push(JSON.stringify({ table, error: messageOf(error) }));
    }
  }
  const candidates: { name: string; parts: string[] }[] = [
    { name: 'statement', parts: [`## Statement${input.allowLiterals ? '' : ' (literal values replaced by $n)'}\n${statement}`] },
    { name: 'plan', parts: plan === undefined ? [] : [`## Plan${input.allowLiterals ? '' : ' (values in conditions replaced by $?)'}\n${planLines(plan).join('\n')}`] },
    { name: 'tables', parts: tableTexts.length === 0 ? [] : ['## Tables (columns, indexes, statistics)', ...tableTexts] },
    { name: 'findings', parts: input.findings?.length ? ['## The engine\'s findings', ...input.findings.map((f) => `- ${f}`)] : [] },
    { name: 'what-if', parts: input.whatIf?.length ? ['## What-if results (hypopg, planner cost units)', ...input.whatIf.map((w) => `- ${w.sql}: cost ${w.costBefore} → ${w.costAfter}${w.used ? '' : ' (not used)'}`)] : [] },
  ];
  const sections: ContextSection[] = [];
  const kept: string[] = [];
  let used = 0;
  for (const candidate of candidates) {
    if (candidate.parts.length === 0) continue;
    // Parts are added one by one: a table that does not fit leaves the ones before it in.
    const parts: string[] = [];
    for (const part of candidate.parts) {
      const cost = countTokens(`${part}\n`);
      if (used + cost > input.tokenBudget) break;
      parts.push(part);
      used += cost;
    }
    const included = parts.length === candidate.parts.length;
    sections.push({ name: candidate.name, tokens: countTokens(parts.join('\n')), included });
    if (parts.length > 0) kept.push(parts.join('\n'));
  }
  const left = sections.filter((s) => !s.included).map((s) => s.name);
  const note = left.length > 0 ? `\n(left out or cut to fit the token budget: ${left.join(', ')})` : '';
  const text = `${kept.join('\n\n')}${note}`;
  return { text, tokens: countTokens(text), sections, literalsAllowed: input.allowLiterals };
}

/** The relations a statement names (RangeVar), as SQL names; CTE names resolve to nothing and are skipped later. */
async function statementTables(query: string): Promise<string[]> {
  const found: string[] = [];
  walk(await parse(query).catch(() => ({})), (node) => {
    const range = node.RangeVar as { schemaname?: string; relname?: string } | undefined;
    if (!range?.relname) return;
    const name = `${range.schemaname ? `${quoteName(range.schemaname)}.` : ''}${quoteName(range.relname)}`;
    if (!found.includes(name)) found.push(name);
  });
  return found;
}

/** Column names the statement mentions (the last field of each column reference). */
async function mentionedColumns(query: string): Promise<string[]> {
  const found = new Set<string>();
  walk(await parse(query).catch(() => ({})), (node) => {
    const fields = (node.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined)?.fields;
    const last = fields?.[fields.length - 1]?.String?.sval;
    if (last) found.add(last);
  });
  return [...found].sort();
}

function walk(node: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit));
  if (typeof node !== 'object' || node === null) return;
  visit(node as Record<string, unknown>);
  for (const value of Object.values(node)) walk(value, visit);
}

const quoteName = (name: string): string => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
