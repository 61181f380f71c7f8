/**
 * Undoing an applied index with the rollbackSql applyIndex returned. That text is stored (in a
 * recommendation's history) and read back later, so it is treated as input from outside: it must
 * be exactly `DROP INDEX [CONCURRENTLY] IF EXISTS schema.name`, and what runs is that statement
 * rebuilt from the parsed names, never the stored text, so it can never carry other SQL.
 */
import type pg from 'pg';
import { ApplyError, toApplyError } from './apply-errors.ts';
import { relationNamed } from './apply-catalog.ts';
import { resolveSettings, withApplySession, type ApplySettings } from './apply-session.ts';
import { dropIndexSql, qualified } from './index-statements.ts';
import { StatementLog } from './statement-log.ts';
import { unquoteIdent } from '../../plv8/engine/quote-ident.ts';

export interface RolledBack {
  /** The statements that ran and changed the target: the DROP, or none when the index was gone. */
  statements: string[];
  /** The index was there before the rollback. */
  existed: boolean;
}

export interface RollbackTarget {
  schema: string;
  index: string;
  concurrently: boolean;
}

const IDENT = '("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)';
const ROLLBACK = new RegExp(`^\\s*drop\\s+index\\s+(concurrently\\s+)?if\\s+exists\\s+${IDENT}\\s*\\.\\s*${IDENT}\\s*;?\\s*$`, 'i');

/**
 * The index a rollback statement drops, or an ApplyError when the text is anything else.
 *
 * @example parseRollbackSql('DROP INDEX CONCURRENTLY IF EXISTS public."Odd_idx"') // { schema: 'public', index: 'Odd_idx', concurrently: true }
 */
export function parseRollbackSql(sql: string): RollbackTarget {
  const m = ROLLBACK.exec(sql);
  if (!m) throw new ApplyError('failed', `refusing to run a rollback that is not DROP INDEX [CONCURRENTLY] IF EXISTS schema.index: ${JSON.stringify(sql.slice(0, 200))}`);
  return { concurrently: m[1] !== undefined, schema: name(m[2]!), index: name(m[3]!) };
}

/** A name as the statement writes it, as PostgreSQL stores it (a bare one folded to lower case). */
const name = (written: string): string => unquoteIdent(written.startsWith('"') ? written : written.toLowerCase());

/**
 * Drops the applied index with the same bounded waits and the same advisory lock as applyIndex,
 * so a rollback never races an apply of the same index.
 *
 * @example
 *   await rollbackIndex(client, 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx');
 *   // { statements: ['DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx'], existed: true }
 */
export async function rollbackIndex(target: pg.ClientBase, rollbackSql: string, settings?: ApplySettings): Promise<RolledBack> {
  const resolved = resolveSettings(settings);
  const drop = parseRollbackSql(rollbackSql);
  const index = qualified(drop.schema, drop.index);
  const log = new StatementLog(target);
  try {
    return await withApplySession(target, index, resolved, async () => {
      const found = await relationNamed(target, drop.schema, drop.index);
      if (found && found.tableOid === null) throw new ApplyError('changed', `${index} is not an index any more; nothing was dropped`);
      if (found) await log.run(dropIndexSql(drop.schema, drop.index, drop.concurrently));
      return { statements: log.statements, existed: found !== null };
    });
  } catch (error) {
    const applyError = toApplyError(error, { doing: `dropping ${index}`, lockTimeoutMs: resolved.lockTimeoutMs });
    applyError.statements = log.statements;
    throw applyError;
  }
}
