/**
 * A connection's `nodes`, without the nulls PostGraphile's types allow (a row the caller may not
 * read). Undefined stays undefined: "not loaded" is not "empty".
 */
export function nodesOf<T>(nodes: readonly (T | null)[] | null | undefined): T[] | undefined {
  return nodes?.filter((node): node is T => node !== null);
}
