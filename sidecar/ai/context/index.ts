/** What the model is told about a statement (issue 13 §2). */
export { buildQueryContext, countTokens, type ContextSection, type QueryContext } from './build-context.ts';
export { redactPlan, redactQuery } from './redact.ts';
export { tableFactsForModel } from './table-facts.ts';
