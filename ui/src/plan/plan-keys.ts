import { EXPLAIN } from '../../../plv8/plan/explain-keys.ts';

/**
 * The EXPLAIN (FORMAT JSON) keys the plan viewer reads: the engine's list plus those only the
 * viewer needs (timing, loops, temp buffers, sort and bitmap details). Kept here rather than in
 * the engine's list so the engine names only what it uses.
 */
export const PLAN_KEYS = {
  ...EXPLAIN,
  startupCost: 'Startup Cost',
  actualStartupTime: 'Actual Startup Time',
  actualTotalTime: 'Actual Total Time',
  actualLoops: 'Actual Loops',
  tempReadBlocks: 'Temp Read Blocks',
  tempWrittenBlocks: 'Temp Written Blocks',
  sortMethod: 'Sort Method',
  sortSpaceUsed: 'Sort Space Used',
  sortSpaceType: 'Sort Space Type',
  exactHeapBlocks: 'Exact Heap Blocks',
  lossyHeapBlocks: 'Lossy Heap Blocks',
  rowsRemovedByIndexRecheck: 'Rows Removed by Index Recheck',
  rowsRemovedByJoinFilter: 'Rows Removed by Join Filter',
  groupKey: 'Group Key',
  heapFetches: 'Heap Fetches',
  hashBuckets: 'Hash Buckets',
  hashBatches: 'Hash Batches',
  peakMemoryUsage: 'Peak Memory Usage',
  hashAggBatches: 'HashAgg Batches',
  diskUsage: 'Disk Usage',
  workersPlanned: 'Workers Planned',
  workersLaunched: 'Workers Launched',
} as const;
