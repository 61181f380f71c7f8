/** What the plan viewer shows of one EXPLAIN (FORMAT JSON) output: the tree, its totals, or why it could not be read. */
export type PlanView = PlanViewOk | PlanViewError;

export interface PlanViewError {
  ok: false;
  error: string;
}

export interface PlanViewOk {
  ok: true;
  /** EXPLAIN ANALYZE: the nodes carry actual rows and loops. */
  analyzed: boolean;
  /** ANALYZE with timing (not TIMING OFF): the nodes carry actual times. */
  timed: boolean;
  planningMs: number | null;
  executionMs: number | null;
  /** What the nodes' shares are of: the execution time, or the root's time when the output has none. */
  totalMs: number | null;
  totalCost: number | null;
  root: PlanNodeView;
  /** Every node, depth first, root first. */
  nodes: PlanNodeView[];
}

export interface PlanNodeView {
  /** The path from the root: "0", "0.1", "0.1.0". */
  id: string;
  depth: number;
  nodeType: string;
  /** The node as EXPLAIN's text format names it: "HashAggregate", "Parallel Seq Scan", "Index Scan Backward". */
  operator: string;
  /** One line: "Seq Scan on public.orders o", "Index Scan using orders_pkey on orders", "Hash Join (Inner)". */
  label: string;
  /** "CTE big", "InitPlan 1 (returns $0)", "SubPlan 2". */
  subplanName: string | null;
  parentRelationship: string | null;
  schema: string | null;
  relation: string | null;
  alias: string | null;
  index: string | null;
  cteName: string | null;
  startupCost: number | null;
  totalCost: number | null;
  /** The planner's rows per loop. */
  planRows: number | null;
  actual: ActualRows | null;
  /** Wall-clock time of all loops, children included (per process for nodes run by parallel workers). */
  inclusiveMs: number | null;
  /** The node's own share of inclusiveMs, never negative. */
  exclusiveMs: number | null;
  /** exclusiveMs over the plan's totalMs, 0 to 1. */
  share: number | null;
  /** As EXPLAIN reports them, children included. */
  buffers: Buffers | null;
  /** The node's own, children's subtracted like its time. */
  ownBuffers: Buffers | null;
  details: DetailLine[];
  badges: Badge[];
  children: PlanNodeView[];
}

export interface ActualRows {
  /** EXPLAIN's "Actual Rows": the average per loop. */
  perLoop: number;
  loops: number;
  total: number;
  /** Rows the node read and threw away because of its Filter, over all loops. */
  removedByFilter: number;
  startupMsPerLoop: number | null;
  totalMsPerLoop: number | null;
}

export interface Buffers {
  sharedHit: number;
  sharedRead: number;
  tempRead: number;
  tempWritten: number;
}

export interface DetailLine {
  label: string;
  value: string;
}

export type BadgeKind = Badge['kind'];

/** A finding on one node; `text` is its visible label, `explanation` says what it means. */
export type Badge =
  | ({ kind: 'misestimate'; direction: 'under' | 'over'; factor: number } & BadgeText)
  | ({ kind: 'filter-discards'; removed: number; share: number } & BadgeText)
  | ({ kind: 'disk-sort' } & BadgeText)
  | ({ kind: 'lossy-bitmap'; lossyBlocks: number } & BadgeText)
  | ({ kind: 'slowest' } & BadgeText)
  | ({ kind: 'temp-io'; writtenBlocks: number } & BadgeText)
  | ({ kind: 'seq-scan-large'; rowsRead: number } & BadgeText);

interface BadgeText {
  text: string;
  explanation: string;
}
