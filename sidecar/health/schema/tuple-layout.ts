/**
 * How many bytes a heap tuple's columns take, with the padding alignment adds: the model behind
 * column_padding and table_bloat. It follows heap_fill_tuple (src/backend/access/common/heaptuple.c):
 *
 *  - The tuple header is 23 bytes, plus a null bitmap of one bit per column when the row has a null,
 *    rounded up to MAXALIGN (8 on every 64-bit platform PostgreSQL supports): 24 bytes for up to 8
 *    columns. The data area starts there, so it starts 8-aligned whatever the column order.
 *  - A fixed-width column (attlen > 0) starts at the next multiple of its alignment (attalign
 *    c/s/i/d = 1/2/4/8) and takes attlen bytes.
 *  - A variable-length column takes its average stored width, pg_stats.avg_width (an estimate from
 *    ANALYZE's sample, header included). A value up to 127 bytes gets a 1-byte header and no
 *    alignment; a longer one a 4-byte header aligned to attalign (4 for text, bytea, jsonb…).
 *    An average mixes both kinds: the model treats every value as the average one.
 *  - Nulls take no space; the model assumes a row without nulls (the worst case for padding, and
 *    the null bitmap costs the same in either order).
 *  - The whole tuple is rounded up to MAXALIGN on the page, so a saving on disk is the difference of
 *    the two data sizes each rounded up to 8; pg_column_size of a row measures the data size unrounded.
 */
export const MAXALIGN = 8;
export const TUPLE_HEADER_BYTES = 23;
/** VARATT_SHORT_MAX: the longest value (1-byte header included) stored with a short header. */
export const SHORT_VARLENA_MAX_BYTES = 127;

const ALIGNMENT = { c: 1, s: 2, i: 4, d: 8 } as const;

export interface LayoutColumn {
  name: string;
  attlen: number;
  attalign: 'c' | 's' | 'i' | 'd';
  avgWidth: number | null;
}

export function alignUp(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}

/** The header with its null bitmap, MAXALIGNed: where the data area starts. */
export function headerBytes(columnCount: number, hasNulls: boolean): number {
  return alignUp(TUPLE_HEADER_BYTES + (hasNulls ? Math.ceil(columnCount / 8) : 0), MAXALIGN);
}

/** Bytes and alignment of one column's value; null for a variable-length column without statistics. */
export function columnSlot(column: LayoutColumn): { bytes: number; alignment: number } | null {
  if (column.attlen > 0) return { bytes: column.attlen, alignment: ALIGNMENT[column.attalign] };
  if (column.avgWidth === null) return null;
  const short = column.avgWidth <= SHORT_VARLENA_MAX_BYTES;
  return { bytes: column.avgWidth, alignment: short ? 1 : ALIGNMENT[column.attalign] };
}

/**
 * The data area's size in this column order, padding included; null when a variable-length
 * column has no statistics yet.
 *
 * @example dataBytes([bool, int8]) === 16 (1 byte, 7 of padding, 8 bytes)
 */
export function dataBytes(columns: readonly LayoutColumn[]): number | null {
  let offset = 0;
  for (const column of columns) {
    const slot = columnSlot(column);
    if (slot === null) return null;
    offset = alignUp(offset, slot.alignment) + slot.bytes;
  }
  return offset;
}

/**
 * The order with least padding the usual rule gives: fixed-width columns by alignment 8, 4, 2, 1
 * (keeping their order within a group), then the variable-length ones in their current order.
 */
export function bestOrder<C extends LayoutColumn>(columns: readonly C[]): C[] {
  const fixed = columns.filter((c) => c.attlen > 0);
  const variable = columns.filter((c) => c.attlen <= 0);
  const byAlignment = [...fixed].sort((a, b) => ALIGNMENT[b.attalign] - ALIGNMENT[a.attalign]);
  return [...byAlignment, ...variable];
}
