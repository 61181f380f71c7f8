/**
 * Covering versions of the pool's candidates: a pooled btree index that serves a statement, with
 * INCLUDE of the columns the statement reads from that table, so the scans that use it can be
 * index-only (`lineitem (l_orderkey) INCLUDE (l_quantity)` for a GROUP BY l_orderkey summing
 * l_quantity, and for the lookups of the same join). Per-statement candidates come from one
 * scan's conditions at a time; these come from what the whole statement reads of a table
 * (pool.ts, tableUses). Each is costed on the statement it was made for and pooled when it cuts
 * the cost the plain index leaves by the threshold; cross-evaluation then costs it on the other
 * statements, and the selection may take it in place of the plain one.
 *
 * Wider keys grown the same way (Extend's extension by one attribute: `(l_orderkey)` →
 * `(l_orderkey, l_shipdate)`) were tried on TPC-H and left out: the per-scan candidates already
 * hold the composites the conditions call for, and the grown ones displaced better plain indexes
 * under a budget.
 */
import type { IndexCandidate } from '../candidates/index-candidate.ts';
import { indexDdl } from '../candidates/index-names.ts';
import { quoteIdent } from '../../engine/quote-ident.ts';

/** At most this many INCLUDE columns: wider entries cost more than an index-only scan saves. */
export const MAX_COVERING_INCLUDE = 3;

/** What a statement does with one table: the columns it filters, joins or sorts on, and those it reads. */
export interface TableUse {
  keys: ReadonlySet<string>;
  reads: ReadonlySet<string>;
}

/** The covering variant of `base` for one statement's use of its table, or none. */
export function coveringCandidate(base: IndexCandidate, use: TableUse): { candidate: IndexCandidate; ddl: string } | null {
  if ((base.method ?? 'btree') !== 'btree' || base.predicate !== undefined || base.include !== undefined || base.uncertainty !== undefined) return null;
  const inKeys = new Set(base.keys.flatMap((k) => (k.column === undefined ? [] : [k.column])));
  const include = [...use.reads].filter((c) => !inKeys.has(c)).sort();
  if (include.length === 0 || include.length > MAX_COVERING_INCLUDE) return null;
  const candidate: IndexCandidate = {
    schema: base.schema,
    table: base.table,
    keys: base.keys,
    include,
    reason: `${base.reason}; INCLUDE ${include.map(quoteIdent).join(', ')}, the columns the statement reads from the table, so its scans can be index-only`,
  };
  return { candidate, ddl: indexDdl(candidate, { concurrently: false }) };
}
