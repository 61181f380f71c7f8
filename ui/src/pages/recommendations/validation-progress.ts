import { z } from 'zod';

/**
 * A running validation's progress, from the sidecar's `validation_progress` events
 * (sidecar/worker/tasks/validate-recommendation-task.ts): stage `sandbox` / `sandbox <phase>` while
 * the sandbox is made, then `measuring before|build|after` with `done` of `total` statement runs.
 */
export interface ValidationProgress {
  stage: string;
  done: number | null;
  total: number | null;
}

const Event = z.object({
  recommendationId: z.string(),
  stage: z.string().catch('working'),
  done: z.number().nullish().catch(null),
  total: z.number().nullish().catch(null),
});

/** This recommendation's progress in an event's data, or null when the event is another's. */
export function progressFor(data: unknown, recommendationId: string): ValidationProgress | null {
  const parsed = Event.safeParse(data);
  if (!parsed.success || parsed.data.recommendationId !== recommendationId) return null;
  return { stage: parsed.data.stage, done: parsed.data.done ?? null, total: parsed.data.total ?? null };
}

/**
 * @example
 *   progressText({ stage: 'measuring before', done: 3, total: 5 }); // 'validating on the sandbox: 3 of 5 runs (measuring before)'
 *   progressText({ stage: 'sandbox', done: null, total: null });     // 'validating on the sandbox: preparing the sandbox'
 */
export function progressText(p: ValidationProgress | null): string {
  if (!p) return 'validating on the sandbox: waiting for the sandbox';
  const stage = p.stage === 'sandbox' ? 'preparing the sandbox' : p.stage.startsWith('sandbox ') ? `preparing the sandbox (${p.stage.slice(8)})` : p.stage;
  if (p.total === null || p.total <= 0 || p.done === null) return `validating on the sandbox: ${stage}`;
  const unit = p.stage.startsWith('measuring') ? ' runs' : '';
  return `validating on the sandbox: ${p.done} of ${p.total}${unit} (${stage})`;
}
