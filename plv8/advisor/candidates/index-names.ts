/**
 * Names and DDL for an index candidate: a readable, deterministic name within PostgreSQL's 63-byte
 * identifier limit, and the CREATE / DROP statements with every identifier quoted where needed.
 *
 * @example
 *   const c = { schema: 'public', table: 'orders', keys: [{ column: 'customer_id' }, { column: 'status' }], reason: '' };
 *   indexName(c);                            // 'orders_customer_id_status_idx'
 *   indexDdl(c, { concurrently: true });     // 'CREATE INDEX CONCURRENTLY orders_customer_id_status_idx ON public.orders (customer_id, status)'
 *   rollbackDdl(c);                          // 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_status_idx'
 */
import type { IndexCandidate } from './index-candidate.ts';
import { quoteIdent } from '../../engine/quote-ident.ts';

export { quoteIdent };

/** PostgreSQL's NAMEDATALEN - 1: longer identifiers are silently truncated by the server. */
export const MAX_IDENTIFIER_BYTES = 63;

/** `<table>_<key>_<key>_idx`, lower-case ASCII, at most 63 bytes (a stable hash replaces the overflow). */
export function indexName(c: IndexCandidate): string {
  const parts = [
    slug(c.table),
    ...(c.method && c.method !== 'btree' ? [c.method] : []),
    ...c.keys.map((k) => slug(k.column ?? k.expression ?? '') + (k.opclass ? `_${k.opclass === 'text_pattern_ops' ? 'pattern' : slug(k.opclass)}` : '') + (k.descending ? '_desc' : '') + nullsSlug(k)),
    ...(c.include && c.include.length > 0 ? ['incl', ...c.include.map(slug)] : []),
    ...(c.predicate ? ['where', slug(c.predicate.replace(/::[a-z ]+/g, ''))] : []),
  ];
  const base = parts.join('_');
  const full = `${base}_idx`;
  if (full.length <= MAX_IDENTIFIER_BYTES) return full;
  const hash = shortHash(`${c.schema}\u0000${c.table}\u0000${JSON.stringify([c.keys, c.include ?? [], c.predicate ?? ''])}`);
  const room = MAX_IDENTIFIER_BYTES - '_idx'.length - hash.length - 1;
  return `${base.slice(0, room).replace(/_+$/, '')}_${hash}_idx`;
}

export interface IndexDdlOptions {
  /** CREATE INDEX CONCURRENTLY: no write lock on the table, but it cannot run inside a transaction
   * block, and PostgreSQL (15 to 17) cannot build an index on a partitioned table concurrently. */
  concurrently: boolean;
}

/** The CREATE INDEX statement for a candidate, under `indexName(c)`. */
export function indexDdl(c: IndexCandidate, options: IndexDdlOptions): string {
  const keys = c.keys.map((k) => {
    const key = k.column !== undefined ? quoteIdent(k.column) : `(${k.expression ?? ''})`;
    const nulls = k.nullsFirst === undefined ? '' : k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
    return `${key}${k.opclass ? ` ${k.opclass}` : ''}${k.descending ? ' DESC' : ''}${nulls}`;
  });
  const using = c.method && c.method !== 'btree' ? ` USING ${c.method}` : '';
  const concurrently = options.concurrently ? 'CONCURRENTLY ' : '';
  const include = c.include && c.include.length > 0 ? ` INCLUDE (${c.include.map(quoteIdent).join(', ')})` : '';
  const where = c.predicate ? ` WHERE ${c.predicate}` : '';
  return `CREATE INDEX ${concurrently}${quoteIdent(indexName(c))} ON ${quoteIdent(c.schema)}.${quoteIdent(c.table)}${using} (${keys.join(', ')})${include}${where}`;
}

/** Undoes `indexDdl`: the index lives in the table's schema. */
export function rollbackDdl(c: IndexCandidate, options: IndexDdlOptions = { concurrently: true }): string {
  return `DROP INDEX ${options.concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${quoteIdent(c.schema)}.${quoteIdent(indexName(c))}`;
}

function nullsSlug(k: { nullsFirst?: boolean }): string {
  return k.nullsFirst === undefined ? '' : k.nullsFirst ? '_nulls_first' : '_nulls_last';
}

/** Lower-case ASCII letters, digits and single underscores; a hash when nothing readable is left. */
export function slug(text: string): string {
  const readable = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return readable === '' ? `x${shortHash(text)}` : readable;
}

/** FNV-1a (32-bit) in base 36, 6 characters: stable across runs and hosts, no crypto needed. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0').slice(-6);
}
