/**
 * The SQL of the planning guard: temporary functions OptiSchema creates in its own session
 * (pg_temp) before it plans anyone else's statement, and drops afterwards. SQL beside the steps
 * that install and call it (guarded-plan.ts); both hosts send these texts as they are.
 *
 * Why functions in pg_temp: a remote target has no OptiSchema schema, and plv8 runs inside a
 * caller's session. A temporary function lives in this session only, other sessions cannot name it
 * (they have no USAGE on another session's temporary schema), and it goes with the session.
 *
 * The guard, per planned statement (optischema_guarded_plan):
 * 1. Runs the statement inside a SECURITY DEFINER function owned by the planning role (its author,
 *    else optischema_analysis; planners.ts). Inside a security-definer function PostgreSQL refuses
 *    SET ROLE and SET SESSION AUTHORIZATION, so code the statement runs at plan time (an IMMUTABLE
 *    function folded by the planner, a STABLE one evaluated for an estimate, a view's functions)
 *    cannot climb back to OptiSchema's own role, as it could after a plain SET ROLE.
 * 2. In a subtransaction that is always rolled back, made READ ONLY before any of the statement
 *    runs: no row, setting, temporary object or role change survives it.
 * 3. Releases the session-level advisory locks and deallocates the prepared statements the call
 *    left (both outlive a rollback); re-raises the statement's error, if any, as it came.
 * 4. Runs the statement through a cursor (FOR … IN EXECUTE), which PostgreSQL refuses to open on
 *    more than one statement; PREPARE (generic plans) cannot go through a cursor, so its text is
 *    one statement by the host's parser or lexer, and anything smuggled behind it would still run
 *    read-only and as the planning role.
 * 5. EXPLAIN ANALYZE (kind 'analyze'), and reading a statement's rows (kind 'rows': a fingerprint
 *    of its result for comparing a rewrite with the original, never the rows themselves) only after optischema_unsafe_reasons found nothing: the
 *    statement is made a temporary view and its rewrite tree, and those of every view, policy and
 *    child table it reaches, are read from the catalog (pg_rewrite, pg_policy, pg_inherits): only
 *    plain tables, views and materialized views; only built-in, non-volatile functions and built-in
 *    operators; no node type outside a list of plain expressions; no domain casts; no row locks.
 *
 * Every guard function pins search_path to pg_catalog, pg_temp; the statement itself is resolved
 * with its author's search_path, set only around the EXECUTE that runs it, so no operator or
 * function of the guard's own code is ever looked up in a path someone else controls. Only the
 * session's own role may execute them (EXECUTE revoked from PUBLIC): code running as a planning
 * role cannot call another role's planning function.
 */

/** The most rows kind 'rows' reads of one statement; more, and its fingerprint says truncated. */
export const ROWS_LIMIT = 200000;

/** The custom SQLSTATE the guard raises to roll its subtransaction back after a success. */
export const GUARD_ROLLBACK_STATE = 'OSGRD';

/** The functions guard_close drops, with their signatures. */
export const GUARD_FUNCTIONS = [
  'pg_temp.optischema_guarded_plan(text, text, text, text, text, text[])',
  'pg_temp.optischema_guard_role(text)',
  'pg_temp.optischema_guard_close()',
  'pg_temp.optischema_unsafe_reasons(oid)',
  'pg_temp.optischema_hypo_create(text)',
  'pg_temp.optischema_hypo_drop(oid)',
  'pg_temp.optischema_hypo_size(oid)',
  'pg_temp.optischema_hypo_reset()',
  'pg_temp.optischema_hypo_plans(text[], float8, text, text, jsonb)',
] as const;

/**
 * Node types a statement proven harmless may contain: plain expressions, joins, subqueries,
 * aggregates and window functions. Anything else (TABLESAMPLE, XMLTABLE, domain coercions,
 * row locks, NEXTVAL of identities, …) keeps EXPLAIN ANALYZE off it.
 */
