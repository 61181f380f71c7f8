import { parse } from 'libpg-query';
import { deparse } from 'pgsql-deparser';
import type { Queryable } from '../../database/queryable.ts';
import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';

/** A model's CREATE INDEX, checked and written the way OptiSchema writes its own. */
export type IndexProposalCheck =
  | { ok: true; ddl: string; schema: string; table: string; index: string }
  | { ok: false; reason: string };

interface IndexStmtNode {
  idxname?: string;
  relation?: { schemaname?: string; relname?: string; inh?: boolean };
  concurrent?: boolean;
  unique?: boolean;
  if_not_exists?: boolean;
}

/**
 * A model wrote this text, so it is data until PostgreSQL's parser says otherwise: exactly one
 * statement, a CREATE INDEX (not UNIQUE: a unique index changes what the application may write),
 * on a table that exists. The result names its index, qualifies its table with the schema the
 * catalog found and builds CONCURRENTLY (a partitioned table cannot), so a verified proposal
 * becomes a recommendation like the engine's. Anything else is refused with the reason.
 *
 * @example
 *   await checkIndexProposal(db, 'create index on orders (customer_id)');
 *   // { ok: true, ddl: 'CREATE INDEX CONCURRENTLY orders_customer_id_ai_idx ON public.orders (customer_id)', … }
 */
export async function checkIndexProposal(db: Queryable, text: string): Promise<IndexProposalCheck> {
  let tree: { stmts?: { stmt: Record<string, unknown> }[] };
  try {
    tree = (await parse(text)) as typeof tree;
  } catch (error) {
    return { ok: false, reason: `not valid SQL: ${(error as Error).message}` };
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length !== 1) return { ok: false, reason: `expected exactly one CREATE INDEX statement, found ${stmts.length} statements` };
  const node = stmts[0]!.stmt.IndexStmt as IndexStmtNode | undefined;
  if (!node) return { ok: false, reason: `not a CREATE INDEX statement (${Object.keys(stmts[0]!.stmt)[0] ?? 'unknown'})` };
  if (node.unique) return { ok: false, reason: 'a UNIQUE index changes what the application may write; OptiSchema proposes only plain indexes' };
  const relation = node.relation;
  if (!relation?.relname) return { ok: false, reason: 'the statement names no table' };
  const name = relation.schemaname ? `${quoteIdent(relation.schemaname)}.${quoteIdent(relation.relname)}` : quoteIdent(relation.relname);
  const { rows } = await db.query<{ schema: string; table: string; kind: string }>(
    `select n.nspname as schema, c.relname as table, c.relkind::text as kind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.oid = to_regclass($1)`,
    [name],
  );
  const found = rows[0];
  if (!found) return { ok: false, reason: `no table ${relation.schemaname ? `${relation.schemaname}.` : ''}${relation.relname} in the database` };
  if (!['r', 'p', 'm'].includes(found.kind)) return { ok: false, reason: `${found.schema}.${found.table} is not a table or materialized view` };
  const index = node.idxname ?? aiIndexName(found.table, text);
  const written: IndexStmtNode = {
    ...node,
    idxname: index,
    relation: { ...relation, schemaname: found.schema, relname: found.table },
    concurrent: found.kind !== 'p',
    if_not_exists: false,
  };
  const ddl = await deparse({ ...(tree as object), stmts: [{ stmt: { IndexStmt: written } }] } as never);
  return { ok: true, ddl: ddl.trim().replace(/;$/, ''), schema: found.schema, table: found.table, index };
}

/** `<table>_ai_<hash>_idx`: deterministic for the same text, within 63 bytes. */
function aiIndexName(table: string, text: string): string {
  let hash = 0;
  for (const ch of text) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  return `${table.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 40)}_ai_${hash.toString(16)}_idx`;
}
