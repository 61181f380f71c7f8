/**
 * A size as people write it on a command line: `500MB`, `2GB`, `1.5 GiB`, `1048576`. Units are
 * powers of 1024 as in postgresql.conf and pg_size_pretty (kB = 1024 bytes), whether written
 * kB, KB, K or KiB; case does not matter. Pure.
 *
 * @example
 *   parseSize('500MB')  // 524288000
 *   parseSize('2 gb')   // 2147483648
 *   parseSize('4096')   // 4096
 *   parseSize('lots')   // null
 */
const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Bytes (a whole number above 0), or null when `text` is not a size. */
export function parseSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  if (!match) return null;
  const [, number, prefix = '', suffix] = match;
  if (prefix === '' && suffix !== undefined && suffix.toLowerCase() !== 'b') return null; // "ib"
  const bytes = Math.round(Number(number) * UNITS[prefix.toLowerCase()]!);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}
