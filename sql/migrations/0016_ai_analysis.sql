-- AI analysis (issue 13): each tenant's model settings, and every analysis OptiSchema made of a
-- query with what it sent, what came back and what PostgreSQL verified of it.
--
-- The model explains and proposes; PostgreSQL verifies. An analysis's proposals carry their
-- verification (`verified`, `rejected` with the reason, or `unverified`); only a verified index
-- becomes a recommendation (through record_index_recommendations, like the engine's own), and
-- nothing a model wrote is ever run on a target.

/*
 * One row per tenant that changed the defaults. Without a row, or without a provider, the
 * sidecar's global default applies (OPTISCHEMA_AI_* environment variables); without either,
 * OptiSchema runs in deterministic mode (the rewriter and the engine, no model).
 *
 * The API key is sealed by the sidecar (AES-256-GCM, the key of sidecar/secrets/) or named by a
 * reference it resolves at use (env:NAME, file:/path); neither is granted to any API role.
 */
create table optischema.ai_settings (
  tenant_id uuid primary key references optischema.tenants on delete cascade,
  enabled boolean not null default true,
  provider text check (provider in ('openai', 'ollama', 'gemini', 'bedrock')),
  model text check (length(model) between 1 and 200),
  base_url text check (base_url ~ '^https?://'),
  api_key_ciphertext bytea,
  api_key_ref text check (api_key_ref ~ '^(env:[A-Za-z_][A-Za-z0-9_]*|file:/.+)$'),
  -- Query literals, pg_qualstats constants and most-common values go to the model only when on.
  send_literals boolean not null default false,
  -- Tokens (input + output) the tenant's analyses may spend per calendar month (UTC).
  monthly_token_budget bigint not null default 2000000 check (monthly_token_budget >= 0),
  -- At most this many analyses per hour for the tenant; slow queries beyond wait for the next hour.
  reviews_per_hour int not null default 20 check (reviews_per_hour between 0 and 10000),
  updated_at timestamptz not null default now(),
  check (api_key_ciphertext is null or api_key_ref is null)
);
alter table optischema.ai_settings enable row level security;
alter table optischema.ai_settings force row level security;
create policy tenant_isolation on optischema.ai_settings
  using (tenant_id = optischema.current_tenant_id()) with check (tenant_id = optischema.current_tenant_id());
grant select (tenant_id, enabled, provider, model, base_url, send_literals, monthly_token_budget, reviews_per_hour, updated_at)
  on optischema.ai_settings to optischema_viewer;

-- A key belongs to the server it was given for: an update that points the tenant at another
-- provider or address without giving a new key drops the old one, so an admin who changes
-- base_url can never have the sidecar send the operator's key to a host of their choosing.
create function optischema.ai_settings_drop_stale_key() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  if (new.provider is distinct from old.provider or new.base_url is distinct from old.base_url)
     and new.api_key_ciphertext is not distinct from old.api_key_ciphertext
     and new.api_key_ref is not distinct from old.api_key_ref then
    new.api_key_ciphertext := null;
    new.api_key_ref := null;
  end if;
  return new;
end
$$;
create trigger drop_stale_key before update on optischema.ai_settings
  for each row execute function optischema.ai_settings_drop_stale_key();

/*
 * One analysis of one statement. `proposals`: [{kind: index|rewrite|setting, source: model|rewriter,
 * sql, reason, verification: {state: verified|rejected|unverified, reason, …measurement},
 * recommendationId?}], in the order they were made. `context` is what was sent (the text and
 * its sections with their token counts) and `transcript` every message exchanged: for admins
 * only ("what did we send?").
 */
create table optischema.ai_analyses (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  queryid bigint,
  -- The statement analysed as OptiSchema keeps it (normalized text for collected statements).
  query text not null,
  -- ok: the model answered and its answer was checked; rejected: its answer stayed malformed after
  -- one repair; failed: the provider could not be reached; deterministic: no model, the rewriter only.
  status text not null check (status in ('ok', 'rejected', 'failed', 'deterministic')),
  provider text,
  model text,
  explanation text not null default '',
  findings jsonb not null default '[]',
  proposals jsonb not null default '[]',
  error text,
  input_tokens int not null default 0,
  output_tokens int not null default 0,
  tool_calls int not null default 0,
  context jsonb,
  transcript jsonb,
  created_at timestamptz not null default now()
);
create index ai_analyses_target_queryid_idx on optischema.ai_analyses (target_id, queryid, created_at desc);
create index ai_analyses_tenant_created_idx on optischema.ai_analyses (tenant_id, created_at desc);
alter table optischema.ai_analyses enable row level security;
alter table optischema.ai_analyses force row level security;
create policy tenant_isolation on optischema.ai_analyses
  using (tenant_id = optischema.current_tenant_id()) with check (tenant_id = optischema.current_tenant_id());
grant select (id, tenant_id, target_id, queryid, query, status, provider, model, explanation, findings, proposals, error,
              input_tokens, output_tokens, tool_calls, created_at)
  on optischema.ai_analyses to optischema_viewer;
grant select (context, transcript) on optischema.ai_analyses to optischema_admin;

-- Which recommendations an analysis speaks to (the statement's, when it was made).
create table optischema.ai_analysis_recommendations (
  analysis_id uuid not null references optischema.ai_analyses on delete cascade,
  recommendation_id uuid not null references optischema.recommendations on delete cascade,
  tenant_id uuid not null references optischema.tenants on delete cascade,
  primary key (analysis_id, recommendation_id)
);
create index ai_analysis_recommendations_rec_idx on optischema.ai_analysis_recommendations (recommendation_id);
alter table optischema.ai_analysis_recommendations enable row level security;
alter table optischema.ai_analysis_recommendations force row level security;
create policy tenant_isolation on optischema.ai_analysis_recommendations
  using (tenant_id = optischema.current_tenant_id()) with check (tenant_id = optischema.current_tenant_id());
grant select on optischema.ai_analysis_recommendations to optischema_viewer;

/*
 * The tokens a tenant's analyses spent this calendar month (UTC) and whether another analysis
 * may start now: under the monthly budget and under the hourly rate. The sidecar's ai_review
 * job asks before it calls a model.
 *   select * from optischema.ai_allowance('…');  -- (12840, 2000000, 3, 20, true)
 */
create function optischema.ai_allowance(p_tenant uuid)
returns table (tokens_this_month bigint, monthly_token_budget bigint, reviews_last_hour int, reviews_per_hour int, allowed boolean)
language sql stable set search_path = pg_catalog, pg_temp as $$
  with settings as (
    select coalesce(s.monthly_token_budget, 2000000) as budget, coalesce(s.reviews_per_hour, 20) as per_hour
    from (select 1) one left join optischema.ai_settings s on s.tenant_id = p_tenant
  ), spent as (
    select coalesce(sum(a.input_tokens + a.output_tokens), 0)::bigint as tokens,
           count(*) filter (where a.created_at > now() - interval '1 hour' and a.status <> 'deterministic')::int as last_hour
    from optischema.ai_analyses a
    where a.tenant_id = p_tenant and a.created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'
  )
  select spent.tokens, settings.budget, spent.last_hour, settings.per_hour,
         spent.tokens < settings.budget and spent.last_hour < settings.per_hour
  from spent, settings
$$;

-- What the web app and API clients read. Viewers see analyses without what was sent; admins also
-- see the context and transcript.
create view optischema_api.ai_analyses with (security_invoker = true) as
  select id, target_id, queryid, query, status, provider, model, explanation, findings, proposals, error,
         input_tokens, output_tokens, tool_calls, created_at
  from optischema.ai_analyses;
grant select on optischema_api.ai_analyses to optischema_viewer;
comment on view optischema_api.ai_analyses is
  E'AI analyses of statements: the model''s explanation and findings, and each proposal with what PostgreSQL verified.\n@primaryKey id';

create view optischema_api.ai_analysis_audit with (security_invoker = true) as
  select id, target_id, queryid, context, transcript, created_at from optischema.ai_analyses;
grant select on optischema_api.ai_analysis_audit to optischema_admin;
comment on view optischema_api.ai_analysis_audit is
  E'What each AI analysis sent to the model and every message exchanged (admins).\n@primaryKey id';

create view optischema_api.recommendation_ai_analyses with (security_invoker = true) as
  select l.recommendation_id, a.id as analysis_id, a.status, a.provider, a.model, a.explanation, a.findings, a.proposals,
         a.error, a.created_at
  from optischema.ai_analysis_recommendations l join optischema.ai_analyses a on a.id = l.analysis_id;
grant select on optischema_api.recommendation_ai_analyses to optischema_viewer;
comment on view optischema_api.recommendation_ai_analyses is
  E'The AI analyses that speak to a recommendation.\n@primaryKey recommendation_id,analysis_id';

/*
 * The caller's AI state for the web app: whether a model is set (the tenant's or the sidecar's
 * default, which the sidecar reports into optischema.ai_default), which, and what was spent.
 */
create table optischema.ai_default (
  only_row boolean primary key default true check (only_row),
  provider text,
  model text,
  updated_at timestamptz not null default now()
);
grant select on optischema.ai_default to optischema_viewer;

create type optischema_api.ai_status as (
  enabled boolean, provider text, model text, base_url text, send_literals boolean,
  tokens_this_month bigint, monthly_token_budget bigint, reviews_last_hour int, reviews_per_hour int
);
create function optischema_api.ai_status() returns optischema_api.ai_status
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(s.enabled, true) and coalesce(s.provider, d.provider) is not null,
         coalesce(s.provider, d.provider), case when s.provider is not null then s.model else d.model end,
         -- The tenant's own address only: the sidecar's default is the operator's configuration.
         case when s.provider is not null then s.base_url end,
         coalesce(s.send_literals, false),
         (select coalesce(sum(a.input_tokens + a.output_tokens), 0)::bigint from optischema.ai_analyses a
           where a.created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'),
         coalesce(s.monthly_token_budget, 2000000),
         (select count(*)::int from optischema.ai_analyses a where a.created_at > now() - interval '1 hour' and a.status <> 'deterministic'),
         coalesce(s.reviews_per_hour, 20)
  from (select 1) one
  left join optischema.ai_settings s on s.tenant_id = optischema.current_tenant_id()
  left join optischema.ai_default d on true
$$;
grant execute on function optischema_api.ai_status() to optischema_viewer;
comment on function optischema_api.ai_status() is 'Whether AI analysis is on for the caller''s tenant, with which model, and the tokens spent this month.';

/*
 * Admins: the tenant's model settings other than the key (which the sidecar seals: the CLI's
 * `optischema ai set --api-key-env`). A null provider falls back to the sidecar's default.
 */
grant insert (tenant_id, enabled, provider, model, base_url, send_literals, monthly_token_budget, reviews_per_hour, updated_at),
      update (enabled, provider, model, base_url, send_literals, monthly_token_budget, reviews_per_hour, updated_at)
  on optischema.ai_settings to optischema_admin;
create function optischema_api.set_ai_settings(
  enabled boolean, provider text, model text, base_url text, send_literals boolean, monthly_token_budget bigint, reviews_per_hour int
) returns optischema_api.ai_status
language plpgsql volatile set search_path = pg_catalog, pg_temp as $$
begin
  perform optischema.require_role('admin');
  if provider is not null and model is null then
    raise exception 'a provider needs a model' using errcode = 'invalid_parameter_value';
  end if;
  insert into optischema.ai_settings as s (tenant_id, enabled, provider, model, base_url, send_literals, monthly_token_budget, reviews_per_hour, updated_at)
  values (optischema.current_tenant_id(), coalesce(enabled, true), provider, model, base_url, coalesce(send_literals, false),
          coalesce(monthly_token_budget, 2000000), coalesce(reviews_per_hour, 20), now())
  on conflict (tenant_id) do update
    set enabled = excluded.enabled, provider = excluded.provider, model = excluded.model, base_url = excluded.base_url,
        send_literals = excluded.send_literals, monthly_token_budget = excluded.monthly_token_budget,
        reviews_per_hour = excluded.reviews_per_hour, updated_at = now();
  return optischema_api.ai_status();
end
$$;
revoke execute on function optischema_api.set_ai_settings(boolean, text, text, text, boolean, bigint, int) from public;
grant execute on function optischema_api.set_ai_settings(boolean, text, text, text, boolean, bigint, int) to optischema_admin;
comment on function optischema_api.set_ai_settings(boolean, text, text, text, boolean, bigint, int) is
  'Sets the tenant''s AI model (admins). The API key is never set or read here.';
