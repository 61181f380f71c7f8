import type { RecommendationDetailInput } from '../../../ui/src/pages/recommendations/recommendation-view.ts';

/**
 * Health recommendations as the API gives them (0017's columns; evidence as record_health_findings
 * writes it, validation as validate-finding.ts stores it with its sandbox), written after what the
 * advisors in sidecar/health produce.
 */
const base = {
  targetId: '6f1d3d0e-53a6-4b8e-9a35-2b7f0d0c1a11',
  targetByTargetId: { name: 'optischema' },
  improvementPct: null,
  measuredImprovementPct: null,
  costBefore: null,
  costAfter: null,
  sizeBytes: null,
  applyAt: null,
  forceReason: null,
  createdAt: '2026-12-03T10:00:00Z',
  lastSeenAt: '2026-12-03T11:00:00Z',
  seenCount: 2,
} satisfies Partial<RecommendationDetailInput>;

/** A connection pooler: steps as SQL comments, which a sandbox cannot test (inconclusive). */
export function poolerRow(): RecommendationDetailInput {
  return {
    ...base,
    rowId: 'b3c5a1f2-0000-4000-8000-000000000001',
    kind: 'pooling',
    rule: 'connection_pooler',
    subject: 'server',
    risk: 'medium',
    needsRestart: false,
    manual: true,
    title: 'Put a connection pooler in front: connections peaked at 96 of 100 max_connections',
    statement: '-- 1. Install PgBouncer next to the application.\n-- 2. pgbouncer.ini: pool_mode = transaction, default_pool_size = 20\n-- 3. Point the application at port 6432.',
    rollbackStatement: null,
    rationale: 'connections peaked at 96 of 100 max_connections (96 %) over 120 activity samples in the last 24 h',
    state: 'inconclusive',
    stateReason: 'a sandbox cannot test a connection pooler: its effect is on the application\'s connections, not on a statement',
    tableName: null,
    evidence: {
      finding: {
        now: { connections: 41, active: 6, idle: 33, maxConnections: 100, source: 'pg_stat_activity, one look now (all databases)' },
        samples: { samples: 120, hours: 24, peakConnections: 96, peakRatio: 0.96, firstAt: '2026-12-02T11:00:00Z' },
        reasons: ['connections peaked at 96 of 100 max_connections'],
        sizing: { poolSize: 20, cores: 8, formula: { name: 'cores × 2 + spindles', inputs: { cores: 8, spindles: 4 } } },
      },
      queries: [],
      sources: ['health_check'],
    },
    validation: { sandbox: { strategy: 'sample', database: 'optischema_sandbox' } },
    validatedAt: '2026-12-03T11:05:00Z',
  };
}

/** An unused index, validated by replaying its table's statements with and without it. */
export function unusedIndexRow(): RecommendationDetailInput {
  return {
    ...base,
    rowId: 'b3c5a1f2-0000-4000-8000-000000000002',
    kind: 'index_hygiene',
    rule: 'unused_index',
    subject: 'public.orders_status_idx',
    risk: 'medium',
    needsRestart: false,
    manual: false,
    title: 'Unused index public.orders_status_idx (48.0 MB)',
    statement: 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_status_idx;',
    rollbackStatement: 'CREATE INDEX CONCURRENTLY orders_status_idx ON public.orders USING btree (status);',
    rationale: 'public.orders_status_idx on (status) has had no scans since the statistics reset on this server',
    state: 'validated',
    stateReason: 'no statement on public.orders got slower without the index (2 measured)',
    tableName: 'public.orders',
    evidence: {
      finding: {
        index: 'public.orders_status_idx',
        scans: 0,
        replicaScans: [],
        sizeBytes: 50331648,
        minSizeBytes: 1048576,
        statsReset: '2026-11-01T00:00:00Z',
        tableWritesSinceReset: 120000,
        partitioned: false,
        definition: 'CREATE INDEX orders_status_idx ON public.orders USING btree (status)',
      },
      queries: [],
      sources: ['health_check'],
    },
    validation: {
      statements: [
        {
          query: 'select * from public.orders where status = $1',
          values: ['late'],
          method: 'analyze',
          before: { cost: 8.3, medianMs: 0.12, minMs: 0.1, maxMs: 0.2 },
          after: { cost: 8.9, medianMs: 0.125, minMs: 0.11, maxMs: 0.19 },
          usedIndex: false,
        },
        { query: 'select count(*) from public.orders', method: 'explain', before: { cost: 1520.5 }, after: { cost: 1520.5 }, usedIndex: false },
      ],
      sandbox: { strategy: 'sample', database: 'optischema_sandbox' },
    },
    validatedAt: '2026-12-03T11:05:00Z',
  };
}

/** A memory setting that takes effect only after a restart, not validated yet. */
export function sharedBuffersRow(): RecommendationDetailInput {
  return {
    ...base,
    rowId: 'b3c5a1f2-0000-4000-8000-000000000003',
    kind: 'setting',
    rule: 'memory_setting',
    subject: 'shared_buffers',
    risk: 'medium',
    needsRestart: true,
    manual: false,
    title: 'shared_buffers is 128 MB; PgTune suggests 4 GB for 16 GB of RAM',
    statement: "ALTER SYSTEM SET shared_buffers = '4GB';",
    rollbackStatement: "ALTER SYSTEM SET shared_buffers = '128MB';",
    rationale: 'PgTune’s formula for a 16 GB web server. The change takes effect only after a restart of PostgreSQL.',
    state: 'proposed',
    stateReason: null,
    tableName: null,
    evidence: { finding: { setting: 'shared_buffers', currentBytes: 134217728, targetBytes: 4294967296, memoryBytes: 17179869184 }, queries: [], sources: ['health_check'] },
    validation: null,
    validatedAt: null,
  };
}
