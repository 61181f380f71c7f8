/**
 * Who plans a statement OptiSchema did not write: never a superuser, never with more rights than
 * the statement's author.
 *
 * Glossary
 * - author: the role that ran a statement (pg_stat_statements' userid) or that asks for advice on
 *   one (current_user: psql's optischema.advise(), the CLI's --query).
 * - planner: the role a statement is planned as (guarded-plan.ts runs it as that role).
 * - analysis role: optischema_analysis, a NOLOGIN role that may read (pg_read_all_data) and
 *   nothing more. It plans the statements of authors who hold all of its rights already
 *   (superusers, and its own members), so planning never exceeds the author and never runs with
 *   a superuser's rights.
 *
 * The rule, for the authors of one statement (most calls first):
 * 1. the first author who is not a superuser and whom this session may become (a superuser
 *    session may become anyone; another needs membership: GRANT app TO optischema, on
 *    PostgreSQL 16+ WITH INHERIT FALSE), and who may create temporary objects (the guard's
 *    planning function is one);
 * 2. else optischema_analysis, when one of the authors holds its rights and this session may
 *    become it;
 * 3. else the statement is not planned, with one line saying what to grant.
 * When someone else asked for the advice (a requester), each of these must also be a role the
 * requester may act as.
 */
import type { Row, Step } from '../protocol.ts';
import { quoteIdent } from '../quote-ident.ts';

/** The NOLOGIN role that plans superusers' statements (created by migration 0010 or by a DBA). */
export const ANALYSIS_ROLE = 'optischema_analysis';

/** An author by role oid (as text, as pg_stat_statements' userid reads back), or the session's own role. */
export type AuthorRef = string | typeof CURRENT_USER;
export const CURRENT_USER = 'current_user' as const;

export interface Planner {
  /** The role the statement is planned as. */
  role: string;
  /** Why this role: the statement's author, or the analysis role for an author who holds its rights. */
  as: 'author' | 'analysis';
  /** The author's name, for messages. */
  author: string;
  /** The search_path the author's sessions start with; "$user" resolved to the author when planned as the analysis role. */
  searchPath: string;
}

export type PlannerChoice = Planner | { refused: string };

/** What the catalog says of one role, as planners need it. */
export interface RoleFacts {
  oid: string;
  name: string;
  superuser: boolean;
  /** This session may become it (SET ROLE / own objects as it). */
  canBecome: boolean;
  /** It may create temporary objects in this database. */
  temp: boolean;
  /** It holds every right of the analysis role (a member of it, or a superuser). */
  holdsAnalysis: boolean;
  /** The requester (who asked for the advice) may act as this role; true when no requester is given. */
  requesterMay: boolean;
  searchPath: string;
}

export interface PlannerFacts {
  sessionRole: string;
  database: string;
  authors: Map<AuthorRef, RoleFacts>;
  /** The analysis role, when it exists. */
  analysis: RoleFacts | null;
}

// pg_has_role(…, 'SET') is PostgreSQL 16+; before, membership is what SET ROLE and ALTER OWNER need.
// search_path: the role's setting in this database, else the role's, else the database's, else the
// server's default (pg_settings.boot_val; a postgresql.conf value is not visible to every role).
const PLANNER_FACTS_SQL = `
with wanted as (
  select r.oid from pg_catalog.pg_roles r where r.oid::text = any ($1::text[])
  union
  select r.oid from pg_catalog.pg_roles r where r.rolname = current_user or r.rolname = $2
), db as (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
select r.oid::text as oid, r.rolname::text as name, r.rolsuper as superuser, r.rolname = current_user as is_current,
       r.rolname = current_user or case when current_setting('server_version_num')::int >= 160000
                                        then pg_catalog.pg_has_role(current_user, r.oid, 'SET')
                                        else pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER') end as can_become,
       pg_catalog.has_database_privilege(r.oid, current_database(), 'TEMP') as temp,
       r.rolsuper or coalesce((select pg_catalog.pg_has_role(r.oid, a.oid, 'USAGE') from pg_catalog.pg_roles a where a.rolname = $2), false) as holds_analysis,
       $3::text is null or coalesce((select pg_catalog.pg_has_role(q.oid, r.oid, 'MEMBER') from pg_catalog.pg_roles q where q.oid::text = $3::text), false) as requester_may,
       coalesce(
         (select substr(c, 13) from pg_catalog.pg_db_role_setting s, db, unnest(s.setconfig) c
           where s.setrole = r.oid and s.setdatabase = db.oid and c like 'search\\_path=%'),
         (select substr(c, 13) from pg_catalog.pg_db_role_setting s, unnest(s.setconfig) c
           where s.setrole = r.oid and s.setdatabase = 0 and c like 'search\\_path=%'),
         (select substr(c, 13) from pg_catalog.pg_db_role_setting s, db, unnest(s.setconfig) c
           where s.setrole = 0 and s.setdatabase = db.oid and c like 'search\\_path=%'),
         (select boot_val from pg_catalog.pg_settings where name = 'search_path')) as search_path,
       current_database() as database
  from wanted w join pg_catalog.pg_roles r on r.oid = w.oid`;

/**
 * The catalog facts for the given authors (and the session's own role and the analysis role).
 *
 * @example
 *   const facts = yield* plannerFacts(['16384', CURRENT_USER]);
 */
