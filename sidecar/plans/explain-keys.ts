/**
 * The keys of PostgreSQL's `EXPLAIN (FORMAT JSON)` output that OptiSchema reads, named once.
 *
 * The output is an array with one object per statement: `[{ "Plan": {...}, "Planning Time": …,
 * "Execution Time": … }]`; each plan node has a "Node Type" and, below it, "Plans".
 */
export const EXPLAIN = {
  plan: 'Plan',
  plans: 'Plans',
  nodeType: 'Node Type',
  parentRelationship: 'Parent Relationship',
  subplanName: 'Subplan Name',
  operation: 'Operation',
  strategy: 'Strategy',
  partialMode: 'Partial Mode',
  joinType: 'Join Type',
  scanDirection: 'Scan Direction',
  parallelAware: 'Parallel Aware',
  schema: 'Schema',
  relationName: 'Relation Name',
  indexName: 'Index Name',
  cteName: 'CTE Name',
  functionName: 'Function Name',
  planningTime: 'Planning Time',
  executionTime: 'Execution Time',
  sharedHitBlocks: 'Shared Hit Blocks',
  sharedReadBlocks: 'Shared Read Blocks',
} as const;