const HARMLESS_NODES = [
  'QUERY', 'RANGETBLENTRY', 'ALIAS', 'FROMEXPR', 'JOINEXPR', 'RANGETBLREF', 'RANGETBLFUNCTION', 'TARGETENTRY', 'VAR',
  'CONST', 'PARAM', 'FUNCEXPR', 'NAMEDARGEXPR', 'OPEXPR', 'DISTINCTEXPR', 'NULLIFEXPR', 'SCALARARRAYOPEXPR',
  'ROWCOMPAREEXPR', 'BOOLEXPR', 'SUBLINK', 'FIELDSELECT', 'RELABELTYPE', 'COERCEVIAIO', 'ARRAYCOERCEEXPR',
  'CONVERTROWTYPEEXPR', 'COLLATEEXPR', 'CASEEXPR', 'CASEWHEN', 'CASETESTEXPR', 'ARRAYEXPR', 'ROWEXPR', 'COALESCEEXPR',
  'MINMAXEXPR', 'SQLVALUEFUNCTION', 'NULLTEST', 'BOOLEANTEST', 'AGGREF', 'GROUPINGFUNC', 'WINDOWFUNC', 'WINDOWCLAUSE',
  'SORTGROUPCLAUSE', 'GROUPINGSET', 'COMMONTABLEEXPR', 'SETOPERATIONSTMT', 'SUBSCRIPTINGREF',
];

/** Built-in functions that are not volatile yet run SQL text or read whole tables of their own. */
const SQL_RUNNING_FUNCTIONS = [
  'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
  'table_to_xml', 'table_to_xmlschema', 'table_to_xml_and_xmlschema', 'schema_to_xml', 'schema_to_xmlschema',
  'schema_to_xml_and_xmlschema', 'database_to_xml', 'database_to_xmlschema', 'database_to_xml_and_xmlschema', 'ts_stat',
];

const sqlArray = (items: readonly string[]): string => `array[${items.map((item) => `'${item}'`).join(', ')}]`;

/**
 * Why a statement (made the temporary view p_view) is not provably harmless to run; empty when it
 * is. Objects with oids below 16384 (FirstNormalObjectId) are the ones initdb created.
 */
const UNSAFE_REASONS_SQL = `
create or replace function pg_temp.optischema_unsafe_reasons(p_view oid) returns text[]
language sql stable set search_path = pg_catalog, pg_temp as $reasons$
with recursive rels(relid) as (
  select p_view
  union
  select x.relid
    from rels,
         lateral (select m[1]::oid as relid
                    from pg_rewrite rw, regexp_matches(rw.ev_action::text, ':relid (\\d+)', 'g') m
                   where rw.ev_class = rels.relid and rw.ev_type = '1'
                  union all
                  select m[1]::oid
                    from pg_policy p, regexp_matches(coalesce(p.polqual::text, '') || ' ' || coalesce(p.polwithcheck::text, ''), ':relid (\\d+)', 'g') m
                   where p.polrelid = rels.relid
                  union all
                  select i.inhrelid from pg_inherits i where i.inhparent = rels.relid) x
), trees(tree) as (
  select rw.ev_action::text from rels join pg_rewrite rw on rw.ev_class = rels.relid and rw.ev_type = '1'
  union all
  select coalesce(p.polqual::text, '') || ' ' || coalesce(p.polwithcheck::text, '') from rels join pg_policy p on p.polrelid = rels.relid
)
select coalesce(array_agg(distinct r.reason order by r.reason), '{}') from (
  select format('reads %s, which is %s', c.oid::regclass,
                case c.relkind when 'f' then 'a foreign table' when 'S' then 'a sequence' else 'not a table or view' end) as reason
    from rels join pg_class c on c.oid = rels.relid
   where c.relkind not in ('r', 'p', 'v', 'm')
  union all
  select format('contains a %s expression', lower(m[1]))
    from trees, regexp_matches(trees.tree, '\\{([A-Z_]+)', 'g') m
   where m[1] <> all (${sqlArray(HARMLESS_NODES)})
  union all
  select format('calls %s, which is %s', p.oid::regprocedure,
                case when p.oid >= 16384 then 'not built in' when p.provolatile = 'v' then 'volatile' else 'a function that runs SQL' end)
    from trees, regexp_matches(trees.tree, ':(?:funcid|opfuncid|winfnoid|aggfnoid|hashfuncid|negfuncid) (\\d+)', 'g') m
    join pg_proc p on p.oid = m[1]::oid
   where p.oid >= 16384 or p.provolatile = 'v' or p.proname = any (${sqlArray(SQL_RUNNING_FUNCTIONS)})
  union all
  select format('uses the operator %s, which is not built in', o.oid::regoperator)
    from trees,
         lateral (select m[1]::oid as oid from regexp_matches(trees.tree, ':(?:opno|eqop|sortop) (\\d+)', 'g') m
                  union all
                  select unnest(string_to_array(btrim(m[1]), ' '))::oid from regexp_matches(trees.tree, ':opnos \\(o([ 0-9]*)\\)', 'g') m) op
    join pg_operator o on o.oid = op.oid
   where o.oid >= 16384
  union all
  select format('casts to the domain %s, whose constraints would run', t.oid::regtype)
    from trees, regexp_matches(trees.tree, ':resulttype (\\d+)', 'g') m
    join pg_type t on t.oid = m[1]::oid
   where t.typtype = 'd'
  union all
  select 'writes or locks rows'
    from trees
   where trees.tree ~ ':commandType [02-9]' or trees.tree ~ ':hasModifyingCTE true' or trees.tree ~ ':hasForUpdate true'
) r
$reasons$`;

