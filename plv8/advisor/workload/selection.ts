/**
 * Workload-wide index selection: which set of candidate indexes saves the workload the most time
 * for the storage and write overhead it costs. Pure: numbers in, a choice out (no SQL).
 *
 * Glossary
 * - weight: the time a statement took in the window, in ms (calls × mean time).
 * - gain of a set S for a query: weight × (costBefore − cost with S) / costBefore, i.e. the share
 *   of its time the planner's estimate says S removes. Planner cost units are turned into time by
 *   assuming a query's time is proportional to its estimated cost.
 * - cost with a set (the approximation): the minimum over S of the query's cost with each index of
 *   S alone (what-if costs are measured one index at a time), and with each measured pair in S (a
 *   join using one index per side: the query's best index with the best of each other table). It
 *   ignores other combinations (a BitmapAnd of two new indexes); the chosen set is planned as a
 *   whole afterwards (advise-workload.ts) and those costs are the ones reported.
 * - write cost: the ms the window's writes would spend maintaining the index (writes.ts).
 * - move: add a candidate, or (Extend, Kossmann et al. 2020) replace a chosen index by a candidate
 *   whose keys start with all of its keys: `(customer_id)` → `(customer_id, status)`; or add the
 *   missing members of a measured group at once (the arms of an OR help only together).
 *
 * Greedy (Extend-style): repeatedly apply the move with the best net gain (gain − write cost) per
 * added byte, while that net gain is positive and the set fits the budget. A move must also be
 * worth an index of its own: its net gain must reach `minImprovementPct` of the time of the
 * queries it speeds up (the per-query threshold, 20% by default), so an index that shaves 1% off
 * queries another chosen index already serves is not added; and it must reach `minGainPct` of the
 * whole workload's time (0.3%, where Extend stops), so a 50 MB covering index that saves a
 * primary-key lookup 0.1 ms is not added either. A replacement adds only the size difference, so one wider index
 * that serves several queries beats several narrow ones. A new index counts at least `minIndexBytes`
 * (1 MiB) in that ratio, not in the budget: every index also costs planning time on each query of
 * its table, a pass of every VACUUM and one more object to build and watch, whatever its size. At
 * equal gain per byte, one general index then beats a family of tiny partial ones (one per literal
 * value: `WHERE country_code = 'JP'`, `… = 'CH'`, …). Afterwards an index whose removal would
 * lose less than its write cost (a later move made it redundant) is dropped. Under a budget, with
 * measuring, the chosen indexes that earn least per byte are then tried swapped out for what their
 * bytes buy (swap, below), and the greedy goes on from a swap that pays. Ties break on the
 * larger net gain, then the smaller size, then the candidate id: the result is deterministic.
 *
 * @example
 *   selectIndexes(
 *     [{ id: 'q1', weightMs: 900, costBefore: 1000, costWith: new Map([['a', 10]]) }],
 *     [{ id: 'a', table: 'public.orders', keys: ['customer_id'], sizeBytes: 2e6, writeCostMs: 5 }],
 *   ); // { chosen: ['a'], gainMs: 891, writeCostMs: 5, sizeBytes: 2000000, steps: [...] }
 */

import type { Step } from '../../engine/protocol.ts';

export interface SelectionQuery {
  id: string;
  /** Time the statement took in the window, ms (calls × mean). */
  weightMs: number;
  /** Estimated cost without any new index. */
  costBefore: number;
  /** Candidate id → estimated cost with that one index alone (only candidates the planner used). */
  costWith: ReadonlyMap<string, number>;
  /** Estimated costs with two or more indexes together where the group does better than any one
   * alone: a join that needs an index on each side, the second helping only once the first is
   * there; the arms of an OR, which the planner uses only all together (a BitmapOr). */
  pairCosts?: readonly { ids: readonly string[]; cost: number }[];
}

export interface SelectionCandidate {
  id: string;
  /** `schema.table`: replacements stay on one table. */
  table: string;
  /** Key parts in order, as comparable text (`customer_id`, `lower(email)`, `created_at DESC`). */
  keys: readonly string[];
  /** What else makes the index what it is (INCLUDE, WHERE, operator classes): a replacement keeps it. */
  variant?: string;
  sizeBytes: number;
  /** ms of index maintenance over the window (writes.ts). */
  writeCostMs: number;
}

