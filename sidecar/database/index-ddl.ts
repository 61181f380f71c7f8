/**
 * The parts of a CREATE INDEX statement as the index advisor writes it: it always names its index
 * and schema-qualifies its table (plv8/advisor/candidates/index-names.ts), so a regular expression
 * over that one shape is enough; anything else is refused rather than guessed at.
 */
import { unquoteIdent } from '../../plv8/engine/quote-ident.ts';

export interface IndexDdl {
  /** The index's name as PostgreSQL stores it. */
  index: string;
  schema: string;
  table: string;
  /** Whether the statement says CONCURRENTLY. */
  concurrently: boolean;
  /** Everything after `ON schema.table`: USING, the keys, INCLUDE, WHERE. */
  rest: string;
}

const IDENT = '("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)';
const DDL = new RegExp(
  `^\\s*create\\s+(?:unique\\s+)?index\\s+(concurrently\\s+)?(?:if\\s+not\\s+exists\\s+)?${IDENT}\\s+on\\s+(?:only\\s+)?${IDENT}\\s*\\.\\s*${IDENT}`,
  'i',
);

/**
 * @example
 *   parseIndexDdl('CREATE INDEX CONCURRENTLY "Orders_idx" ON public.orders (customer_id)')
 *   // { index: 'Orders_idx', schema: 'public', table: 'orders', concurrently: true, rest: ' (customer_id)' }
 */
export function parseIndexDdl(ddl: string): IndexDdl {
  const m = DDL.exec(ddl);
  if (!m) throw new Error(`not a CREATE INDEX statement that names its index on a schema-qualified table: ${ddl}`);
  return { concurrently: m[1] !== undefined, index: unquote(m[2]!), schema: unquote(m[3]!), table: unquote(m[4]!), rest: ddl.slice(m[0].length) };
}

/** A name as the DDL writes it, as PostgreSQL stores it (a bare one folded to lower case). */
const unquote = (name: string): string => unquoteIdent(name.startsWith('"') ? name : name.toLowerCase());

/**
 * The statement as a sandbox builds it: without CONCURRENTLY (nobody else writes there, and a
 * concurrent build is twice the work), and with IF NOT EXISTS when asked.
 *
 *   plainIndexDdl('CREATE INDEX CONCURRENTLY i ON s.t (c)', { ifNotExists: true }) // 'CREATE INDEX IF NOT EXISTS i ON s.t (c)'
 */
export function plainIndexDdl(ddl: string, options: { ifNotExists?: boolean } = {}): string {
  return ddl.replace(/^\s*create\s+(unique\s+)?index\s+(?:concurrently\s+)?(if\s+not\s+exists\s+)?/i, (_m, unique: string | undefined, ifNotExists: string | undefined) =>
    `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${options.ifNotExists || ifNotExists ? 'IF NOT EXISTS ' : ''}`);
}
