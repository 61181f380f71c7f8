/**
 * How a normalized statement (`$n` for its constants) is planned for advice: a typed variant of
 * its text that PostgreSQL prepares (parameter-typing.ts), where its parameters stand in the
 * generic plan (parameter-slots.ts), and the parameter sets it is then planned with
 * (parameter-sets.ts), each checked by planning it once. Without sets the generic plan stands in,
 * and `fallback` says why.
 *
 * @example
 *   const planned = yield* planNormalized('select * from orders o join order_items i on i.order_id = o.id where o.id between $1 and $2 + $3', planner);
 *   // { text: '… between $1 and $2::int8 + $3::int8', typing: 'integer',
 *   //   sets: [{ values: ['300512', '306497', '0'], label: 'typical', weight: 0.5, source: 'statistics' }, { label: 'narrow', … }] }
 */
import type { Step } from '../../engine/protocol.ts';
import { readStatement } from '../../engine/statement-text.ts';
import { guardedPlan } from '../../engine/guard/guarded-plan.ts';
import type { Planner } from '../../engine/guard/planners.ts';
import { typedVariants } from './parameter-typing.ts';
import { parameterSlots } from './parameter-slots.ts';
import { parameterSets, type ParameterSet } from './parameter-sets.ts';

export interface NormalizedPlan {
  /** The variant of the text that is planned. */
  text: string;
  /** How its untyped parameters were typed (parameter-typing.ts). */
  typing: string;
  /** The generic plan of `text`. */
  genericPlan: unknown;
  parameterTypes: string[];
  /** Empty: planned by its generic plan, for the reason in `fallback`. */
  sets: ParameterSet[];
  fallback?: string;
}

export function* planNormalized(
  text: string,
  planner: Planner,
  samples: readonly string[] = [],
  sampledValues: readonly (readonly (string | null)[])[] = [],
): Step<NormalizedPlan> {
  const prepared: { text: string; typing: string; plan: unknown; types: string[] }[] = [];
  let firstError: unknown;
  for (const variant of typedVariants(text)) {
    try {
      const generic = yield* guardedPlan(planner, 'generic', variant.text);
      prepared.push({ ...variant, plan: generic.plan, types: generic.parameterTypes ?? [] });
    } catch (error) {
      firstError ??= error;
    }
  }
  if (prepared.length === 0) {
    const message = typeof (firstError as { message?: unknown })?.message === 'string' ? (firstError as Error).message : String(firstError);
    throw Object.assign(new Error(`the statement's parameters could not be typed for planning (tried ${typedVariants(text).map((v) => v.typing).join(', ')}): ${message}`, { cause: firstError }), {
      code: (firstError as { code?: unknown })?.code,
    });
  }
  const literals = samples.flatMap((sample) => {
    try {
      const read = readStatement(sample);
      return read.hasParameters ? [] : [read.text];
    } catch {
      return []; // a sample cut short or holding two statements is not planned
    }
  });
  const first = prepared[0]!;
  const slots = parameterSlots(first.plan, first.text, first.types.length);
  const drawn = yield* parameterSets(slots, literals, sampledValues);
  if (drawn.sets.length === 0) return { text: first.text, typing: first.typing, genericPlan: first.plan, parameterTypes: first.types, sets: [], fallback: drawn.why };
  // A value must fit its parameter's type: a decimal drawn for `$4 - $5` typed as integers does
  // not, so the next variant is tried; a set no variant takes is dropped.
  for (const variant of prepared) {
    const fitting: ParameterSet[] = [];
    for (const set of drawn.sets) if (yield* plans(planner, variant.text, set)) fitting.push(set);
    if (fitting.length === drawn.sets.length || (variant === prepared[prepared.length - 1] && fitting.length > 0)) {
      const total = fitting.reduce((a, s) => a + s.weight, 0);
      return { text: variant.text, typing: variant.typing, genericPlan: variant.plan, parameterTypes: variant.types, sets: fitting.map((s) => ({ ...s, weight: s.weight / total })) };
    }
  }
  return { text: first.text, typing: first.typing, genericPlan: first.plan, parameterTypes: first.types, sets: [], fallback: 'no drawn values fit the parameters\u2019 types' };
}

function* plans(planner: Planner, text: string, set: ParameterSet): Step<boolean> {
  try {
    if (set.literal !== undefined) yield* guardedPlan(planner, 'explain', set.literal);
    else yield* guardedPlan(planner, 'custom', text, { values: set.values ?? [] });
    return true;
  } catch {
    return false;
  }
}
