import { readFileSync } from 'node:fs';
import pg from 'pg';
import { z } from 'zod';
import { ANALYSIS_ROLE } from '../../plv8/engine/guard/planners.ts';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';
import type { Queryable } from '../database/queryable.ts';
import type { Check, DoctorFacts } from './checks.ts';

const FACTS_SQL = readFileSync(new URL('./analysis-facts.sql', import.meta.url), 'utf8');

// The roles whose statements this database's pg_stat_statements holds, and whether this session
// may act as each (how planners.ts plans a statement as its author).
const authorsSql = (schema: string) => `
select r.rolname as name, r.rolsuper as superuser, pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER') as becomable
  from (select distinct s.userid from ${pg.escapeIdentifier(schema)}.pg_stat_statements s
         where s.dbid = (select d.oid from pg_catalog.pg_database d where d.datname = current_database())) s
  join pg_catalog.pg_roles r on r.oid = s.userid
 order by r.rolname`;

export const AnalysisFacts = z.object({
  can_temp: z.boolean(),
  is_monitor: z.boolean(),
  analysis_exists: z.boolean(),
  analysis_becomable: z.boolean(),
  analysis_shaped: z.boolean(),
  pg_stat_statements_schema: z.string().nullable(),
  authors: z.array(z.object({ name: z.string(), superuser: z.boolean(), becomable: z.boolean() })),
});
export type AnalysisFacts = z.infer<typeof AnalysisFacts>;

/** Reads the facts; the author list stays empty when pg_stat_statements is missing or unreadable. */
export async function readAnalysisFacts(db: Queryable): Promise<AnalysisFacts> {
  const { rows } = await db.query(FACTS_SQL, [ANALYSIS_ROLE]);
  const row = rows[0] as Record<string, unknown>;
  let authors: unknown[] = [];
  if (typeof row.pg_stat_statements_schema === 'string') {
    authors = await db.query(authorsSql(row.pg_stat_statements_schema)).then((r) => r.rows, () => []);
  }
  return AnalysisFacts.parse({ ...row, authors });
}

/**
 * What the analysis needs (docs/security.md): TEMP for the planning guard, the analysis role for
 * superusers' statements, membership of each author's role for everyone else's. `target` is a
 * monitored database, where a superuser connection is more than OptiSchema needs.
 */
export function analysisChecks(facts: DoctorFacts, analysis: AnalysisFacts, target: boolean): Check[] {
  const me = quoteIdent(facts.user_name);
  const checks: Check[] = [];
  if (target && facts.is_superuser) {
    checks.push({
      id: 'privileges.superuser',
      status: 'warn',
      message: `${facts.user_name} is a superuser: OptiSchema needs far less on a database it monitors, and never plans with a superuser's rights`,
      fix: `a role of its own: CREATE ROLE optischema_collector LOGIN PASSWORD '…'; GRANT pg_monitor TO optischema_collector; (docs/security.md lists the rest)`,
    });
  }
  checks.push(
    analysis.can_temp
      ? { id: 'analysis.temp', status: 'ok', message: `${facts.user_name} may create the planning guard's temporary functions` }
      : {
          id: 'analysis.temp',
          status: 'fail',
          message: `${facts.user_name} may not create temporary objects in ${facts.database}, so no statement can be planned safely`,
          fix: `GRANT TEMP ON DATABASE ${quoteIdent(facts.database)} TO ${me};`,
        },
  );
  const createRole = `CREATE ROLE ${ANALYSIS_ROLE} NOLOGIN; GRANT pg_read_all_data TO ${ANALYSIS_ROLE}; GRANT ${ANALYSIS_ROLE} TO ${me};`;
  if (!analysis.analysis_exists) {
    checks.push(
      facts.is_superuser
        ? { id: 'analysis.role', status: 'info', message: `${ANALYSIS_ROLE} does not exist yet; OptiSchema creates it (NOLOGIN, pg_read_all_data) the first time it advises here` }
        : { id: 'analysis.role', status: 'warn', message: `${ANALYSIS_ROLE} does not exist, so superusers' statements are not planned`, fix: `as a superuser: ${createRole}` },
    );
  } else if (!analysis.analysis_shaped) {
    checks.push({
      id: 'analysis.role',
      status: 'warn',
      message: `${ANALYSIS_ROLE} can log in, is a superuser or does not have pg_read_all_data: it should read and nothing more`,
      fix: `ALTER ROLE ${ANALYSIS_ROLE} NOLOGIN NOSUPERUSER; GRANT pg_read_all_data TO ${ANALYSIS_ROLE};`,
    });
  } else if (!analysis.analysis_becomable) {
    checks.push({ id: 'analysis.role', status: 'warn', message: `${facts.user_name} may not act as ${ANALYSIS_ROLE}, so superusers' statements are not planned`, fix: `GRANT ${ANALYSIS_ROLE} TO ${me};` });
  } else {
    checks.push({ id: 'analysis.role', status: 'ok', message: `superusers' statements are planned as ${ANALYSIS_ROLE}, which may only read` });
  }
  const blocked = analysis.authors.filter((a) => !a.superuser && !a.becomable);
  if (blocked.length > 0) {
    const names = blocked.map((a) => a.name);
    checks.push({
      id: 'analysis.authors',
      status: 'warn',
      message: `statements of ${names.join(', ')} are not planned: OptiSchema plans a statement with its author's rights, and ${facts.user_name} may not act as ${names.length === 1 ? 'that role' : 'those roles'}`,
      fix: `${names.map((n) => `GRANT ${quoteIdent(n)} TO ${me}`).join('; ')}; (PostgreSQL 16+: add WITH INHERIT FALSE)`,
    });
  } else if (analysis.authors.length > 0) {
    checks.push({ id: 'analysis.authors', status: 'ok', message: `the statements of all ${analysis.authors.length} roles in pg_stat_statements can be planned with their authors' rights` });
  }
  return checks;
}
