-- Tenancy, roles and the client-facing API schema.
--
-- Every tenant-owned table has tenant_id, row-level security ENABLEd and FORCEd, and policies that
-- read transaction-local settings the sidecar sets from the verified identity (PostGraphile's
-- pgSettings): optischema.tenant_id, optischema.user_id. Clients never choose these values.
--
-- Roles (cluster-wide, created once):
--   optischema_viewer   reads
--   optischema_analyst  + changes recommendation states (not apply), adds notes
--   optischema_admin    + applies, manages targets, members, API keys; reads the audit log
--   optischema_api      the LOGIN role the API connects as: neither superuser nor owner of any table
--                       (RLS would not apply to it otherwise), NOINHERIT, and allowed to SET ROLE to
--                       the three above; PostGraphile switches role per request.
do $$
begin
  if not exists (select from pg_roles where rolname = 'optischema_viewer') then create role optischema_viewer nologin; end if;
  if not exists (select from pg_roles where rolname = 'optischema_analyst') then create role optischema_analyst nologin; end if;
  if not exists (select from pg_roles where rolname = 'optischema_admin') then create role optischema_admin nologin; end if;
  if not exists (select from pg_roles where rolname = 'optischema_api') then create role optischema_api login noinherit; end if;
end
$$;
grant optischema_viewer to optischema_analyst;
grant optischema_analyst to optischema_admin;
grant optischema_viewer, optischema_analyst, optischema_admin to optischema_api;

create schema optischema_api;
comment on schema optischema_api is 'OptiSchema''s client API: the views and functions PostGraphile exposes';
grant usage on schema optischema, optischema_api to optischema_viewer;
-- Nothing in these schemas is callable by PUBLIC unless granted below.
revoke all on schema optischema, optischema_api from public;
alter default privileges in schema optischema, optischema_api revoke execute on functions from public;

-- The verified identity of the current request, as the sidecar set it (NULL outside a request).
-- nullif: a setting once set on a pooled connection reads back as '' afterwards, not NULL.
create function optischema.current_tenant_id() returns uuid language sql stable
  as $$ select nullif(current_setting('optischema.tenant_id', true), '')::uuid $$;
create function optischema.current_user_id() returns uuid language sql stable
  as $$ select nullif(current_setting('optischema.user_id', true), '')::uuid $$;
-- The role of the request, from the database's own view of who is asking.
create function optischema.current_app_role() returns text language sql stable as $$
  select case
    when pg_has_role(current_user, 'optischema_admin', 'usage') then 'admin'
    when pg_has_role(current_user, 'optischema_analyst', 'usage') then 'analyst'
    when pg_has_role(current_user, 'optischema_viewer', 'usage') then 'viewer'
  end
$$;
grant execute on function optischema.current_tenant_id(), optischema.current_user_id(), optischema.current_app_role() to optischema_viewer;

create table optischema.tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  created_at timestamptz not null default now()
);

create table optischema.users (
  id uuid primary key default gen_random_uuid(),
  email text not null check (email ~ '^[^@\s]+@[^@\s]+$'),
  display_name text not null default '',
  -- argon2id (PHC string); NULL for users who only sign in through OIDC.
  password_hash text,
  oidc_issuer text,
  oidc_subject text,
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  unique (oidc_issuer, oidc_subject)
);
create unique index users_email_key on optischema.users (lower(email));

