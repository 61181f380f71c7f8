import type { Node } from '../ast.ts';
import type { RewriterCatalog } from '../catalog.ts';

export type RewriteRule = 'in-to-exists' | 'not-in-to-not-exists' | 'count-to-exists' | 'offset-to-keyset' | 'leading-wildcard-trigram' | 'or-to-union'
  | 'in-to-join' | 'scalar-aggregate-to-join' | 'distinct-to-exists';

/** What a rule found: a new top-level SelectStmt, or advice only. */
export type RuleResult = { select: Node; reason: string } | { advice: string; reason: string };

/** A rule: the statement's top-level SelectStmt (a copy it may change) and the catalog; null when it does not apply. */
export type Rule = (select: Node, catalog: RewriterCatalog) => Promise<RuleResult | null>;