/**
 * The body of one planning role's SECURITY DEFINER function. Runs as that role. Kinds:
 * - explain: EXPLAIN (VERBOSE, FORMAT JSON) of a literal statement;
 * - generic: the generic plan of a `$n` text (PREPARE, force_generic_plan, EXPLAIN EXECUTE with one
 *   NULL per parameter, the same path on PostgreSQL 15 to 17) and the parameter types;
 * - custom: the custom plan of a `$n` text for the values given (PREPARE, force_custom_plan,
 *   EXPLAIN EXECUTE with quoted literals): the plan PostgreSQL makes when a client sends those
 *   values; planned, never run, like generic;
 * - analyze: EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) with the values given (PREPARE and
 *   EXECUTE with quoted literals, so each value takes the parameter's type), once
 *   optischema_unsafe_reasons has found nothing in p_check_text (the statement with `(NULL)` for
 *   each `$n`, made a temporary view). Refused: {"refused": [reasons]}.
 * Every string is composed while search_path is pg_catalog, pg_temp; the author's path is set
 * only around the EXECUTE of the statement.
 */
const DEFINER_BODY = `
declare
  v_pinned constant text := 'pg_catalog, pg_temp';
  v_row record;
  v_plan json;
  v_types text[];
  v_sql text;
  v_view text;
  v_reasons text[];
  v_hashes text[] := '{}';
  v_count bigint := 0;
  v_truncated boolean := false;
  v_ordered text;
  v_multiset text;
begin
  if p_kind not in ('explain', 'generic', 'custom', 'analyze', 'rows') then
    raise exception 'unknown planning kind %', p_kind using errcode = '22023';
  end if;
  if p_kind in ('analyze', 'rows') then
    v_view := 'optischema_check_' || md5(p_prepared);
    -- Parse analysis only: the view is made, not run. As a subquery, so a column of a pseudo-type
    -- (select pg_sleep(1)) or a duplicate name does not stop the view from being made.
    v_sql := format('create temporary view %I as select from (%s) as optischema_checked', v_view, p_check_text);
    perform set_config('search_path', p_search_path, true);
    execute v_sql;
    perform pg_catalog.set_config('search_path', v_pinned, true);
    v_reasons := pg_temp.optischema_unsafe_reasons(to_regclass('pg_temp.' || quote_ident(v_view))::oid);
    if cardinality(v_reasons) > 0 then
      return jsonb_build_object('refused', to_jsonb(v_reasons));
    end if;
  end if;
  perform set_config('transaction_read_only', 'on', true);
  perform set_config('plan_cache_mode', case when p_kind = 'generic' then 'force_generic_plan' else 'force_custom_plan' end, true);
  if p_kind = 'rows' then
    if p_values is null then
      v_sql := p_statement;
    else
      perform set_config('search_path', p_search_path, true);
      execute format('prepare %I as %s', p_prepared, p_statement);
      perform pg_catalog.set_config('search_path', v_pinned, true);
      v_sql := format('execute %I', p_prepared)
               || case when cardinality(p_values) > 0 then '(' || array_to_string(array(select quote_nullable(v) from unnest(p_values) v), ', ') || ')' else '' end;
    end if;
    -- The author's path is in force while the rows arrive: every call in the loop is qualified.
    perform set_config('search_path', p_search_path, true);
    for v_row in execute v_sql loop
      v_count := v_count operator(pg_catalog.+) 1;
      if v_count operator(pg_catalog.>) ${ROWS_LIMIT} then
        v_truncated := true;
        exit;
      end if;
      v_hashes := pg_catalog.array_append(v_hashes, pg_catalog.md5(v_row::text));
    end loop;
    perform pg_catalog.set_config('search_path', v_pinned, true);
    select md5(string_agg(h, '' order by n)), md5(string_agg(h, '' order by h collate "C")) into v_ordered, v_multiset
      from unnest(v_hashes) with ordinality u(h, n);
    return jsonb_build_object('rows', jsonb_build_object('count', least(v_count, ${ROWS_LIMIT}), 'truncated', v_truncated,
                                                         'ordered', coalesce(v_ordered, ''), 'multiset', coalesce(v_multiset, '')));
  end if;
  if p_kind = 'explain' or (p_kind = 'analyze' and p_values is null) then
    v_sql := case when p_kind = 'explain' then 'explain (verbose, format json) ' else 'explain (analyze, buffers, verbose, format json) ' end || p_statement;
    perform set_config('search_path', p_search_path, true);
    for v_row in execute v_sql loop
      v_plan := v_row."QUERY PLAN";
    end loop;
    perform pg_catalog.set_config('search_path', v_pinned, true);
    return jsonb_build_object('plan', v_plan);
  end if;
  v_sql := format('prepare %I as %s', p_prepared, p_statement);
  perform set_config('search_path', p_search_path, true);
  execute v_sql;
  perform pg_catalog.set_config('search_path', v_pinned, true);
  select s.parameter_types::text[] into v_types from pg_prepared_statements s where s.name = p_prepared;
  if p_kind = 'generic' then
    v_sql := format('explain (verbose, format json) execute %I', p_prepared)
             || case when cardinality(v_types) > 0 then '(' || array_to_string(array_fill('null'::text, array[cardinality(v_types)]), ', ') || ')' else '' end;
  else
    if cardinality(v_types) is distinct from cardinality(p_values) then
      raise exception 'the statement has % parameter(s) but % value(s) were given', coalesce(cardinality(v_types), 0), cardinality(p_values)
        using errcode = '22023';
    end if;
    v_sql := format(case when p_kind = 'custom' then 'explain (verbose, format json) execute %I' else 'explain (analyze, buffers, verbose, format json) execute %I' end, p_prepared)
             || case when cardinality(p_values) > 0 then '(' || array_to_string(array(select quote_nullable(v) from unnest(p_values) v), ', ') || ')' else '' end;
  end if;
  perform set_config('search_path', p_search_path, true);
  for v_row in execute v_sql loop
    v_plan := v_row."QUERY PLAN";
  end loop;
  perform pg_catalog.set_config('search_path', v_pinned, true);
  return jsonb_build_object('plan', v_plan, 'parameterTypes', to_jsonb(coalesce(v_types, '{}')));
end`;

