/**
 * The deterministic query rewriter (issue 13 §5): PostgreSQL's own parser (libpg-query) gives
 * the tree, rules rewrite it where the catalog proves the rewrite equivalent, pgsql-deparser
 * turns it back into SQL. Every rewrite is then verified in the sandbox like a model's
 * (sidecar/validation/verify-rewrite.ts). Rules and their conditions: docs/rewriter.md.
 */
import { createTwoFilesPatch } from 'diff';
import { parse } from 'libpg-query';
import { deparse } from 'pgsql-deparser';
import type { Queryable } from '../database/queryable.ts';
import { rewriterCatalog } from './catalog.ts';
import { leadingWildcardTrigram, offsetToKeyset } from './rules/advice.ts';
import { countToExists } from './rules/count-to-exists.ts';
import { distinctToExists } from './rules/distinct-to-exists.ts';
import { inToJoin } from './rules/in-to-join.ts';
import type { Rule, RewriteRule } from './rules/rule.ts';
import { orToUnion } from './rules/or-to-union.ts';
import { scalarAggregateToJoin } from './rules/scalar-aggregate-to-join.ts';
import { inToExists, notInToNotExists } from './rules/sublinks.ts';

export type { RewriteRule };

export interface RewriteProposal {
  rule: RewriteRule;
  before: string;
  /** null for advice-only rules. */
  after: string | null;
  /** The catalog facts the rewrite rests on. */
  reason: string;
  advice?: string;
  /** Unified diff before → after; '' for advice. */
  diff: string;
}

const RULES: [RewriteRule, Rule][] = [
  ['not-in-to-not-exists', notInToNotExists],
  ['in-to-exists', inToExists],
  ['in-to-join', inToJoin],
  ['count-to-exists', countToExists],
  ['or-to-union', orToUnion],
  ['scalar-aggregate-to-join', scalarAggregateToJoin],
  ['distinct-to-exists', distinctToExists],
  ['offset-to-keyset', offsetToKeyset],
  ['leading-wildcard-trigram', leadingWildcardTrigram],
];

/**
 * Every rule that applies to one SELECT, each on the original statement. A statement that is not
 * one SELECT gets none; a syntax error throws.
 *
 * @example
 *   await proposeRewrites(pool, 'select * from a where a.x not in (select b.y from b)');
 *   // [{ rule: 'not-in-to-not-exists', after: 'SELECT * FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.y = a.x)', … }]  (when both are NOT NULL)
 */
export async function proposeRewrites(db: Queryable, sql: string): Promise<RewriteProposal[]> {
  const tree = (await parse(sql)) as { version: number; stmts: { stmt: Record<string, unknown> }[] };
  const select = tree.stmts.length === 1 ? (tree.stmts[0]!.stmt.SelectStmt as Record<string, unknown> | undefined) : undefined;
  if (!select) return [];
  const catalog = rewriterCatalog(db);
  const print = async (s: unknown) => (await deparse({ ...tree, stmts: [{ stmt: { SelectStmt: s } }] } as never)).trim();
  const before = await print(select);
  const proposals: RewriteProposal[] = [];
  for (const [rule, apply] of RULES) {
    const found = await apply(structuredClone(select), catalog);
    if (!found) continue;
    if ('advice' in found) {
      proposals.push({ rule, before, after: null, reason: found.reason, advice: found.advice, diff: '' });
      continue;
    }
    const after = await print(found.select);
    proposals.push({ rule, before, after, reason: found.reason, diff: createTwoFilesPatch('before.sql', 'after.sql', `${before}\n`, `${after}\n`, '', '', { context: 3 }) });
  }
  return proposals;
}
