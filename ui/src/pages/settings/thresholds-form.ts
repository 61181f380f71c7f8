import { z } from 'zod';
import type { VariablesOf } from '../../graphql/graphql.ts';
import type { SetTargetThresholds } from './settings-queries.ts';
import { fieldErrors, type FormResult } from './form-errors.ts';

export interface ThresholdFormValues {
  slowThresholdMs: string;
  slowMinCalls: string;
  snapshotIntervalS: string;
}

export interface TargetThresholds {
  slowThresholdMs: number | null;
  slowMinCalls: number | null;
  snapshotIntervalS: number | null;
}

export type ThresholdsInput = VariablesOf<typeof SetTargetThresholds>['input'];

export function thresholdFormValues(t: TargetThresholds): ThresholdFormValues {
  return {
    slowThresholdMs: t.slowThresholdMs === null ? '' : String(t.slowThresholdMs),
    slowMinCalls: t.slowMinCalls === null ? '' : String(t.slowMinCalls),
    snapshotIntervalS: t.snapshotIntervalS === null ? '' : String(t.snapshotIntervalS),
  };
}

const numeric = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required`)
    .transform(Number)
    .pipe(z.number().refine(Number.isFinite, `${label} must be a number`));

// The same bounds as optischema_api.set_target_thresholds (migration 0015), checked before sending.
const ThresholdSchema = z.object({
  slowThresholdMs: numeric('the slow threshold').pipe(z.number().gt(0, 'the slow threshold must be more than 0 ms')),
  slowMinCalls: numeric('the minimum calls').pipe(z.number().int('the minimum calls is a whole number').min(1, 'the minimum calls is at least 1')),
  snapshotIntervalS: numeric('the snapshot interval').pipe(
    z
      .number()
      .int('the snapshot interval is a whole number of seconds')
      .min(1, 'the snapshot interval is at least 1 s')
      .max(86_400, 'the snapshot interval is at most 86400 s (a day)'),
  ),
});

export function parseThresholdForm(targetId: string, values: ThresholdFormValues): FormResult<ThresholdsInput, keyof ThresholdFormValues> {
  const parsed = ThresholdSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  return { ok: true, value: { targetId, ...parsed.data } };
}
