import type { ResultOf } from '../../graphql/graphql.ts';
import { checkView, type CheckView } from './check-result.ts';
import type { TargetPolicy } from './policy-form.ts';
import type { SettingsTargets } from './settings-queries.ts';
import type { TargetThresholds } from './thresholds-form.ts';

export type TargetNode = NonNullable<NonNullable<ResultOf<typeof SettingsTargets>['allTargets']>['nodes'][number]>;

/** The collector's last word on a target (migration 0005), in words. */
const STATUS: Record<string, { text: string; tone: 'ok' | 'warn' | 'error' | 'muted' }> = {
  new: { text: 'waiting for the first snapshot', tone: 'muted' },
  ok: { text: 'collecting', tone: 'ok' },
  error: { text: 'collection failed', tone: 'error' },
  no_statistics: { text: 'no statistics: pg_stat_statements is missing or empty', tone: 'warn' },
};

export interface TargetView {
  id: string;
  name: string;
  status: { text: string; tone: 'ok' | 'warn' | 'error' | 'muted' };
  statusMessage: string | null;
  createdAt: string | null;
  lastSnapshotAt: string | null;
  /** The last connection test, or null when never tested. */
  check: CheckView | null;
  policy: TargetPolicy;
  thresholds: TargetThresholds;
}

export function toTargetView(t: TargetNode): TargetView {
  return {
    id: t.rowId,
    name: t.name ?? t.rowId,
    status: STATUS[t.status ?? ''] ?? { text: t.status ?? 'unknown', tone: 'muted' },
    statusMessage: t.statusMessage ?? null,
    createdAt: t.createdAt ?? null,
    lastSnapshotAt: t.lastSnapshotAt ?? null,
    check: checkView(t.lastCheck),
    policy: {
      sandboxStrategy: t.sandboxStrategy ?? null,
      sandboxSampleFraction: t.sandboxSampleFraction ?? null,
      autoValidate: t.autoValidate ?? null,
      autoApply: t.autoApply ?? null,
      applyWindowStart: t.applyWindowStart ?? null,
      applyWindowMinutes: t.applyWindowMinutes ?? null,
    },
    thresholds: {
      slowThresholdMs: t.slowThresholdMs ?? null,
      slowMinCalls: t.slowMinCalls ?? null,
      snapshotIntervalS: t.snapshotIntervalS ?? null,
    },
  };
}
