--
-- PostgreSQL database dump
--

--
-- Name: optischema; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA optischema;

--
-- Name: SCHEMA optischema; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA optischema IS 'OptiSchema: PostgreSQL performance advisor (state, history and SQL API)';

--
-- Name: optischema_api; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA optischema_api;

--
-- Name: SCHEMA optischema_api; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA optischema_api IS 'OptiSchema''s client API: the views and functions PostGraphile exposes';

--
-- Name: new_api_key; Type: TYPE; Schema: optischema_api; Owner: -
--

CREATE TYPE optischema_api.new_api_key AS (
	id uuid,
	prefix text,
	key text
);

--
-- Name: TYPE new_api_key; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON TYPE optischema_api.new_api_key IS 'A new API key. `key` is shown this once; only its hash is stored.';

--
-- Name: add_member_to_current_tenant(text, text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.add_member_to_current_tenant(member_email text, member_role text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  tenant uuid := optischema.current_tenant_id();
  member uuid;
begin
  if tenant is null then
    raise exception 'no tenant in this request' using errcode = 'insufficient_privilege';
  end if;
  select u.id into member from optischema.users u where lower(u.email) = lower(member_email);
  if member is null then
    insert into optischema.users (email) values (member_email) returning id into member;
  end if;
  insert into optischema.memberships (tenant_id, user_id, role) values (tenant, member, member_role);
  return member;
exception when unique_violation then
  raise exception '% is already a member', member_email using errcode = 'unique_violation';
end
$$;

--
-- Name: current_app_role(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.current_app_role() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select case
    when pg_has_role(current_user, 'optischema_admin', 'usage') then 'admin'
    when pg_has_role(current_user, 'optischema_analyst', 'usage') then 'analyst'
    when pg_has_role(current_user, 'optischema_viewer', 'usage') then 'viewer'
  end
$$;

--
-- Name: current_tenant_id(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ select nullif(current_setting('optischema.tenant_id', true), '')::uuid $$;

--
-- Name: current_user_id(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.current_user_id() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ select nullif(current_setting('optischema.user_id', true), '')::uuid $$;

--
-- Name: publish_event(uuid, jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.publish_event(tenant uuid, payload jsonb) RETURNS void
    LANGUAGE sql
    AS $$
  select pg_notify('optischema_events:' || tenant, payload::text)
$$;

--
-- Name: recommendation_event(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.recommendation_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform optischema.publish_event(new.tenant_id, jsonb_build_object(
    'kind', case when tg_op = 'INSERT' then 'recommendation_created' else 'recommendation_state' end,
    'target', new.target_id, 'recommendationId', new.id, 'state', new.state));
  return new;
end
$$;

--
-- Name: refuse_audit_change(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.refuse_audit_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception 'the audit log is append-only' using errcode = 'insufficient_privilege';
end
$$;

--
-- Name: require_role(text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.require_role(needed text) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
declare
  rank constant jsonb := '{"viewer": 1, "analyst": 2, "admin": 3}';
  have text := optischema.current_app_role();
begin
  if have is null or optischema.current_tenant_id() is null or (rank ->> have)::int < (rank ->> needed)::int then
    raise exception 'this needs the % role', needed using errcode = 'insufficient_privilege';
  end if;
end
$$;

--
-- Name: memberships; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.memberships (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT memberships_role_check CHECK ((role = ANY (ARRAY['viewer'::text, 'analyst'::text, 'admin'::text])))
);

ALTER TABLE ONLY optischema.memberships FORCE ROW LEVEL SECURITY;

--
-- Name: users; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    display_name text DEFAULT ''::text NOT NULL,
    password_hash text,
    oidc_issuer text,
    oidc_subject text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    disabled_at timestamp with time zone,
    CONSTRAINT users_email_check CHECK ((email ~ '^[^@\s]+@[^@\s]+$'::text))
);

ALTER TABLE ONLY optischema.users FORCE ROW LEVEL SECURITY;

--
-- Name: members; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.members WITH (security_invoker='true') AS
 SELECT m.user_id,
    u.email,
    u.display_name,
    m.role,
    m.created_at
   FROM (optischema.memberships m
     JOIN optischema.users u ON ((u.id = m.user_id)));

--
-- Name: add_member(text, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.add_member(email text, role text) RETURNS optischema_api.members
    LANGUAGE plpgsql
    AS $_$
declare
  member uuid;
  result optischema_api.members;
begin
  perform optischema.require_role('admin');
  if role not in ('viewer', 'analyst', 'admin') then
    raise exception 'role must be viewer, analyst or admin' using errcode = 'invalid_parameter_value';
  end if;
  if email !~ '^[^@\s]+@[^@\s]+$' or length(email) > 320 then
    raise exception 'not an email address: %', left(email, 80) using errcode = 'invalid_parameter_value';
  end if;
  member := optischema.add_member_to_current_tenant(email, role);
  select * into result from optischema_api.members v where v.user_id = member;
  return result;
end
$_$;

--
-- Name: recommendation_notes; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.recommendation_notes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    recommendation_id uuid NOT NULL,
    author_id uuid,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT recommendation_notes_body_check CHECK (((length(body) >= 1) AND (length(body) <= 10000)))
);

ALTER TABLE ONLY optischema.recommendation_notes FORCE ROW LEVEL SECURITY;

--
-- Name: recommendation_notes; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.recommendation_notes WITH (security_invoker='true') AS
 SELECT recommendation_notes.id,
    recommendation_notes.recommendation_id,
    recommendation_notes.author_id,
    recommendation_notes.body,
    recommendation_notes.created_at
   FROM optischema.recommendation_notes;

--
-- Name: add_recommendation_note(uuid, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.add_recommendation_note(recommendation_id uuid, body text) RETURNS optischema_api.recommendation_notes
    LANGUAGE plpgsql
    AS $$
declare
  note_id uuid;
  result optischema_api.recommendation_notes;
begin
  perform optischema.require_role('analyst');
  if not exists (select from optischema.recommendations r where r.id = recommendation_id) then
    raise exception 'no recommendation %', recommendation_id using errcode = 'no_data_found';
  end if;
  insert into optischema.recommendation_notes (tenant_id, recommendation_id, author_id, body)
    values (optischema.current_tenant_id(), recommendation_id, optischema.current_user_id(), body)
    returning id into note_id;
  select * into result from optischema_api.recommendation_notes v where v.id = note_id;
  return result;
end
$$;

--
-- Name: create_api_key(text, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.create_api_key(name text, role text) RETURNS optischema_api.new_api_key
    LANGUAGE plpgsql
    AS $$
declare
  prefix text := substr(replace(gen_random_uuid()::text, '-', ''), 1, 8);
  -- Two random UUIDs: 244 bits from the server's strong random source.
  key text := 'osk_' || prefix || '_' || replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
  new_id uuid;
begin
  perform optischema.require_role('admin');
  if role not in ('viewer', 'analyst', 'admin') then
    raise exception 'role must be viewer, analyst or admin' using errcode = 'invalid_parameter_value';
  end if;
  insert into optischema.api_keys (tenant_id, name, role, prefix, key_hash, created_by)
    values (optischema.current_tenant_id(), name, role, prefix, encode(sha256(convert_to(key, 'UTF8')), 'hex'), optischema.current_user_id())
    returning id into new_id;
  return (new_id, prefix, key)::optischema_api.new_api_key;
end
$$;

--
-- Name: delete_target(uuid); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.delete_target(target_id uuid) RETURNS uuid
    LANGUAGE plpgsql
    AS $$
begin
  perform optischema.require_role('admin');
  delete from optischema.targets t where t.id = target_id;
  if not found then
    raise exception 'no target %', target_id using errcode = 'no_data_found';
  end if;
  return target_id;
end
$$;

--
-- Name: remove_member(uuid); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.remove_member(user_id uuid) RETURNS uuid
    LANGUAGE plpgsql
    AS $$
begin
  perform optischema.require_role('admin');
  if user_id = optischema.current_user_id() then
    raise exception 'you cannot remove yourself' using errcode = 'check_violation';
  end if;
  delete from optischema.memberships m where m.user_id = remove_member.user_id;
  if not found then
    raise exception 'no member %', user_id using errcode = 'no_data_found';
  end if;
  return user_id;
end
$$;

--
-- Name: api_keys; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.api_keys (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    prefix text NOT NULL,
    key_hash text NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT api_keys_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT api_keys_role_check CHECK ((role = ANY (ARRAY['viewer'::text, 'analyst'::text, 'admin'::text])))
);

ALTER TABLE ONLY optischema.api_keys FORCE ROW LEVEL SECURITY;

--
-- Name: api_keys; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.api_keys WITH (security_invoker='true') AS
 SELECT api_keys.id,
    api_keys.name,
    api_keys.role,
    api_keys.prefix,
    api_keys.created_by,
    api_keys.created_at,
    api_keys.last_used_at,
    api_keys.revoked_at
   FROM optischema.api_keys;

--
-- Name: revoke_api_key(uuid); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.revoke_api_key(api_key_id uuid) RETURNS optischema_api.api_keys
    LANGUAGE plpgsql
    AS $$
declare
  result optischema_api.api_keys;
begin
  perform optischema.require_role('admin');
  update optischema.api_keys k set revoked_at = coalesce(k.revoked_at, now()) where k.id = api_key_id;
  if not found then
    raise exception 'no API key %', api_key_id using errcode = 'no_data_found';
  end if;
  select * into result from optischema_api.api_keys v where v.id = api_key_id;
  return result;
end
$$;

--
-- Name: set_member_role(uuid, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.set_member_role(user_id uuid, role text) RETURNS optischema_api.members
    LANGUAGE plpgsql
    AS $$
declare
  result optischema_api.members;
begin
  perform optischema.require_role('admin');
  if role not in ('viewer', 'analyst', 'admin') then
    raise exception 'role must be viewer, analyst or admin' using errcode = 'invalid_parameter_value';
  end if;
  update optischema.memberships m set role = set_member_role.role where m.user_id = set_member_role.user_id;
  if not found then
    raise exception 'no member %', user_id using errcode = 'no_data_found';
  end if;
  select * into result from optischema_api.members v where v.user_id = set_member_role.user_id;
  return result;
end
$$;

--
-- Name: recommendations; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.recommendations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    statement text NOT NULL,
    rollback_statement text,
    rationale text DEFAULT ''::text NOT NULL,
    state text DEFAULT 'proposed'::text NOT NULL,
    improvement_pct numeric(6,2),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT recommendations_kind_check CHECK ((kind = ANY (ARRAY['index'::text, 'query'::text, 'schema'::text, 'setting'::text]))),
    CONSTRAINT recommendations_state_check CHECK ((state = ANY (ARRAY['proposed'::text, 'validated'::text, 'dismissed'::text, 'applied'::text, 'rolled_back'::text, 'failed'::text])))
);

ALTER TABLE ONLY optischema.recommendations FORCE ROW LEVEL SECURITY;

--
-- Name: recommendations; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.recommendations WITH (security_invoker='true') AS
 SELECT recommendations.id,
    recommendations.target_id,
    recommendations.kind,
    recommendations.title,
    recommendations.statement,
    recommendations.rollback_statement,
    recommendations.rationale,
    recommendations.state,
    recommendations.improvement_pct,
    recommendations.created_at,
    recommendations.updated_at
   FROM optischema.recommendations;

--
-- Name: set_recommendation_state(uuid, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.set_recommendation_state(recommendation_id uuid, state text) RETURNS optischema_api.recommendations
    LANGUAGE plpgsql
    AS $$
declare
  current_state text;
  result optischema_api.recommendations;
begin
  perform optischema.require_role('analyst');
  select r.state into current_state from optischema.recommendations r where r.id = recommendation_id for update;
  if not found then
    raise exception 'no recommendation %', recommendation_id using errcode = 'no_data_found';
  end if;
  if not (current_state, state) in (('proposed', 'dismissed'), ('validated', 'dismissed'), ('dismissed', 'proposed')) then
    raise exception 'a % recommendation cannot become %', current_state, state using errcode = 'check_violation';
  end if;
  update optischema.recommendations r set state = set_recommendation_state.state, updated_at = now() where r.id = recommendation_id;
  select * into result from optischema_api.recommendations v where v.id = recommendation_id;
  return result;
end
$$;

--
-- Name: audit_log; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    tenant_id uuid,
    actor_user_id uuid,
    actor_api_key_id uuid,
    actor_label text DEFAULT ''::text NOT NULL,
    action text NOT NULL,
    object_type text,
    object_id text,
    result text NOT NULL,
    client_address inet,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT audit_log_result_check CHECK ((result = ANY (ARRAY['ok'::text, 'denied'::text, 'error'::text])))
);

ALTER TABLE ONLY optischema.audit_log FORCE ROW LEVEL SECURITY;

--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: optischema; Owner: -
--

ALTER TABLE optischema.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME optischema.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: migrations; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.migrations (
    id integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: refresh_tokens; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.refresh_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    token_hash text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY optischema.refresh_tokens FORCE ROW LEVEL SECURITY;

--
-- Name: targets; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.targets (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    name text NOT NULL,
    secret_ciphertext bytea,
    secret_ref text,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_check_at timestamp with time zone,
    last_check jsonb,
    CONSTRAINT targets_check CHECK (((secret_ciphertext IS NULL) <> (secret_ref IS NULL))),
    CONSTRAINT targets_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT targets_secret_ref_check CHECK ((secret_ref ~ '^(env:[A-Za-z_][A-Za-z0-9_]*|file:/.+)$'::text))
);

ALTER TABLE ONLY optischema.targets FORCE ROW LEVEL SECURITY;

--
-- Name: tenants; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.tenants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    slug text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tenants_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT tenants_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'::text))
);

ALTER TABLE ONLY optischema.tenants FORCE ROW LEVEL SECURITY;

--
-- Name: audit_log; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.audit_log WITH (security_invoker='true') AS
 SELECT audit_log.id,
    audit_log.at,
    audit_log.actor_user_id,
    audit_log.actor_api_key_id,
    audit_log.actor_label,
    audit_log.action,
    audit_log.object_type,
    audit_log.object_id,
    audit_log.result,
    audit_log.client_address,
    audit_log.details
   FROM optischema.audit_log;

--
-- Name: targets; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.targets WITH (security_invoker='true') AS
 SELECT targets.id,
    targets.name,
    targets.created_at,
    targets.last_check_at,
    targets.last_check
   FROM optischema.targets;

--
-- Name: VIEW targets; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON VIEW optischema_api.targets IS 'Monitored databases. Connection strings are never readable through the API.';

--
-- Name: tenant; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.tenant WITH (security_invoker='true') AS
 SELECT tenants.id,
    tenants.name,
    tenants.slug,
    tenants.created_at
   FROM optischema.tenants;

--
-- Name: VIEW tenant; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON VIEW optischema_api.tenant IS 'The tenant of the signed-in user or API key.';

--
-- Name: api_keys api_keys_key_hash_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.api_keys
    ADD CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash);

--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

--
-- Name: memberships memberships_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.memberships
    ADD CONSTRAINT memberships_pkey PRIMARY KEY (tenant_id, user_id);

--
-- Name: migrations migrations_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.migrations
    ADD CONSTRAINT migrations_pkey PRIMARY KEY (id);

--
-- Name: recommendation_notes recommendation_notes_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendation_notes
    ADD CONSTRAINT recommendation_notes_pkey PRIMARY KEY (id);

--
-- Name: recommendations recommendations_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendations
    ADD CONSTRAINT recommendations_pkey PRIMARY KEY (id);

--
-- Name: refresh_tokens refresh_tokens_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id);

--
-- Name: refresh_tokens refresh_tokens_token_hash_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.refresh_tokens
    ADD CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash);

--
-- Name: targets targets_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.targets
    ADD CONSTRAINT targets_pkey PRIMARY KEY (id);

--
-- Name: targets targets_tenant_id_name_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.targets
    ADD CONSTRAINT targets_tenant_id_name_key UNIQUE (tenant_id, name);

--
-- Name: tenants tenants_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);

--
-- Name: tenants tenants_slug_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.tenants
    ADD CONSTRAINT tenants_slug_key UNIQUE (slug);

--
-- Name: users users_oidc_issuer_oidc_subject_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.users
    ADD CONSTRAINT users_oidc_issuer_oidc_subject_key UNIQUE (oidc_issuer, oidc_subject);

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

--
-- Name: api_keys_tenant_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX api_keys_tenant_id_idx ON optischema.api_keys USING btree (tenant_id);

--
-- Name: audit_log_tenant_id_at_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX audit_log_tenant_id_at_idx ON optischema.audit_log USING btree (tenant_id, at DESC);

--
-- Name: memberships_user_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX memberships_user_id_idx ON optischema.memberships USING btree (user_id);

--
-- Name: recommendation_notes_recommendation_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX recommendation_notes_recommendation_id_idx ON optischema.recommendation_notes USING btree (recommendation_id);

--
-- Name: recommendations_target_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX recommendations_target_id_idx ON optischema.recommendations USING btree (target_id);

--
-- Name: recommendations_tenant_id_created_at_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX recommendations_tenant_id_created_at_idx ON optischema.recommendations USING btree (tenant_id, created_at DESC);

--
-- Name: refresh_tokens_user_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX refresh_tokens_user_id_idx ON optischema.refresh_tokens USING btree (user_id);

--
-- Name: users_email_key; Type: INDEX; Schema: optischema; Owner: -
--

CREATE UNIQUE INDEX users_email_key ON optischema.users USING btree (lower(email));

--
-- Name: audit_log audit_log_append_only; Type: TRIGGER; Schema: optischema; Owner: -
--

CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE OR TRUNCATE ON optischema.audit_log FOR EACH STATEMENT EXECUTE FUNCTION optischema.refuse_audit_change();

--
-- Name: recommendations recommendations_publish; Type: TRIGGER; Schema: optischema; Owner: -
--

CREATE TRIGGER recommendations_publish AFTER INSERT OR UPDATE OF state ON optischema.recommendations FOR EACH ROW EXECUTE FUNCTION optischema.recommendation_event();

--
-- Name: api_keys api_keys_created_by_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.api_keys
    ADD CONSTRAINT api_keys_created_by_fkey FOREIGN KEY (created_by) REFERENCES optischema.users(id) ON DELETE SET NULL;

--
-- Name: api_keys api_keys_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.api_keys
    ADD CONSTRAINT api_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: audit_log audit_log_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.audit_log
    ADD CONSTRAINT audit_log_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE SET NULL;

--
-- Name: memberships memberships_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.memberships
    ADD CONSTRAINT memberships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: memberships memberships_user_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.memberships
    ADD CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES optischema.users(id) ON DELETE CASCADE;

--
-- Name: recommendation_notes recommendation_notes_author_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendation_notes
    ADD CONSTRAINT recommendation_notes_author_id_fkey FOREIGN KEY (author_id) REFERENCES optischema.users(id) ON DELETE SET NULL;

--
-- Name: recommendation_notes recommendation_notes_recommendation_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendation_notes
    ADD CONSTRAINT recommendation_notes_recommendation_id_fkey FOREIGN KEY (recommendation_id) REFERENCES optischema.recommendations(id) ON DELETE CASCADE;

--
-- Name: recommendation_notes recommendation_notes_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendation_notes
    ADD CONSTRAINT recommendation_notes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: recommendations recommendations_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendations
    ADD CONSTRAINT recommendations_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: recommendations recommendations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendations
    ADD CONSTRAINT recommendations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: refresh_tokens refresh_tokens_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.refresh_tokens
    ADD CONSTRAINT refresh_tokens_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: refresh_tokens refresh_tokens_user_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.refresh_tokens
    ADD CONSTRAINT refresh_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES optischema.users(id) ON DELETE CASCADE;

--
-- Name: targets targets_created_by_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.targets
    ADD CONSTRAINT targets_created_by_fkey FOREIGN KEY (created_by) REFERENCES optischema.users(id) ON DELETE SET NULL;

--
-- Name: targets targets_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.targets
    ADD CONSTRAINT targets_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: api_keys; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.api_keys ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_log; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.audit_log ENABLE ROW LEVEL SECURITY;

--
-- Name: memberships; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.memberships ENABLE ROW LEVEL SECURITY;

--
-- Name: recommendation_notes; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.recommendation_notes ENABLE ROW LEVEL SECURITY;

--
-- Name: recommendations; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.recommendations ENABLE ROW LEVEL SECURITY;

--
-- Name: refresh_tokens; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.refresh_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: targets; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.targets ENABLE ROW LEVEL SECURITY;

--
-- Name: api_keys tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.api_keys USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: audit_log tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.audit_log USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: memberships tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.memberships USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: recommendation_notes tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.recommendation_notes USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: recommendations tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.recommendations USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: targets tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.targets USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: tenants tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.tenants USING ((id = optischema.current_tenant_id()));

--
-- Name: users tenant_members; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_members ON optischema.users USING (((id = optischema.current_user_id()) OR (EXISTS ( SELECT
   FROM optischema.memberships m
  WHERE ((m.user_id = users.id) AND (m.tenant_id = optischema.current_tenant_id()))))));

--
-- Name: tenants; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.tenants ENABLE ROW LEVEL SECURITY;

--
-- Name: users; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.users ENABLE ROW LEVEL SECURITY;

--
-- PostgreSQL database dump complete
--
