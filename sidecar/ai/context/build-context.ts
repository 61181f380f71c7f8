import type pg from 'pg';
import { messageOf } from '../../errors.ts';
import { countTokens } from './count-tokens.ts';
import { fitBudget, type ContextSection, type SectionDraft } from './fit-budget.ts';
import { planBlocks, planRelations, planTimes } from './plan-summary.ts';
import { planLiterals, redactExpression, redactPlan, redactProse } from './redact-plan.ts';
import { queryConstants, redactQuery } from './redact-query.ts';
import { renderTable } from './render-table.ts';
import { statementNames, type StatementNames } from './statement-names.ts';
import { readTableFacts } from './table-facts.ts';

export type { ContextSection } from './fit-budget.ts';

/** What was sent about one statement: stored with the analysis, for "what did we send?". */
export interface QueryContext {
  text: string;
  /** Tokens of `text` (countTokens: OpenAI's o200k encoding, an approximation for other models). */
  tokens: number;
  /** Every section that had something to say, in order, with whether it fit. */
  sections: ContextSection[];
  literalsAllowed: boolean;
}

export interface ContextInput {
  query: string;
  /** EXPLAIN (FORMAT JSON) output, with or without ANALYZE, BUFFERS, VERBOSE. */
  plan?: unknown;
  /** The engine's findings, one sentence each. */
  findings?: readonly string[];
  /** The engine's what-if evaluations (hypopg, planner cost units). */
  whatIf?: readonly { sql: string; costBefore: number; costAfter: number; used: boolean }[];
  allowLiterals: boolean;
  tokenBudget: number;
}

/** Relations read from the catalog at most: a plan over hundreds of partitions names each one. */
const MAX_TABLES = 20;

/**
 * The model's view of one statement, in a fixed order: the statement, its plan, the tables it
 * reads, the engine's findings, its what-if results. Sections go in while they fit in
 * `tokenBudget`; one that does not is cut at a line boundary (the plan node by node, the tables
 * table by table, a table to the columns the statement mentions) or left out, and the text says
 * which. Without `allowLiterals` no value from the statement, the plan, the statistics or the
 * engine's texts is in it. The same input and catalog give the same text, byte for byte.
 *
 * @example
 *   const context = await buildQueryContext(client, { query, plan, allowLiterals: false, tokenBudget: 6000 });
 *   context.sections; // [{ name: 'statement', tokens: 31, included: true }, { name: 'plan', … }, …]
 */
export async function buildQueryContext(target: pg.ClientBase, input: ContextInput): Promise<QueryContext> {
  const allow = input.allowLiterals;
  const names: StatementNames | null = await statementNames(input.query).catch(() => null);
  const statement = allow ? input.query.trim() : await redactQuery(input.query).catch(() => null);
  const plan = input.plan === undefined ? undefined : allow ? input.plan : redactPlan(input.plan);
  // Values the engine's prose may repeat: the statement's constants and the plan's.
  const known = allow ? [] : [...(await queryConstants(input.query).catch(() => [])), ...planLiterals(input.plan)];

  // The plan's relations first (VERBOSE plans name the schema and what a view reads), then the
  // statement's own names; to_regclass resolves both and one table named twice counts once.
  const relations = [...new Set([...(plan === undefined ? [] : planRelations(plan)), ...(names?.relations ?? [])])];
  // A catalog that cannot be read (a timeout, a lock, a privilege) costs the tables, not the analysis.
  const tables = await readTableFacts(target, relations.slice(0, MAX_TABLES), { allowLiterals: allow, ...(names ? { columns: names.columns } : {}) })
    .catch((error: unknown) => new Error(`the catalog could not be read: ${messageOf(error)}`));

  const drafts: SectionDraft[] = [];
  drafts.push({
    name: 'statement',
    heading: allow ? '## Statement' : '## Statement (constants replaced by $n, comments removed)',
    parts: [{ full: statement === null ? '(it could not be parsed, so it is not shown: its text may hold values)' : fence(statement) }],
    cut: () => '',
  });
  if (plan !== undefined) {
    const blocks = planBlocks(plan);
    const times = planTimes(plan);
    drafts.push({
      name: 'plan',
      heading: `## Plan${allow ? '' : ' (constants in conditions replaced by $?)'}${times ? `\n${times}` : ''}`,
      parts: blocks.length ? blocks.map((full) => ({ full })) : [{ full: '(not EXPLAIN JSON: not shown)' }],
      cut: ({ shown, total }) => `${shown} of ${total} plan nodes shown`,
    });
  }
  if (tables instanceof Error) {
    drafts.push({ name: 'tables', heading: '## Tables', parts: [{ full: `(${tables.message})` }], cut: () => '' });
  } else if (tables.length > 0) {
    const mentioned = names?.columns ?? null;
    drafts.push({
      name: 'tables',
      heading: `## Tables (catalog; row counts are the planner's estimates)${allow ? '' : '\nConstants in index definitions are replaced by $?; column statistics are given without their values.'}`,
      parts: tables.map((facts) => renderTable(facts, mentioned)),
      cut: ({ shown, shortened, total }) => `${shown} of ${total} tables shown${shortened ? ` (${shortened} with only the columns the statement mentions)` : ''}${relations.length > MAX_TABLES ? `; ${relations.length - MAX_TABLES} more relations not read` : ''}`,
    });
  }
  if (input.findings?.length) {
    drafts.push({
      name: 'findings',
      heading: '## The engine\'s findings',
      parts: input.findings.map((f) => ({ full: `- ${allow ? f : redactProse(f, known)}` })),
      cut: ({ shown, total }) => `${shown} of ${total} findings shown`,
    });
  }
  if (input.whatIf?.length) {
    drafts.push({
      name: 'what-if',
      heading: '## What-if (hypothetical indexes costed by hypopg; planner cost units, estimates)',
      parts: input.whatIf.map((w) => ({
        full: `- ${allow ? w.sql : redactProse(redactExpression(w.sql), known)}: cost ${cost(w.costBefore)} → ${cost(w.costAfter)}${w.used ? ', used by the plan' : ', not used by the plan'}`,
      })),
      cut: ({ shown, total }) => `${shown} of ${total} what-if results shown`,
    });
  }
  const { text, sections } = fitBudget(drafts, input.tokenBudget);
  return { text, tokens: countTokens(text), sections, literalsAllowed: allow };
}

const fence = (sql: string): string => `\`\`\`sql\n${sql}\n\`\`\``;
const cost = (value: number): string => String(Math.round(value * 100) / 100);