/**
 * (Re)creates the SECURITY DEFINER planning function of p_role, owned by p_role: created while this
 * session is that role (SET ROLE needs the same membership as ALTER … OWNER, and leaves the new
 * owner's grants right), EXECUTE for this session's own role only.
 */
const GUARD_ROLE_SQL = `
create or replace function pg_temp.optischema_guard_role(p_role text) returns text
language plpgsql volatile set search_path = pg_catalog, pg_temp as $role$
declare
  v_caller constant text := current_user;
  v_saved constant text := current_setting('role');
  v_function constant text := format('pg_temp.%I', 'optischema_plan_as_' || md5(p_role));
  v_signature constant text := v_function || '(text, text, text, text, text, text[])';
begin
  perform set_config('role', p_role, true);
  execute format('drop function if exists %s', v_signature);
  execute format('create function %s(p_search_path text, p_kind text, p_statement text, p_check_text text, p_prepared text, p_values text[]) '
                 'returns jsonb language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as %L',
                 v_function, $definer$${DEFINER_BODY}$definer$);
  execute format('revoke all on function %s from public', v_signature);
  if v_caller <> p_role then
    execute format('grant execute on function %s to %I', v_signature, v_caller);
  end if;
  perform set_config('role', v_saved, true);
  return v_signature;
exception when others then
  perform set_config('role', v_saved, true);
  raise;
end
$role$`;