export interface SelectionOptions {
  /** The chosen indexes together take at most this many bytes; null or undefined: no budget. */
  budgetBytes?: number | null;
  /** A move's net gain must reach this share of the time of the queries it speeds up, in percent. Default 20. */
  minImprovementPct?: number;
  /** A move's net gain must reach this share of the whole workload's time, in percent. Default 0.3. */
  minGainPct?: number;
  /** A new index counts at least this many bytes in the gain-per-byte ratio (not in the budget). Default 1 MiB. */
  minIndexBytes?: number;
}

export interface SelectionStep {
  /** The candidate added. */
  candidate: string;
  /** The other members of a group added with it (an OR's arms). */
  also?: string[];
  /** The chosen index it replaced (Extend), or null. */
  replaced: string | null;
  /** Net gain of the move: time saved minus added write cost, ms over the window. */
  netGainMs: number;
  /** Bytes the move added (a replacement: the difference). */
  addedBytes: number;
}

export interface Selection {
  /** Candidate ids, in the order they were (last) added. */
  chosen: string[];
  steps: SelectionStep[];
  /** Estimated time the chosen set saves the workload, ms over the window (the approximation). */
  gainMs: number;
  writeCostMs: number;
  sizeBytes: number;
  /** Some move that would have paid for itself was left out because it did not fit the budget. */
  budgetBound: boolean;
}

const MAX_ROUNDS = 10_000;

/**
 * Plans statements with a set of candidates in place, one estimated cost per statement (null: it
 * could not be planned). advise-workload.ts answers with hypopg (what-if-cache.ts).
 */
export type Measure = (set: readonly string[], queries: readonly SelectionQuery[]) => Step<(number | null)[]>;

/** The selection on the approximation alone (pure, no planning). */
export function selectIndexes(queries: readonly SelectionQuery[], candidates: readonly SelectionCandidate[], options: SelectionOptions = {}): Selection {
  const run = selection(queries, candidates, options, null);
  const step = run.next();
  if (!step.done) throw new Error('the approximate selection plans nothing');
  return step.value;
}

/**
 * The selection with every move decided on measured costs: each round ranks the moves by an
 * estimate, plans the statements each touches with the whole set that move makes, best estimate
 * first, until a measured move beats the next estimate (at most MAX_MEASURED_MOVES), and takes
 * the best by the measured costs. The
 * approximation cannot see what indexes do together beyond the groups measured per statement; a
 * plan with the whole set can (Extend and the other research algorithms cost every configuration
 * they consider the same way). Pruning is measured too.
 */
export function* measuredSelection(queries: readonly SelectionQuery[], candidates: readonly SelectionCandidate[], options: SelectionOptions, measure: Measure): Step<Selection> {
  const byRatio = yield* selection(queries, candidates, options, measure);
  if (options.budgetBytes == null || !byRatio.budgetBound) return byRatio;
  // Under a budget the greedy by gain per byte can fill it with small indexes and leave no room
  // for the one that would have served more (a knapsack's known weakness): the greedy by gain
  // alone runs too, on the same measured plans mostly (the caller's what-if cache), and the
  // better set wins. A budget that never turned a paying move away changed nothing: one run.
  const byGain = yield* selection(queries, candidates, options, measure, true);
  const net = (s: Selection) => s.gainMs - s.writeCostMs;
  return net(byGain) > net(byRatio) ? byGain : byRatio;
}

/** Under a budget: at most this many swaps (selection's swap), each of at most MAX_SWAP_TRIES moves per index taken out. */
export const MAX_SWAPS = 4;
export const MAX_SWAP_TRIES = 2;
/** The indexes tried out per swap: those that earn least per byte. */
export const MAX_SWAP_OUTS = 3;

/** At most this many moves planned per round, best estimates first: the planning stays bounded. */
export const MAX_MEASURED_MOVES = 8;

