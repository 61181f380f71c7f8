/**
 * A source of uniform numbers in [0, 1). The workload uses Math.random; tests and the benchmark pass
 * a seeded one so that their parameters repeat.
 */
export type Draw = () => number;

/**
 * A small seeded generator (mulberry32): same seed, same sequence. Not for anything secret.
 *
 * @example const draw = seededDraw(42); draw() // the same number on every run
 */
export function seededDraw(seed: number): Draw {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of a non-empty list, uniformly. */
export function pickOne<T>(items: readonly T[], draw: Draw): T {
  const item = items[Math.floor(draw() * items.length)];
  if (item === undefined) throw new Error('pickOne needs a non-empty list');
  return item;
}

/** One element, with probabilities proportional to the weights (all ≥ 0, at least one > 0). */
export function pickWeighted<T>(items: readonly { item: T; weight: number }[], draw: Draw): T {
  const total = items.reduce((sum, entry) => sum + entry.weight, 0);
  let remaining = draw() * total;
  for (const entry of items) {
    remaining -= entry.weight;
    if (remaining < 0) return entry.item;
  }
  const last = items.at(-1);
  if (!last) throw new Error('pickWeighted needs a non-empty list');
  return last.item;
}

/** An integer in [1, max], skewed towards 1 when `skew` > 1, as data.sql draws customers. */
export function skewedId(max: number, skew: number, draw: Draw): number {
  return 1 + Math.floor(max * draw() ** skew);
}
