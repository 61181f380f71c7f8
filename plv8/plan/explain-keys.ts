/**
 * The keys of PostgreSQL's `EXPLAIN (FORMAT JSON)` output that OptiSchema reads, named once for
 * the engine and the sidecar alike (the sidecar may import engine modules; the engine, which also
 * runs inside plv8, imports nothing of the sidecar's).
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
  alias: 'Alias',
  filter: 'Filter',
  indexCond: 'Index Cond',
  recheckCond: 'Recheck Cond',
  rowsRemovedByFilter: 'Rows Removed by Filter',
  actualRows: 'Actual Rows',
  planRows: 'Plan Rows',
  totalCost: 'Total Cost',
  sortKey: 'Sort Key',
  presortedKey: 'Presorted Key',
  hashCond: 'Hash Cond',
  mergeCond: 'Merge Cond',
  joinFilter: 'Join Filter',
  oneTimeFilter: 'One-Time Filter',
  output: 'Output',
} as const;