export function* plannerFacts(authors: readonly AuthorRef[], requester: string | null = null): Step<PlannerFacts> {
  const oids = [...new Set(authors.filter((a) => a !== CURRENT_USER))];
  const rows = yield { sql: PLANNER_FACTS_SQL, params: [oids, ANALYSIS_ROLE, requester] };
  const facts = rows.map(toRoleFacts);
  const current = rows.find((row) => row.is_current === true);
  const byOid = new Map(facts.map((f) => [f.oid, f]));
  const map = new Map<AuthorRef, RoleFacts>();
  for (const author of authors) {
    const found = author === CURRENT_USER ? (current ? byOid.get(String(current.oid)) : undefined) : byOid.get(author);
    if (found) map.set(author, found);
  }
  return {
    sessionRole: String(current?.name ?? ''),
    database: String(rows[0]?.database ?? ''),
    authors: map,
    analysis: facts.find((f) => f.name === ANALYSIS_ROLE) ?? null,
  };
}

function toRoleFacts(row: Row): RoleFacts {
  return {
    oid: String(row.oid),
    name: String(row.name),
    superuser: row.superuser === true,
    canBecome: row.can_become === true,
    temp: row.temp === true,
    holdsAnalysis: row.holds_analysis === true,
    requesterMay: row.requester_may !== false,
    searchPath: String(row.search_path ?? '"$user", public'),
  };
}

/**
 * The planner for a statement run by `authors` (most calls first; an empty list means the
 * session's own role). Pure.
 *
 * @example
 *   choosePlanner(['16390'], facts) // { role: 'shop_app', as: 'author', author: 'shop_app', searchPath: '"$user", public' }
 */
export function choosePlanner(authors: readonly AuthorRef[], facts: PlannerFacts): PlannerChoice {
  const refs: readonly AuthorRef[] = authors.length > 0 ? authors : [CURRENT_USER];
  const known = refs.map((ref) => facts.authors.get(ref)).filter((f): f is RoleFacts => f !== undefined);
  if (known.length === 0) {
    return { refused: `the role that ran this statement (oid ${refs.join(', ')}) no longer exists, so OptiSchema cannot plan it with that role's rights` };
  }
  const refusals: string[] = [];
  for (const author of known) {
    if (author.superuser) continue;
    if (!author.canBecome) {
      refusals.push(
        `statements of role ${author.name} are planned as that role, which ${facts.sessionRole} may not become: ` +
          `GRANT ${quoteIdent(author.name)} TO ${quoteIdent(facts.sessionRole)} (PostgreSQL 16+: WITH INHERIT FALSE) to let it (docs/security.md)`,
      );
      continue;
    }
    if (!author.requesterMay) {
      refusals.push(`statements of role ${author.name} are planned as that role, which the role that asked for this advice may not act as`);
      continue;
    }
    if (!author.temp) {
      refusals.push(
        `statements of role ${author.name} are planned as that role, which may not create temporary objects in database ${facts.database}: ` +
          `GRANT TEMP ON DATABASE ${quoteIdent(facts.database)} TO ${quoteIdent(author.name)}`,
      );
      continue;
    }
    return { role: author.name, as: 'author', author: author.name, searchPath: author.searchPath };
  }
  const privileged = known.find((a) => a.holdsAnalysis);
  if (privileged) {
    const analysis = facts.analysis;
    const why = privileged.superuser ? `of superuser ${privileged.name}` : `of role ${privileged.name}`;
    if (!analysis) {
      return {
        refused:
          `statements ${why} are planned as ${ANALYSIS_ROLE} (OptiSchema never plans with a superuser's rights), which does not exist here: ` +
          `CREATE ROLE ${ANALYSIS_ROLE} NOLOGIN; GRANT pg_read_all_data TO ${ANALYSIS_ROLE}; GRANT ${ANALYSIS_ROLE} TO ${quoteIdent(facts.sessionRole)}; (docs/security.md)`,
      };
    }
    if (!analysis.canBecome) {
      return { refused: `statements ${why} are planned as ${ANALYSIS_ROLE}, which ${facts.sessionRole} may not become: GRANT ${ANALYSIS_ROLE} TO ${quoteIdent(facts.sessionRole)}` };
    }
    if (!analysis.requesterMay) {
      return { refused: `statements ${why} are planned as ${ANALYSIS_ROLE}, which the role that asked for this advice may not act as (it is not a member)` };
    }
    if (!analysis.temp) {
      return { refused: `${ANALYSIS_ROLE} may not create temporary objects in database ${facts.database}: GRANT TEMP ON DATABASE ${quoteIdent(facts.database)} TO ${ANALYSIS_ROLE}` };
    }
    return { role: analysis.name, as: 'analysis', author: privileged.name, searchPath: resolveUserInPath(privileged.searchPath, privileged.name) };
  }
  return { refused: refusals[0] ?? `OptiSchema may not plan statements of role ${known[0]!.name}` };
}

/**
 * A search_path with "$user" replaced by the author's name: planned as the analysis role, the
 * statement must still see the author's own schema, not the analysis role's.
 *
 * @example resolveUserInPath('"$user", public', 'Shop') === '"Shop", public'
 */
export function resolveUserInPath(searchPath: string, author: string): string {
  return searchPath
    .split(',')
    .map((item) => item.trim())
    .map((item) => (item === '"$user"' || item === '$user' ? quoteIdent(author) : item))
    .join(', ');
}

/**
 * One choice per statement: `authors[i]` are the authors of statement i. `requester` (a role oid as
 * text) is who asked for the advice when that is not this session's role (psql's
 * advise_workload() answered by the sidecar): a statement is then planned only as a role the
 * requester may act as itself, so asking never lends anyone rights they do not hold.
 */
export function* choosePlanners(authors: readonly (readonly AuthorRef[])[], requester: string | null = null): Step<PlannerChoice[]> {
  const lists = authors.map((list) => (list.length > 0 ? list : [CURRENT_USER]));
  const facts = yield* plannerFacts(lists.flat(), requester);
  return lists.map((list) => choosePlanner(list, facts));
}

export function isPlanner(choice: PlannerChoice): choice is Planner {
  return !('refused' in choice);
}
