/**
 * Which table a column reference belongs to, decided the way PostgreSQL's name resolution would:
 * by its qualifier, or, unqualified, by the one table of the scope that has a column of that name
 * (the catalog's column lists). Anything the rules cannot place for certain — a reference with a
 * schema, a name two tables share, an unknown table — is "unresolved", and a rule treats it as a
 * reason to refuse or to keep the expression where it was.
 */
import { columnRef, sqlName, type Node, type RangeRef } from './ast.ts';
import type { RewriterCatalog } from './catalog.ts';

export interface Scope {
  tables: RangeRef[];
  /** The table a reference resolves to, or null when it cannot be told. */
  ownerOf(ref: Node): RangeRef | null;
  /** Every table has a column of this name (for names a rewrite would introduce). */
  anyHas(column: string): boolean;
}

/** The scope of some tables, with each one's columns read from the catalog; null when a table is unknown. */
export async function scopeOf(tables: RangeRef[], catalog: RewriterCatalog): Promise<Scope | null> {
  const columns = await Promise.all(tables.map((t) => catalog.columns(sqlName(t))));
  if (columns.some((c) => c === null)) return null;
  const sets = columns.map((c) => new Set(c));
  return {
    tables,
    ownerOf(node) {
      const ref = columnRef(node);
      if (!ref) return null;
      const candidates = tables.filter((t, i) => (ref.qualifier === undefined ? sets[i]!.has(ref.column) : t.ref === ref.qualifier && sets[i]!.has(ref.column)));
      return candidates.length === 1 ? candidates[0]! : null;
    },
    anyHas: (column) => sets.some((s) => s.has(column)),
  };
}

/** Calls `visit` with the fields of every ColumnRef in a tree, nested subqueries included (it may change them). */
export function visitColumnRefs(node: unknown, visit: (fields: Node[]) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visitColumnRefs(item, visit);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'ColumnRef') visit((value as Node).fields);
      visitColumnRefs(value, visit);
    }
  }
}

/** Every ColumnRef in a tree, nested subqueries included. */
export function columnRefsIn(node: unknown): Node[] {
  const out: Node[] = [];
  visitColumnRefs(node, (fields) => out.push({ ColumnRef: { fields } }));
  return out;
}

/** The tree holds a node of this type somewhere (a function call, a subquery). */
export function contains(node: unknown, type: string): boolean {
  return JSON.stringify(node ?? null).includes(`"${type}":`);
}

/** `*` unqualified: every column of every table in scope, so adding a table would change the output. */
export function selectsStar(targetList: Node[] | undefined): boolean {
  return (targetList ?? []).some((t) => {
    const fields = t.ResTarget?.val?.ColumnRef?.fields as Node[] | undefined;
    return fields?.length === 1 && fields[0]!.A_Star !== undefined;
  });
}
