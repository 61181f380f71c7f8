import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { note, print, printJson } from '../output.ts';

interface ExplainAiOptions extends DatabaseOptions {
  query?: string;
  json?: boolean;
  sandbox?: string;
  literals?: boolean;
}

export function registerExplainAi(program: Command): void {
  addDatabaseOptions(
    program
      .command('explain-ai')
      .description(
        'explain why a statement is slow and propose fixes: the deterministic rewriter always, and the model set by ' +
          'OPTISCHEMA_AI_PROVIDER / OPTISCHEMA_AI_MODEL when there is one; every proposal is checked by PostgreSQL ' +
          '(indexes by hypopg what-if on --db, rewrites on --sandbox) and nothing is run on --db',
      ),
  )
    .requiredOption('--query <sql>', 'the statement to review')
    .option('--sandbox <url>', 'a copy of the database to verify rewrites on (same results, faster); without it rewrites stay unverified')
    .option('--literals', "send the statement's literal values and column statistics' values to the model (default: never)")
    .option('--json', 'print the review as JSON')
    .action(async (options: ExplainAiOptions) => {
      if (!options.query?.trim()) throw new UsageError('give the statement to review: --query SQL');
      const { explainAi } = await import('./explain-ai-run.ts');
      const database = await openDatabase(options);
      try {
        const review = await explainAi(database.url, options.query, { ...(options.sandbox ? { sandboxUrl: options.sandbox } : {}), allowLiterals: options.literals === true });
        if (options.json) printJson(review);
        else printReview(review);
      } finally {
        await database.release();
      }
    });
}

type Review = Awaited<ReturnType<typeof import('./explain-ai-run.ts').explainAi>>;

function printReview(review: Review): void {
  if (review.status === 'deterministic') note('AI is off (no OPTISCHEMA_AI_PROVIDER): the deterministic rewriter only');
  if (review.error) note(`the model's analysis ${review.status}: ${review.error}`);
  if (review.explanation) {
    print(review.explanation.trim());
    print();
  }
  for (const f of review.findings) print(`- ${f.title}: ${f.detail}`);
  if (review.findings.length > 0) print();
  if (review.proposals.length === 0) print('no proposals');
  for (const p of review.proposals) {
    const label = p.verification.state === 'unverified' ? 'unverified suggestion' : p.verification.state;
    print(`[${label}] ${p.kind} (${p.source}${p.rule ? `: ${p.rule}` : ''}): ${p.reason}`);
    if (p.sql) print(`  ${p.sql.replace(/\n/g, '\n  ')}`);
    if (p.advice) print(`  ${p.advice.replace(/\n/g, '\n  ')}`);
    print(`  ${p.verification.reason}`);
  }
  if (review.tokens) print(`\ntokens: ${review.tokens.input} in, ${review.tokens.output} out, ${review.tokens.toolCalls} tool call(s)`);
}