/** Plans (or, proven harmless, runs) someone else's statement as p_role, leaving nothing behind. */
const GUARDED_PLAN_SQL = `
create or replace function pg_temp.optischema_guarded_plan(
  p_role text, p_search_path text, p_kind text, p_statement text, p_check_text text, p_values text[]
) returns jsonb language plpgsql volatile set search_path = pg_catalog, pg_temp as $guard$
declare
  v_name constant text := 'optischema_plan_as_' || md5(p_role);
  -- One name for every call: pg_stat_statements records each EXPLAIN EXECUTE as a utility
  -- statement by its text, and a fresh name per call made each one a new entry (thousands per
  -- analysis), evicting the application's own statements once pg_stat_statements.max was reached.
  -- Nothing else can hold the name: the call deallocates whatever it prepared.
  v_prepared constant text := 'optischema_planned_statement';
  v_definer oid;
  v_locks text[];
  v_statements text[];
  v_result jsonb;
  v_done boolean := false;
  v_state text;
  v_message text;
  v_detail text;
  v_hint text;
  v_context text;
  v_lock record;
  v_key bigint;
  v_name_left text;
begin
  -- With standard_conforming_strings off, '\\'' means something else and no lexer can be trusted.
  if current_setting('standard_conforming_strings') <> 'on' then
    raise exception 'OptiSchema plans statements only with standard_conforming_strings on (it is off in this session)'
      using errcode = '55000', hint = 'SET standard_conforming_strings = on; or ALTER DATABASE … SET standard_conforming_strings = on';
  end if;
  select p.oid into v_definer
    from pg_proc p
   where p.pronamespace = pg_my_temp_schema() and p.proname = v_name and p.prosecdef
     and p.proowner = (select r.oid from pg_roles r where r.rolname = p_role);
  if v_definer is null then
    raise exception 'no planning function for role % in this session (it was never made, or was dropped or changed)', p_role
      using errcode = '55000';
  end if;
  select array_agg(format('%s/%s/%s/%s', l.classid, l.objid, l.objsubid, l.mode)) into v_locks
    from pg_locks l where l.locktype = 'advisory' and l.pid = pg_backend_pid();
  if exists (select from pg_prepared_statements s where s.name = v_prepared) then
    execute format('deallocate %I', v_prepared);
  end if;
  select array_agg(s.name) into v_statements from pg_prepared_statements s;
  begin
    if p_kind not in ('analyze', 'rows') then
      perform set_config('transaction_read_only', 'on', true);
    end if;
    execute format('select pg_temp.%I($1, $2, $3, $4, $5, $6)', v_name) into v_result
      using p_search_path, p_kind, p_statement, p_check_text, v_prepared, p_values;
    v_done := true;
    raise sqlstate '${GUARD_ROLLBACK_STATE}';
  exception
    when sqlstate '${GUARD_ROLLBACK_STATE}' then
      if not v_done then
        v_state := '${GUARD_ROLLBACK_STATE}';
        v_message := 'the statement raised the SQLSTATE OptiSchema''s guard uses for itself';
      end if;
    when query_canceled or assert_failure or others then
      get stacked diagnostics v_state = returned_sqlstate, v_message = message_text, v_detail = pg_exception_detail,
                              v_hint = pg_exception_hint, v_context = pg_exception_context;
      -- An error raised inside a function the statement runs (any context line that is not the
      -- guard's own) may carry whatever that function read with the planning role's rights: its
      -- text is withheld. PostgreSQL's own errors (unknown column, syntax, timeout) come with no
      -- such context and are kept as they are.
      if exists (select from regexp_split_to_table(coalesce(v_context, ''), E'\n') c
                  where c <> '' and c !~ 'optischema_(plan_as_[0-9a-f]{32}|guarded_plan|hypo_plans)\\(' and c !~ '^SQL statement "') then
        v_message := format('the statement raised an error inside a function it runs (SQLSTATE %s); its message is withheld, '
                            'as it was written by that function, not by PostgreSQL', v_state);
        v_detail := null;
        v_hint := null;
      end if;
  end;
  -- Session-level advisory locks and prepared statements outlive the rollback: undo what the call left.
  for v_lock in
    select l.classid, l.objid, l.objsubid, l.mode from pg_locks l
     where l.locktype = 'advisory' and l.pid = pg_backend_pid()
       and format('%s/%s/%s/%s', l.classid, l.objid, l.objsubid, l.mode) <> all (coalesce(v_locks, '{}'))
  loop
    if v_lock.objsubid = 1 then
      v_key := (v_lock.classid::bigint << 32) | v_lock.objid::bigint;
      if v_lock.mode = 'ShareLock' then
        while pg_advisory_unlock_shared(v_key) loop end loop;
      else
        while pg_advisory_unlock(v_key) loop end loop;
      end if;
    else
      if v_lock.mode = 'ShareLock' then
        while pg_advisory_unlock_shared((v_lock.classid::bigint - case when v_lock.classid::bigint >= 2147483648 then 4294967296 else 0 end)::int4,
                                        (v_lock.objid::bigint - case when v_lock.objid::bigint >= 2147483648 then 4294967296 else 0 end)::int4) loop end loop;
      else
        while pg_advisory_unlock((v_lock.classid::bigint - case when v_lock.classid::bigint >= 2147483648 then 4294967296 else 0 end)::int4,
                                 (v_lock.objid::bigint - case when v_lock.objid::bigint >= 2147483648 then 4294967296 else 0 end)::int4) loop end loop;
      end if;
    end if;
  end loop;
  for v_name_left in select s.name from pg_prepared_statements s where s.name <> all (coalesce(v_statements, '{}')) loop
    execute format('deallocate %I', v_name_left);
  end loop;
  if v_state is not null then
    raise exception using errcode = v_state, message = v_message, detail = coalesce(v_detail, ''), hint = coalesce(v_hint, '');
  end if;
  return v_result;
end
$guard$`;