create table optischema.memberships (
  tenant_id uuid not null references optischema.tenants on delete cascade,
  user_id uuid not null references optischema.users on delete cascade,
  role text not null check (role in ('viewer', 'analyst', 'admin')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
create index memberships_user_id_idx on optischema.memberships (user_id);

create table optischema.api_keys (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references optischema.tenants on delete cascade,
  name text not null check (length(name) between 1 and 200),
  role text not null check (role in ('viewer', 'analyst', 'admin')),
  -- The key is shown once; only its sha256 is kept. The prefix identifies it in lists.
  prefix text not null,
  key_hash text not null unique,
  created_by uuid references optischema.users on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_tenant_id_idx on optischema.api_keys (tenant_id);

create table optischema.refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references optischema.users on delete cascade,
  tenant_id uuid not null references optischema.tenants on delete cascade,
  token_hash text not null unique,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index refresh_tokens_user_id_idx on optischema.refresh_tokens (user_id);

create table optischema.targets (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references optischema.tenants on delete cascade,
  name text not null check (length(name) between 1 and 200),
  -- Exactly one of: the connection string encrypted by the sidecar (AES-256-GCM, key from the
  -- environment), or a reference the sidecar resolves at use (env:NAME or file:/path).
  secret_ciphertext bytea,
  secret_ref text check (secret_ref ~ '^(env:[A-Za-z_][A-Za-z0-9_]*|file:/.+)$'),
  created_by uuid references optischema.users on delete set null,
  created_at timestamptz not null default now(),
  last_check_at timestamptz,
  last_check jsonb,
  unique (tenant_id, name),
  check ((secret_ciphertext is null) <> (secret_ref is null))
);

create table optischema.recommendations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  kind text not null check (kind in ('index', 'query', 'schema', 'setting')),
  title text not null,
  statement text not null,
  rollback_statement text,
  rationale text not null default '',
  state text not null default 'proposed'
    check (state in ('proposed', 'validated', 'dismissed', 'applied', 'rolled_back', 'failed')),
  improvement_pct numeric(6, 2),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index recommendations_tenant_id_created_at_idx on optischema.recommendations (tenant_id, created_at desc);
create index recommendations_target_id_idx on optischema.recommendations (target_id);

create table optischema.recommendation_notes (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references optischema.tenants on delete cascade,
  recommendation_id uuid not null references optischema.recommendations on delete cascade,
  author_id uuid references optischema.users on delete set null,
  body text not null check (length(body) between 1 and 10000),
  created_at timestamptz not null default now()
);
create index recommendation_notes_recommendation_id_idx on optischema.recommendation_notes (recommendation_id);

-- Append-only: the sidecar inserts with its own connection; nothing may change or delete a row.
create table optischema.audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  tenant_id uuid references optischema.tenants on delete set null,
  actor_user_id uuid,
  actor_api_key_id uuid,
  actor_label text not null default '',
  action text not null,
  object_type text,
  object_id text,
  result text not null check (result in ('ok', 'denied', 'error')),
  client_address inet,
  details jsonb not null default '{}'
);
create index audit_log_tenant_id_at_idx on optischema.audit_log (tenant_id, at desc);

create function optischema.refuse_audit_change() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only' using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_log_append_only before update or delete or truncate on optischema.audit_log
  for each statement execute function optischema.refuse_audit_change();

-- Row-level security: ENABLE and FORCE on every tenant-owned table, one tenant policy each.
do $$
declare
  t text;
begin
  foreach t in array array['api_keys', 'targets', 'recommendations', 'recommendation_notes', 'audit_log', 'memberships'] loop
    execute format('alter table optischema.%I enable row level security', t);
    execute format('alter table optischema.%I force row level security', t);
    execute format(
      'create policy tenant_isolation on optischema.%I using (tenant_id = optischema.current_tenant_id()) with check (tenant_id = optischema.current_tenant_id())',
      t);
  end loop;
end
$$;
alter table optischema.tenants enable row level security;
alter table optischema.tenants force row level security;
create policy tenant_isolation on optischema.tenants using (id = optischema.current_tenant_id());
alter table optischema.users enable row level security;
alter table optischema.users force row level security;
-- A user is visible to the members of a tenant they belong to, and to themselves.
create policy tenant_members on optischema.users using (
  id = optischema.current_user_id()
  or exists (select from optischema.memberships m where m.user_id = users.id and m.tenant_id = optischema.current_tenant_id())
);
-- refresh_tokens are the sidecar's alone: RLS on with no policy hides every row from API roles.
alter table optischema.refresh_tokens enable row level security;
alter table optischema.refresh_tokens force row level security;

-- Table privileges: what each role may do at all (RLS then limits it to the tenant's rows).
-- Secrets (key hashes, encrypted connection strings, password hashes) are granted to nobody.
grant select on optischema.tenants, optischema.memberships, optischema.recommendations, optischema.recommendation_notes to optischema_viewer;
grant select (id, email, display_name, created_at, disabled_at) on optischema.users to optischema_viewer;
grant select (id, tenant_id, name, created_by, created_at, last_check_at, last_check) on optischema.targets to optischema_viewer;
grant update (state, updated_at) on optischema.recommendations to optischema_analyst;
grant insert (tenant_id, recommendation_id, author_id, body) on optischema.recommendation_notes to optischema_analyst;
grant select (id, tenant_id, name, role, prefix, created_by, created_at, last_used_at, revoked_at) on optischema.api_keys to optischema_admin;
grant insert (tenant_id, name, role, prefix, key_hash, created_by) on optischema.api_keys to optischema_admin;
grant update (revoked_at) on optischema.api_keys to optischema_admin;
grant insert (tenant_id, name, secret_ciphertext, secret_ref, created_by) on optischema.targets to optischema_admin;
grant update (last_check_at, last_check) on optischema.targets to optischema_analyst;
-- Test-connection reads the sealed secret to open the target; analysts may run it.
grant select (secret_ciphertext, secret_ref) on optischema.targets to optischema_analyst;
grant delete on optischema.targets to optischema_admin;
grant update (role) on optischema.memberships to optischema_admin;
grant delete on optischema.memberships to optischema_admin;
grant select on optischema.audit_log to optischema_admin;

-- Events for live updates: one channel per tenant, so a listener only ever hears its own tenant.
create function optischema.publish_event(tenant uuid, payload jsonb) returns void language sql as $$
  select pg_notify('optischema_events:' || tenant, payload::text)
$$;
grant execute on function optischema.publish_event(uuid, jsonb) to optischema_viewer;

create function optischema.recommendation_event() returns trigger language plpgsql as $$
begin
  perform optischema.publish_event(new.tenant_id, jsonb_build_object(
    'kind', case when tg_op = 'INSERT' then 'recommendation_created' else 'recommendation_state' end,
    'target', new.target_id, 'recommendationId', new.id, 'state', new.state));
  return new;
end
$$;
create trigger recommendations_publish after insert or update of state on optischema.recommendations
  for each row execute function optischema.recommendation_event();
