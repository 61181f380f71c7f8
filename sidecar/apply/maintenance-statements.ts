/**
 * The statements of a health recommendation OptiSchema may run on a production target itself:
 * statistics and maintenance (ANALYZE, VACUUM without FULL, CREATE/DROP STATISTICS), a table's
 * autovacuum storage parameters (ALTER TABLE … SET/RESET (…)), and server settings (ALTER SYSTEM
 * SET/RESET, then SELECT pg_reload_conf()). A stored text is input from outside like a rollback's
 * (rollback-index.ts): it is parsed with PostgreSQL's own parser and every statement must be one of
 * those shapes, or nothing runs. What these cannot do — rewrite a table (VACUUM FULL, a column's
 * type), add a primary key — stays a step for a person, with its lock said in the recommendation.
 */
import { parse } from 'libpg-query';
import { ApplyError } from './apply-errors.ts';

/** One statement to run, as its own text (its own transaction: VACUUM cannot run inside one). */
export interface MaintenanceStatement {
  sql: string;
  /** What it is, for messages and the advisory lock: "VACUUM public.t", "ALTER SYSTEM work_mem". */
  what: string;
}

type Node = Record<string, unknown>;
interface RawStatement {
  stmt: Record<string, Node>;
  stmt_location?: number;
  stmt_len?: number;
}

/** The storage parameters a health recommendation may set on a table: autovacuum's own, nothing that rewrites it. */
const TABLE_OPTIONS = /^(toast\.)?autovacuum_[a-z_]+$/;

/**
 * @example
 *   await maintenanceStatements("VACUUM (ANALYZE) public.t; ALTER SYSTEM SET work_mem = '64MB'; SELECT pg_reload_conf();")
 *   // [{ sql: 'VACUUM (ANALYZE) public.t', what: 'VACUUM public.t' }, { sql: "ALTER SYSTEM SET work_mem = '64MB'", what: 'ALTER SYSTEM work_mem' }, …]
 */
export async function maintenanceStatements(text: string): Promise<MaintenanceStatement[]> {
  let parsed: { stmts?: RawStatement[] };
  try {
    parsed = (await parse(text)) as { stmts?: RawStatement[] };
  } catch (error) {
    throw new ApplyError('failed', `refusing to run a statement PostgreSQL's parser rejects: ${(error as Error).message}`);
  }
  const statements = (parsed.stmts ?? []).map((raw) => {
    const start = raw.stmt_location ?? 0;
    const sql = text.slice(start, raw.stmt_len ? start + raw.stmt_len : undefined).trim();
    return { sql: withoutLeadingComments(sql), what: describe(raw.stmt, sql) };
  });
  if (statements.length === 0) throw new ApplyError('failed', 'nothing to run: the recommendation holds only comments (steps to follow by hand)');
  return statements;
}

function withoutLeadingComments(sql: string): string {
  return sql.replace(/^(\s*--[^\n]*\n)+/, '').trim();
}

function describe(stmt: Record<string, Node>, sql: string): string {
  const [type, node] = Object.entries(stmt)[0] ?? [];
  const refuse = (why: string): never => {
    throw new ApplyError('failed', `refusing to run ${JSON.stringify(sql.slice(0, 120))}: ${why}`);
  };
  if (!type || !node) return refuse('not a statement');
  switch (type) {
    case 'VacuumStmt': {
      const options = ((node.options as Node[] | undefined) ?? []).map((o) => String((o.DefElem as Node).defname));
      const bad = options.filter((o) => !['analyze', 'verbose', 'skip_locked', 'parallel', 'index_cleanup', 'process_toast', 'truncate'].includes(o));
      if (bad.length) return refuse(`VACUUM ${bad.join(', ').toUpperCase()} rewrites or locks the table; run it yourself in a maintenance window`);
      return `${node.is_vacuumcmd ? 'VACUUM' : 'ANALYZE'} ${relations(node.rels as Node[] | undefined, 'VacuumRelation') || refuse('name the table')}`;
    }
    case 'CreateStatsStmt':
      return `CREATE STATISTICS ${names(node.defnames as Node[])}`;
    case 'DropStmt':
      if (node.removeType !== 'OBJECT_STATISTIC_EXT') return refuse('only DROP STATISTICS is run here');
      return 'DROP STATISTICS';
    case 'AlterTableStmt': {
      const cmds = (node.cmds as Node[]).map((c) => c.AlterTableCmd as Node);
      for (const cmd of cmds) {
        if (cmd.subtype !== 'AT_SetRelOptions' && cmd.subtype !== 'AT_ResetRelOptions') return refuse('only ALTER TABLE … SET/RESET (autovacuum parameters) is run here');
        for (const item of (((cmd.def as Node).List as Node).items as Node[])) {
          const name = `${(item.DefElem as Node).defnamespace ? `${String((item.DefElem as Node).defnamespace)}.` : ''}${String((item.DefElem as Node).defname)}`;
          if (!TABLE_OPTIONS.test(name)) return refuse(`the storage parameter ${name} is not an autovacuum setting`);
        }
      }
      const rel = node.relation as Node;
      return `ALTER TABLE ${rel.schemaname ?? ''}.${String(rel.relname)}`;
    }
    case 'AlterSystemStmt':
      return `ALTER SYSTEM ${String(((node.setstmt as Node).name as string | undefined) ?? refuse('ALTER SYSTEM RESET ALL is not run here'))}`;
    case 'SelectStmt': {
      const targets = (node.targetList as Node[] | undefined) ?? [];
      const call = targets.length === 1 ? ((targets[0]!.ResTarget as Node).val as Node | undefined)?.FuncCall as Node | undefined : undefined;
      const only = Object.keys(node).every((k) => ['targetList', 'limitOption', 'op'].includes(k));
      const fname = (call?.funcname as Node[] | undefined)?.map((n) => (n.String as Node).sval).join('.');
      if (!only || !call || call.args || (fname !== 'pg_reload_conf' && fname !== 'pg_catalog.pg_reload_conf')) return refuse('the only SELECT run here is SELECT pg_reload_conf()');
      return 'SELECT pg_reload_conf()';
    }
    default:
      return refuse(`${type.replace(/Stmt$/, '')} is not a statement OptiSchema runs for a health recommendation`);
  }
}

function relations(rels: Node[] | undefined, key: string): string {
  return (rels ?? []).map((r) => {
    const rel = ((r[key] as Node).relation ?? r[key]) as Node;
    return `${rel.schemaname ? `${String(rel.schemaname)}.` : ''}${String(rel.relname)}`;
  }).join(', ');
}

const names = (list: Node[]): string => list.map((n) => String((n.String as Node).sval)).join('.');