/** Drops every planning function of this session (as its owner), then the guard's own functions. */
const GUARD_CLOSE_SQL = `
create or replace function pg_temp.optischema_guard_close() returns void
language plpgsql volatile set search_path = pg_catalog, pg_temp as $close$
declare
  v_saved constant text := current_setting('role');
  v_fn record;
begin
  for v_fn in
    select p.oid::regprocedure::text as signature, p.proowner::regrole::text as owner
      from pg_proc p where p.pronamespace = pg_my_temp_schema() and p.proname like 'optischema\\_plan\\_as\\_%'
  loop
    perform set_config('role', v_fn.owner, true);
    execute format('drop function if exists %s', v_fn.signature);
  end loop;
  perform set_config('role', v_saved, true);
exception when others then
  perform set_config('role', v_saved, true);
  raise;
end
$close$`;

/**
 * hypopg's functions, called through its own schema: OptiSchema's session never puts a schema
 * others may create objects in on its search_path (CVE-2018-1058's lesson). The schema is read
 * once, when the guard is installed, and written into each wrapper as a quoted name (%1$I): a
 * static statement whose plan PL/pgSQL keeps, where a lookup and a dynamic EXECUTE per call cost
 * as much as hypopg's own work (the advisor makes and drops hundreds of hypothetical indexes).
 * Without hypopg, each wrapper says so when called.
 */
const hypopgWrapper = (signature: string, returns: string, call: string): string => `
if v_hypopg is null then
  create or replace function pg_temp.${signature} returns ${returns}
  language plpgsql volatile set search_path = pg_catalog, pg_temp as $hypo$
  begin
    raise exception 'hypopg is not created in this database' using errcode = '55000', hint = 'CREATE EXTENSION hypopg;';
  end
  $hypo$;
else
  execute format($wrapper$
    create or replace function pg_temp.${signature} returns ${returns}
    language plpgsql volatile set search_path = pg_catalog, pg_temp as $hypo$
    begin
      ${call}
    end
    $hypo$$wrapper$, v_hypopg);
end if`;

const HYPOPG_SQL = [
  hypopgWrapper(
    'optischema_hypo_create(p_ddl text)',
    'table (indexrelid oid, indexname text)',
    'return query select h.indexrelid, h.indexname from %1$I.hypopg_create_index(p_ddl) h;',
  ),
  hypopgWrapper('optischema_hypo_drop(p_index oid)', 'boolean', 'return %1$I.hypopg_drop_index(p_index);'),
  hypopgWrapper('optischema_hypo_size(p_index oid)', 'bigint', 'return %1$I.hypopg_relation_size(p_index);'),
  hypopgWrapper('optischema_hypo_reset()', 'void', 'perform %1$I.hypopg_reset();'),
];