function* selection(queries: readonly SelectionQuery[], candidates: readonly SelectionCandidate[], options: SelectionOptions, measure: Measure | null, byGain = false): Step<Selection> {
  /** How a move ranks: its net gain per byte it adds, or (byGain) its net gain alone. */
  const weigh = (netGainMs: number, bytes: number): number => (byGain ? netGainMs : netGainMs / Math.max(bytes, 1));
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const sortedIds = [...byId.keys()].sort();
  const touching = new Map<string, SelectionQuery[]>(sortedIds.map((id) => [id, []]));
  for (const q of queries) {
    if (!(q.costBefore > 0) || !(q.weightMs > 0)) continue;
    const ids = new Set([...q.costWith.keys(), ...(q.pairCosts ?? []).flatMap((p) => p.ids)]);
    for (const id of ids) touching.get(id)?.push(q);
  }
  const minShare = (options.minImprovementPct ?? 20) / 100;
  const totalWeight = queries.reduce((sum, q) => (q.costBefore > 0 && q.weightMs > 0 ? sum + q.weightMs : sum), 0);
  const minGainMs = ((options.minGainPct ?? 0.3) / 100) * totalWeight;
  const budget = options.budgetBytes ?? Infinity;
  const minIndexBytes = options.minIndexBytes ?? 1024 * 1024;

  // Groups whose every member is a candidate, each once, in a stable order.
  const groups = [...new Map(queries.flatMap((q) => q.pairCosts ?? []).filter((g) => g.ids.every((id) => byId.has(id))).map((g) => [[...g.ids].sort().join('\u0000'), [...g.ids].sort()])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, ids]) => ids);

  const chosen = new Set<string>();
  const order: string[] = [];
  const steps: SelectionStep[] = [];
  let size = 0;
  let budgetBound = false;
  /** A move turned away by the budget: did it pay for its writes, by the estimate? */
  const refusedByBudget = (own: readonly string[], writeCost: number): void => {
    if (!budgetBound && rankingGain(chosen, own) > writeCost) budgetBound = true;
  };

  /** Gain (ms) for the queries touched by `ids`, under the set `set`. */
  const gainOver = (set: ReadonlySet<string>, ids: readonly string[]): number => compare(set, set, ids).toGain;

  // Measured costs, by statement and set (its ids sorted).
  const measured = new Map<SelectionQuery, Map<string, number>>();
  const setKey = (set: ReadonlySet<string>): string => [...set].sort().join('\u0000');
  const known = (q: SelectionQuery, set: ReadonlySet<string>): number | undefined => (set.size === 0 ? q.costBefore : measured.get(q)?.get(setKey(set)));
  /** The statement's cost with the set: measured when it was, else the approximation. */
  const costOf = (q: SelectionQuery, set: ReadonlySet<string>): number => Math.min(known(q, set) ?? Infinity, costWithSet(q, set));
  const touched = (ids: readonly string[]): SelectionQuery[] => [...new Set(ids.flatMap((id) => touching.get(id) ?? []))];
  /** Plans the statements `ids` touch with `set`, those not planned with it yet. */
  function* measureSet(set: ReadonlySet<string>, ids: readonly string[]): Step<void> {
    if (measure === null) return;
    const missing = touched(ids).filter((q) => known(q, set) === undefined);
    if (missing.length === 0) return;
    const costs = yield* measure([...set].sort(), missing);
    missing.forEach((q, n) => {
      const cost = costs[n];
      const perSet = measured.get(q) ?? new Map<string, number>();
      // Unplannable with the set: the approximation stands in.
      perSet.set(setKey(set), cost === null || cost === undefined ? costWithSet(q, set) : cost);
      measured.set(q, perSet);
    });
  }
  /**
   * A move's gain for ranking only, before it is planned: each statement it touches keeps the share
   * of its present cost that the move's own indexes leave of its cost without any (independent
   * savings). Optimistic where the chosen set already does the same work; measuring decides.
   */
  const rankingGain = (from: ReadonlySet<string>, own: readonly string[]): number => {
    const ownSet = new Set(own);
    let gain = 0;
    for (const q of touched(own)) {
      const present = costOf(q, from);
      const after = Math.min(costWithSet(q, new Set([...from, ...own])), (present * costWithSet(q, ownSet)) / q.costBefore);
      if (after < present) gain += (q.weightMs * (present - after)) / q.costBefore;
    }
    return gain;
  };
  /** Gain and the time left of the statements it speeds up, from `from` to `to`, on measured costs. */
  const measuredGain = (from: ReadonlySet<string>, to: ReadonlySet<string>, ids: readonly string[]): { gain: number; improvedWeight: number } => {
    let gain = 0;
    let improvedWeight = 0;
    for (const q of touched(ids)) {
      const before = costOf(q, from);
      const after = costOf(q, to);
      if (!(after < before)) continue;
      gain += (q.weightMs * (before - after)) / q.costBefore;
      // As in the estimate: a move that completes a measured group is judged on the time the
      // statement still takes, any other on its whole time.
      improvedWeight += completesPair(q, from, to) ? (q.weightMs * before) / q.costBefore : q.weightMs;
    }
    return { gain, improvedWeight };
  };

  /** From `from` to `to`, for the queries touched by `ids`: the gain (ms), the time the ones that got faster still took under `from`, and the whole gain of `to`. */
  const compare = (from: ReadonlySet<string>, to: ReadonlySet<string>, ids: readonly string[]): { gain: number; improvedWeight: number; toGain: number } => {
    const seen = new Set<SelectionQuery>();
    let gain = 0;
    let toGain = 0;
    let improvedWeight = 0;
    for (const id of ids) {
      for (const q of touching.get(id) ?? []) {
        if (seen.has(q)) continue;
        seen.add(q);
        const before = costWithSet(q, from);
        const after = costWithSet(q, to);
        gain += (q.weightMs * (before - after)) / q.costBefore;
        toGain += (q.weightMs * (q.costBefore - after)) / q.costBefore;
        // A move that completes a measured pair (the other side of a join) is judged on the time
        // the statement still takes with the first index, as per-query advice judges it; any other
        // move on the statement's whole time.
        if (after < before) improvedWeight += completesPair(q, from, to) ? (q.weightMs * before) / q.costBefore : q.weightMs;
      }
    }
    return { gain, improvedWeight, toGain };
  };

  /** The greedy rounds: the best move each round, while one pays. */
  function* grow(): Step<void> {
    // Moves whose measured gain did not pass beside the present set: not planned again until the
    // set changes (the next round then tries the next best estimates instead of stopping).
    const refuted = new Set<string>();
    const moveKey = (m: SelectionStep): string => [m.candidate, m.replaced ?? '', ...(m.also ?? [])].join('\u0000');
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let best: { move: SelectionStep; ratio: number } | null = null;
      let refutedNow = 0;
      // With measuring: every move the approximation finds worth anything, ranked; then decided on
      // measured costs below.
      const ranked: { move: SelectionStep; ratio: number; next: Set<string>; affected: string[]; writeCost: number; bytes: number }[] = [];
      for (const id of sortedIds) {
        if (chosen.has(id)) continue;
        const candidate = byId.get(id)!;
        const replaceable = [null, ...[...chosen].sort().filter((p) => extendsIndex(candidate, byId.get(p)!))];
        for (const replaced of replaceable) {
          const old = replaced === null ? null : byId.get(replaced)!;
          const next = new Set(chosen);
          next.add(id);
          if (replaced !== null) next.delete(replaced);
          const affected = replaced === null ? [id] : [id, replaced];
          const addedBytes = candidate.sizeBytes - (old?.sizeBytes ?? 0);
          const writeCost = candidate.writeCostMs - (old?.writeCostMs ?? 0);
          if (size + addedBytes > budget) {
            refusedByBudget([id], writeCost);
            continue;
          }
          const bytes = replaced === null ? Math.max(addedBytes, minIndexBytes) : addedBytes;
          if (measure !== null) {
            const gain = rankingGain(chosen, [id]);
            if (gain > 0) ranked.push({ move: { candidate: id, replaced, netGainMs: gain - writeCost, addedBytes }, ratio: weigh(gain - writeCost, bytes), next, affected, writeCost, bytes });
            continue;
          }
          const { gain, improvedWeight } = compare(chosen, next, affected);
          const netGainMs = gain - writeCost;
          if (!(netGainMs > 0) || netGainMs < minShare * improvedWeight || netGainMs < minGainMs) continue;
          const ratio = weigh(netGainMs, bytes);
          const move = { candidate: id, replaced, netGainMs, addedBytes };
          if (best === null || better({ move, ratio }, best)) best = { move, ratio };
        }
      }
      for (const group of groups) {
        const missing = group.filter((id) => !chosen.has(id));
        if (missing.length < 2) continue;
        const next = new Set([...chosen, ...missing]);
        const writeCost = missing.reduce((sum, id) => sum + byId.get(id)!.writeCostMs, 0);
        const addedBytes = missing.reduce((sum, id) => sum + byId.get(id)!.sizeBytes, 0);
        if (size + addedBytes > budget) {
          refusedByBudget(group, writeCost);
          continue;
        }
        const bytes = Math.max(addedBytes, minIndexBytes * missing.length);
        if (measure !== null) {
          const gain = rankingGain(chosen, group);
          if (gain > 0) ranked.push({ move: { candidate: missing[0]!, replaced: null, netGainMs: gain - writeCost, addedBytes, also: missing.slice(1) }, ratio: weigh(gain - writeCost, bytes), next, affected: missing, writeCost, bytes });
          continue;
        }
        const { gain, improvedWeight } = compare(chosen, next, missing);
        const netGainMs = gain - writeCost;
        if (!(netGainMs > 0) || netGainMs < minShare * improvedWeight || netGainMs < minGainMs) continue;
        const ratio = weigh(netGainMs, bytes);
        const move = { candidate: missing[0]!, replaced: null, netGainMs, addedBytes, also: missing.slice(1) };
        if (best === null || better({ move, ratio }, best)) best = { move, ratio };
      }
      if (measure !== null) {
        // Only the statements the move touches are planned: adding an index lowers no other
        // statement's cost in a way the approximation does not already know as zero.
        ranked.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
        // The estimate is mostly optimistic (independent savings), so once a measured move beats
        // the next one's estimate, planning further moves would not change the choice.
        for (const r of ranked.filter((x) => !refuted.has(moveKey(x.move))).slice(0, MAX_MEASURED_MOVES)) {
          if (best !== null && r.ratio < best.ratio) break;
          yield* measureSet(chosen, r.affected);
          yield* measureSet(r.next, r.affected);
          const { gain, improvedWeight } = measuredGain(chosen, r.next, r.affected);
          const netGainMs = gain - r.writeCost;
          if (!(netGainMs > 0) || netGainMs < minShare * improvedWeight || netGainMs < minGainMs) {
            refuted.add(moveKey(r.move));
            refutedNow++;
            continue;
          }
          const candidate = { move: { ...r.move, netGainMs }, ratio: weigh(netGainMs, r.bytes) };
          if (best === null || better(candidate, best)) best = candidate;
        }
      }
      // Every move planned this round was refuted: the next round plans the next best estimates.
      if (best === null && refutedNow > 0) continue;
      if (best === null) break;
      const { move } = best;
      refuted.clear();
      for (const id of move.also ?? []) {
        chosen.add(id);
        order.push(id);
      }
      if (move.replaced !== null) {
        chosen.delete(move.replaced);
        order.splice(order.indexOf(move.replaced), 1);
      }
      chosen.add(move.candidate);
      order.push(move.candidate);
      size += move.addedBytes;
      steps.push(move);
    }
  }

  /** An index a later move made (nearly) redundant no longer pays for its writes. */
  function* prune(): Step<void> {
    for (let pruned = true; pruned; ) {
      pruned = false;
      let weakest: { id: string; net: number } | null = null;
      for (const id of [...order].sort()) {
        const without = new Set(chosen);
        without.delete(id);
        yield* measureSet(chosen, [id]);
        yield* measureSet(without, [id]);
        const { gain, improvedWeight } = measure === null ? compare(without, chosen, [id]) : measuredGain(without, chosen, [id]);
        const net = gain - byId.get(id)!.writeCostMs;
        if ((net <= 0 || net < minShare * improvedWeight || net < minGainMs) && (weakest === null || net < weakest.net)) weakest = { id, net };
      }
      if (weakest !== null) {
        chosen.delete(weakest.id);
        order.splice(order.indexOf(weakest.id), 1);
        size -= byId.get(weakest.id)!.sizeBytes;
        pruned = true;
      }
    }
  }

  /**
   * Under a budget the greedy may fill it early with an index that keeps a better set out (the
   * knapsack's weakness; the gain-only run does not always mend it): the chosen indexes that earn
   * least per byte are tried out against the moves the bytes each frees make possible, best
   * estimates first, and the first
   * swap whose measured net change pays is taken (the greedy then goes on from the new set).
   */
  function* swap(): Step<boolean> {
    if (measure === null) return false;
    // The indexes that earn least for their bytes first (their costs without them were planned by prune).
    const without = (id: string) => new Set([...chosen].filter((c) => c !== id));
    const earns = (id: string) => (netChange(without(id), chosen, [id]) - byId.get(id)!.writeCostMs) / Math.max(byId.get(id)!.sizeBytes, minIndexBytes);
    const outs = [...order].sort().map((id) => ({ id, earns: earns(id) })).sort((x, y) => x.earns - y.earns).slice(0, MAX_SWAP_OUTS);
    for (const { id: out } of outs) {
      const outCandidate = byId.get(out)!;
      const rest = without(out);
      const freed = size - outCandidate.sizeBytes;
      const moves: { own: string[]; writeCost: number; addedBytes: number; ratio: number }[] = [];
      const consider = (own: string[]): void => {
        const addedBytes = own.reduce((sum, id) => sum + byId.get(id)!.sizeBytes, 0);
        if (freed + addedBytes > budget) return;
        const writeCost = own.reduce((sum, id) => sum + byId.get(id)!.writeCostMs, 0);
        const net = rankingGain(rest, own) - writeCost;
        if (net > 0) moves.push({ own, writeCost, addedBytes, ratio: weigh(net, Math.max(addedBytes, minIndexBytes * own.length)) });
      };
      for (const id of sortedIds) if (!chosen.has(id)) consider([id]);
      for (const group of groups) {
        const missing = group.filter((id) => !rest.has(id));
        if (missing.length >= 2 && !missing.includes(out)) consider(missing);
      }
      moves.sort((x, y) => y.ratio - x.ratio || (x.own.join('\u0000') < y.own.join('\u0000') ? -1 : 1));
      for (const move of moves.slice(0, MAX_SWAP_TRIES)) {
        const next = new Set([...rest, ...move.own]);
        const ids = [out, ...move.own];
        yield* measureSet(chosen, ids);
        yield* measureSet(next, ids);
        const net = netChange(chosen, next, ids) - (move.writeCost - outCandidate.writeCostMs);
        if (!(net > minGainMs)) continue;
        chosen.delete(out);
        order.splice(order.indexOf(out), 1);
        for (const id of move.own) {
          chosen.add(id);
          order.push(id);
        }
        size = freed + move.addedBytes;
        steps.push({ candidate: move.own[0]!, ...(move.own.length > 1 ? { also: move.own.slice(1) } : {}), replaced: out, netGainMs: net, addedBytes: move.addedBytes - outCandidate.sizeBytes });
        return true;
      }
    }
    return false;
  }
  /** The time the statements `ids` touch save from `from` to `to` (negative: they lose), on measured costs. */
  const netChange = (from: ReadonlySet<string>, to: ReadonlySet<string>, ids: readonly string[]): number =>
    touched(ids).reduce((sum, q) => sum + (q.weightMs * (costOf(q, from) - costOf(q, to))) / q.costBefore, 0);

  yield* grow();
  yield* prune();
  for (let swaps = 0; budgetBound && swaps < MAX_SWAPS && (yield* swap()); swaps++) {
    yield* grow();
    yield* prune();
  }

  const all = [...chosen];
  return {
    chosen: order,
    steps,
    gainMs: measure === null ? gainOver(chosen, all) : measuredGain(new Set(), chosen, all).gain,
    writeCostMs: all.reduce((sum, id) => sum + byId.get(id)!.writeCostMs, 0),
    sizeBytes: size,
    budgetBound,
  };
}

