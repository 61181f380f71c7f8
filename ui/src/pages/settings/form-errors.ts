import type { z } from 'zod';

/** A form's field errors by field name: the first message of each. */
export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export type FormResult<T, K extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<K> };

/** zod's issues as one message per field (a form shows each beside its input). */
export function fieldErrors<K extends string>(error: z.ZodError): FieldErrors<K> {
  const errors: FieldErrors<K> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form') as K;
    errors[key] ??= issue.message;
  }
  return errors;
}
