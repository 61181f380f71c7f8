/** What the model is told about a statement (issue 13 §2). */
export { buildQueryContext, type ContextInput, type ContextSection, type QueryContext } from './build-context.ts';
export { countTokens } from './count-tokens.ts';
export { redactExpression, redactPlan } from './redact-plan.ts';
export { redactQuery } from './redact-query.ts';
export { tableFactsForModel, type TableFacts } from './table-facts.ts';