/** The estimated cost of `q` with the set: the best of its single-index and pair costs (the approximation). */
export function costWithSet(q: SelectionQuery, set: ReadonlySet<string>): number {
  let cost = q.costBefore;
  for (const [id, c] of q.costWith) if (set.has(id) && c < cost) cost = c;
  for (const group of q.pairCosts ?? []) if (group.ids.every((id) => set.has(id)) && group.cost < cost) cost = group.cost;
  return cost;
}

/** `to`'s cost for `q` comes from a pair that `from` did not hold whole. */
function completesPair(q: SelectionQuery, from: ReadonlySet<string>, to: ReadonlySet<string>): boolean {
  const after = costWithSet(q, to);
  return (q.pairCosts ?? []).some((p) => p.cost === after && p.ids.every((id) => to.has(id)) && !p.ids.every((id) => from.has(id)));
}

/** `candidate` extends `chosen`: same table and variant, and its keys start with all of chosen's. */
function extendsIndex(candidate: SelectionCandidate, chosen: SelectionCandidate): boolean {
  if (candidate.table !== chosen.table || (candidate.variant ?? '') !== (chosen.variant ?? '')) return false;
  if (chosen.keys.length >= candidate.keys.length) return false;
  return chosen.keys.every((key, n) => candidate.keys[n] === key);
}

function better(a: { move: SelectionStep; ratio: number }, b: { move: SelectionStep; ratio: number }): boolean {
  if (a.ratio !== b.ratio) return a.ratio > b.ratio;
  if (a.move.netGainMs !== b.move.netGainMs) return a.move.netGainMs > b.move.netGainMs;
  if (a.move.addedBytes !== b.move.addedBytes) return a.move.addedBytes < b.move.addedBytes;
  return a.move.candidate < b.move.candidate;
}
