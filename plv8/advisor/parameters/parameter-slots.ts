/**
 * Where each `$n` of a normalized text stands, read off its generic plan: compared with which
 * column and how, in a LIMIT or OFFSET, or nowhere that changes a row estimate (the select list,
 * a CASE result). Pure: plan JSON and text in, plain data out.
 *
 * Glossary
 * - slot: one parameter's place. A `column` slot is an operand of a comparison with a column the
 *   plan scans (`(o.customer_id = $1)`, `(o.id <= ($2 + $3))`, `= ANY (ARRAY[$1, $2])`): the
 *   column's statistics can suggest values for it. In `($2 + $3)` the first operand takes the
 *   value and the others the operation's neutral element (`0` for + and -, `1` for * and /), so
 *   the sum is a value of the column.
 * - unbound: a parameter that occurs in a scan's condition but not as a plain operand against a
 *   column (`lower(email) = $1`, `col ~~ $1`), or in another node's condition (`HAVING sum(q) >
 *   $1`): no statistics speak for it.
 *
 * PostgreSQL 15 prints the outputs of InitPlans and SubPlans as `$n` too; a number higher than the
 * statement's parameter count is one of those and is ignored, and a lower one bound twice keeps its
 * first place.
 */
import { analyzeCondition } from '../../plan/conditions.ts';
import { EXPLAIN } from '../../plan/explain-keys.ts';
import { planScans, rootPlan } from '../../plan/plan-scans.ts';
import { textTokens } from '../../engine/statement-text.ts';
import { unquoteIdent } from '../../engine/quote-ident.ts';

export type SlotKind = 'equality' | 'lower' | 'upper' | 'limit' | 'offset' | 'neutral' | 'unbound';

export interface ParameterSlot {
  /** The parameter's number: 1 for `$1`. */
  n: number;
  kind: SlotKind;
  /** For equality, lower and upper: the column compared with. */
  column?: { schema: string; table: string; column: string };
  /** A later operand of arithmetic: takes this neutral value instead of the column's. */
  neutral?: string;
}

const PARAMETER = /\$(\d+)/g;

/** One slot per parameter 1…`count`. */
export function parameterSlots(plan: unknown, text: string, count: number): ParameterSlot[] {
  const slots = new Map<number, ParameterSlot>();
  const set = (slot: ParameterSlot): void => {
    if (slot.n < 1 || slot.n > count) return;
    const seen = slots.get(slot.n);
    if (seen === undefined || (seen.kind === 'unbound' && slot.kind !== 'unbound')) slots.set(slot.n, slot);
  };
  for (const scan of planScans(plan).scans) {
    for (const condition of [scan.indexCond, scan.recheckCond, scan.filter]) {
      if (condition === undefined) continue;
      const bound = new Set<number>();
      const analysis = analyzeCondition(condition);
      // An OR's arms bind their parameters as AND-ed atoms do (`assignee_id = $1 OR reporter_id = $1`).
      for (const atom of [...analysis.atoms, ...analysis.ors.flatMap((group) => group.arms.flat())]) {
        if (atom.constant === undefined || (atom.alias !== null && atom.alias !== scan.alias)) continue;
        const numbers = [...atom.constant.matchAll(PARAMETER)].map((m) => Number(m[1]));
        if (numbers.length === 0) continue;
        const kind = atom.column === null ? 'unbound' : slotKind(atom.operator);
        const column = atom.column === null ? undefined : { schema: scan.schema, table: scan.relation, column: atom.column };
        numbers.forEach((n, i) => {
          bound.add(n);
          if (kind === 'unbound' || column === undefined) return set({ n, kind: 'unbound' });
          set(i === 0 ? { n, kind, column } : { n, kind, column, neutral: neutralBefore(atom.constant!, n) });
        });
      }
      // `col = ANY (ARRAY[$1, $2])`: an IN list of parameters, each a value of the column.
      for (const m of condition.matchAll(/\(?([A-Za-z_][\w$]*|"(?:[^"]|"")+")\.([A-Za-z_][\w$]*|"(?:[^"]|"")+")\)?(?:::[\w ]+)? = ANY \(ARRAY\[([^\]]*)\]/g)) {
        if (unquoteIdent(m[1]!) !== scan.alias) continue;
        const column = { schema: scan.schema, table: scan.relation, column: unquoteIdent(m[2]!) };
        for (const p of m[3]!.matchAll(PARAMETER)) {
          bound.add(Number(p[1]));
          set({ n: Number(p[1]), kind: 'equality', column });
        }
      }
      for (const m of condition.matchAll(PARAMETER)) if (!bound.has(Number(m[1]))) set({ n: Number(m[1]), kind: 'unbound' });
    }
  }
  for (const { n, kind } of pagingParameters(text)) set({ n, kind });
  // A parameter in any other node's condition (HAVING's Filter on an Agg, a Join Filter, a
  // One-Time Filter) changes row estimates as much as a scan's would, but no column's statistics
  // speak for it: unbound, not neutral (a NULL there empties the result and the plan with it).
  for (const condition of otherConditions(plan)) {
    for (const m of condition.matchAll(PARAMETER)) if (!slots.has(Number(m[1]))) set({ n: Number(m[1]), kind: 'unbound' });
  }
  const out: ParameterSlot[] = [];
  for (let n = 1; n <= count; n++) out.push(slots.get(n) ?? { n, kind: 'neutral' });
  return out;
}

const CONDITION_KEYS = [EXPLAIN.filter, EXPLAIN.joinFilter, EXPLAIN.hashCond, EXPLAIN.mergeCond, EXPLAIN.indexCond, EXPLAIN.recheckCond, EXPLAIN.oneTimeFilter] as const;

/** Every condition of every plan node (scans included: their parameters are bound first). */
function otherConditions(plan: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const key of CONDITION_KEYS) if (typeof record[key] === 'string') out.push(record[key] as string);
    const children = record[EXPLAIN.plans];
    if (Array.isArray(children)) children.forEach(visit);
  };
  visit(rootPlan(plan));
  return out;
}

function slotKind(operator: string): SlotKind {
  if (operator === '>' || operator === '>=') return 'lower';
  if (operator === '<' || operator === '<=') return 'upper';
  return operator === '=' ? 'equality' : 'unbound';
}

/** The neutral element for `$n` in an arithmetic constant: 1 after * or /, else 0. */
function neutralBefore(constant: string, n: number): string {
  const at = constant.indexOf(`$${n}`);
  const before = constant.slice(0, at).replace(/[\s(]+$/, '');
  return before.endsWith('*') || before.endsWith('/') ? '1' : '0';
}

/** `LIMIT $n`, `OFFSET $n`, `FETCH FIRST $n`: parameters that size the result, from the text. */
function pagingParameters(text: string): { n: number; kind: 'limit' | 'offset' }[] {
  const tokens = textTokens(text).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const word = (i: number): string => (tokens[i]?.kind === 'word' ? text.slice(tokens[i]!.start, tokens[i]!.end).toLowerCase() : '');
  const out: { n: number; kind: 'limit' | 'offset' }[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'parameter') return;
    const n = Number(text.slice(t.start + 1, t.end));
    if (word(i - 1) === 'limit' || ((word(i - 1) === 'first' || word(i - 1) === 'next') && word(i - 2) === 'fetch')) out.push({ n, kind: 'limit' });
    else if (word(i - 1) === 'offset') out.push({ n, kind: 'offset' });
  });
  return out;
}
