import type { CombinedError } from 'urql';
import { errorText } from '../../components/QueryState.tsx';

/** How a mutation ended, for a form: its data, or the server's message for a refusal. */
export type Outcome<T = undefined> = { ok: true; data: T } | { ok: false; message: string };

/** A urql mutation result as an Outcome; `pick` returns null when the payload is empty. */
export function outcomeOf<D, T>(result: { data?: D | null; error?: CombinedError | undefined }, pick: (data: D) => T | null | undefined): Outcome<T> {
  if (result.error) return { ok: false, message: errorText(result.error) };
  const value = result.data ? pick(result.data) : null;
  if (value === null || value === undefined) return { ok: false, message: 'the server returned nothing (the object may not exist any more)' };
  return { ok: true, data: value };
}
