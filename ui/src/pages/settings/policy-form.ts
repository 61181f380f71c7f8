import { z } from 'zod';
import type { VariablesOf } from '../../graphql/graphql.ts';
import type { SetTargetPolicy } from './settings-queries.ts';
import { fieldErrors, type FormResult } from './form-errors.ts';

export const STRATEGIES = [
  { value: 'embedded', label: 'embedded: a copy in OptiSchema’s own cluster' },
  { value: 'clone', label: 'clone: a copy on the database’s own server' },
  { value: 'sample', label: 'sample: a foreign-key-consistent sample in OptiSchema’s cluster' },
  { value: 'url', label: 'url: a sandbox you provide (set with the CLI)' },
] as const;

export const AUTO_APPLY = [
  { value: 'never', label: 'never: an admin applies each change' },
  { value: 'validated', label: 'validated: every index that passes validation' },
  { value: 'validated_low_risk', label: 'validated and low risk only' },
] as const;

/** The policy form's fields as the inputs hold them (text for numbers and times). */
export interface PolicyFormValues {
  sandboxStrategy: string;
  sandboxSampleFraction: string;
  autoValidate: boolean;
  autoApply: string;
  windowEnabled: boolean;
  /** "HH:MM", UTC. */
  windowStart: string;
  windowMinutes: string;
}

export interface TargetPolicy {
  sandboxStrategy: string | null;
  sandboxSampleFraction: number | null;
  autoValidate: boolean | null;
  autoApply: string | null;
  /** "02:30:00" or "02:30:00.000000", as the API gives a Time. */
  applyWindowStart: string | null;
  applyWindowMinutes: number | null;
}

export type PolicyInput = VariablesOf<typeof SetTargetPolicy>['input'];

/** The form's starting values from the target's stored policy (the schema's defaults where unset). */
export function policyFormValues(p: TargetPolicy): PolicyFormValues {
  const hasWindow = p.applyWindowStart !== null && p.applyWindowMinutes !== null;
  return {
    sandboxStrategy: p.sandboxStrategy ?? 'embedded',
    sandboxSampleFraction: String(p.sandboxSampleFraction ?? 0.1),
    autoValidate: p.autoValidate ?? false,
    autoApply: p.autoApply ?? 'never',
    windowEnabled: hasWindow,
    windowStart: hasWindow ? (p.applyWindowStart ?? '').slice(0, 5) : '02:00',
    windowMinutes: hasWindow ? String(p.applyWindowMinutes) : '60',
  };
}

const number = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required`)
    .transform(Number)
    .pipe(z.number({ error: `${label} must be a number` }).refine(Number.isFinite, `${label} must be a number`));

const PolicySchema = z
  .object({
    sandboxStrategy: z.enum(['embedded', 'clone', 'sample', 'url'], { error: 'choose a sandbox strategy' }),
    sandboxSampleFraction: number('the sample fraction').pipe(
      z.number().gt(0, 'the sample fraction must be more than 0').lte(1, 'the sample fraction is at most 1'),
    ),
    autoValidate: z.boolean(),
    autoApply: z.enum(['never', 'validated', 'validated_low_risk'], { error: 'choose when changes are applied' }),
    windowEnabled: z.boolean(),
    windowStart: z.string(),
    windowMinutes: z.string(),
  })
  .superRefine((v, ctx) => {
    if (!v.windowEnabled) return;
    if (!/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(v.windowStart.trim())) {
      ctx.addIssue({ code: 'custom', path: ['windowStart'], message: 'the window start is a time of day, such as 02:30' });
    }
    const minutes = Number(v.windowMinutes.trim());
    if (v.windowMinutes.trim() === '' || !Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      ctx.addIssue({ code: 'custom', path: ['windowMinutes'], message: 'the window lasts a whole number of minutes, from 1 to 1440' });
    }
  });

/**
 * Checks the form and builds the setTargetPolicy input. A `url` sandbox is kept only when it is
 * already the strategy: its URL is a secret the CLI seals, so the API refuses to set it.
 */
export function parsePolicyForm(targetId: string, values: PolicyFormValues, current: string | null): FormResult<PolicyInput, keyof PolicyFormValues> {
  const parsed = PolicySchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const v = parsed.data;
  if (v.sandboxStrategy === 'url' && current !== 'url') {
    return { ok: false, errors: { sandboxStrategy: 'a url sandbox is set with the CLI (optischema sandbox create --strategy url), which seals its URL' } };
  }
  return {
    ok: true,
    value: {
      targetId,
      sandboxStrategy: v.sandboxStrategy === 'url' ? null : v.sandboxStrategy,
      sandboxSampleFraction: v.sandboxSampleFraction,
      autoValidate: v.autoValidate,
      autoApply: v.autoApply,
      ...(v.windowEnabled
        ? { applyWindowStart: v.windowStart.trim(), applyWindowMinutes: Number(v.windowMinutes.trim()), clearApplyWindow: false }
        : { applyWindowStart: null, applyWindowMinutes: null, clearApplyWindow: true }),
    },
  };
}

/** The daily window in words: "02:30 UTC for 60 min (until 03:30)", or that there is none. */
export function windowText(start: string | null, minutes: number | null): string {
  if (start === null || minutes === null) return 'none: applies run as soon as a change is validated';
  const [h, m] = start.split(':').map(Number);
  const end = ((h ?? 0) * 60 + (m ?? 0) + minutes) % 1440;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${start.slice(0, 5)} UTC for ${minutes} min (until ${pad(Math.floor(end / 60))}:${pad(end % 60)})`;
}

export function strategyText(value: string | null): string {
  return STRATEGIES.find((s) => s.value === value)?.label ?? value ?? '–';
}

export function autoApplyText(value: string | null): string {
  return AUTO_APPLY.find((s) => s.value === value)?.label ?? value ?? '–';
}