/**
 * One what-if evaluation in one round trip: creates the hypothetical indexes p_ddls (sized), plans
 * each request ({kind, statement, values}) through optischema_guarded_plan, as any other plan,
 * and drops the indexes again, also when a plan fails (the error is raised as it came). When an
 * index is bigger than p_max_bytes nothing is planned. Returns {indexes: [{indexrelid, name,
 * bytes}], results: [guarded_plan's result per request]}. The advisor costs hundreds of candidates
 * this way; four requests each (create, size, plan, drop) cost as much as the plans. Every
 * statement inside names a pg_ object (pg_catalog., pg_temp.): with pg_stat_statements.track =
 * all, that is how the workload source tells them from the application's (source.ts).
 */
const HYPO_PLANS_SQL = `
create or replace function pg_temp.optischema_hypo_plans(p_ddls text[], p_max_bytes float8, p_role text, p_search_path text, p_requests jsonb)
returns jsonb language plpgsql volatile set search_path = pg_catalog, pg_temp as $plans$
declare
  v_ddl text;
  v_index record;
  v_oids oid[] := '{}';
  v_indexes jsonb := '[]';
  v_results jsonb := '[]';
  v_request jsonb;
  v_values text[];
  v_fits boolean := true;
begin
  begin
    foreach v_ddl in array p_ddls loop
      select h.indexrelid, h.indexname, pg_temp.optischema_hypo_size(h.indexrelid) as bytes into v_index
        from pg_temp.optischema_hypo_create(v_ddl) h;
      v_oids := v_oids || v_index.indexrelid;
      v_indexes := v_indexes || jsonb_build_array(jsonb_build_object('indexrelid', v_index.indexrelid, 'name', v_index.indexname, 'bytes', v_index.bytes));
      if p_max_bytes is not null and v_index.bytes > p_max_bytes then
        v_fits := false;
      end if;
    end loop;
    if v_fits then
      for v_request in select r.value from pg_catalog.jsonb_array_elements(p_requests) with ordinality r(value, n) order by r.n loop
        v_values := case when jsonb_typeof(v_request->'values') = 'array' then array(select v.value #>> '{}' from pg_catalog.jsonb_array_elements(v_request->'values') with ordinality v(value, n) order by v.n) end;
        -- On one line: the guard withholds an error's message when a line of its context is not its own.
        v_results := v_results || jsonb_build_array(pg_temp.optischema_guarded_plan(p_role, p_search_path, v_request->>'kind', v_request->>'statement', null, v_values));
      end loop;
    end if;
  exception when others then
    -- hypopg's indexes live in the backend, not in the subtransaction this block rolls back.
    perform pg_temp.optischema_hypo_drop(o) from unnest(v_oids) o;
    raise;
  end;
  perform pg_temp.optischema_hypo_drop(o) from unnest(v_oids) o;
  return jsonb_build_object('indexes', v_indexes, 'results', case when v_fits then v_results end);
end
$plans$`;

/**
 * After install: only this session's role may run the guard's functions (unsafe_reasons stays
 * open: planning roles call it, and it only reads the catalog).
 */
const GUARD_REVOKE_SQL = `revoke all on function ${GUARD_FUNCTIONS.filter((f) => !f.includes('unsafe_reasons')).join(', ')} from public`;

/**
 * The whole guard in one statement (one round trip; the hosts send one statement per request): a
 * DO block whose body is the CREATE statements and the REVOKE, in order.
 */
export const GUARD_INSTALL_SQL = `do $install$
declare
  v_hypopg constant text := (select n.nspname from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace where e.extname = 'hypopg');
begin
${[UNSAFE_REASONS_SQL, GUARD_ROLE_SQL, GUARDED_PLAN_SQL, GUARD_CLOSE_SQL, ...HYPOPG_SQL, HYPO_PLANS_SQL, GUARD_REVOKE_SQL].map((sql) => `${sql.trim()};`).join('\n')}
end
$install$`;

/** Drops the guard's own functions (after optischema_guard_close dropped the planning ones). */
export const GUARD_DROP_SQL = `drop function if exists ${GUARD_FUNCTIONS.join(', ')}`;
