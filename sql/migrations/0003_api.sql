-- The client API (schema optischema_api): views and functions that PostGraphile exposes.
--
-- Views are security_invoker (PostgreSQL 15+): they read the base tables with the caller's own
-- grants and row-level security, so a view can never show more than its caller may see. Functions
-- are SECURITY INVOKER for the same reason, and check the caller's role where a role decides more
-- than the grants do. Errors use SQLSTATEs the API passes through to clients:
--   42501 insufficient_privilege, P0002 no_data_found, 22023 invalid_parameter_value, 23514 check_violation.

create view optischema_api.tenant with (security_invoker = true) as
  select id, name, slug, created_at from optischema.tenants;
comment on view optischema_api.tenant is 'The tenant of the signed-in user or API key.';

create view optischema_api.members with (security_invoker = true) as
  select m.user_id, u.email, u.display_name, m.role, m.created_at
  from optischema.memberships m join optischema.users u on u.id = m.user_id;

create view optischema_api.targets with (security_invoker = true) as
  select id, name, created_at, last_check_at, last_check from optischema.targets;
comment on view optischema_api.targets is 'Monitored databases. Connection strings are never readable through the API.';

create view optischema_api.recommendations with (security_invoker = true) as
  select id, target_id, kind, title, statement, rollback_statement, rationale, state, improvement_pct, created_at, updated_at
  from optischema.recommendations;

create view optischema_api.recommendation_notes with (security_invoker = true) as
  select id, recommendation_id, author_id, body, created_at from optischema.recommendation_notes;

create view optischema_api.api_keys with (security_invoker = true) as
  select id, name, role, prefix, created_by, created_at, last_used_at, revoked_at from optischema.api_keys;

create view optischema_api.audit_log with (security_invoker = true) as
  select id, at, actor_user_id, actor_api_key_id, actor_label, action, object_type, object_id, result, client_address, details
  from optischema.audit_log;

grant select on optischema_api.tenant, optischema_api.members, optischema_api.targets,
  optischema_api.recommendations, optischema_api.recommendation_notes to optischema_viewer;
grant select on optischema_api.api_keys, optischema_api.audit_log to optischema_admin;

-- Raises 42501 unless the request's role is at least `needed`.
create function optischema.require_role(needed text) returns void language plpgsql stable as $$
declare
  rank constant jsonb := '{"viewer": 1, "analyst": 2, "admin": 3}';
  have text := optischema.current_app_role();
begin
  if have is null or optischema.current_tenant_id() is null or (rank ->> have)::int < (rank ->> needed)::int then
    raise exception 'this needs the % role', needed using errcode = 'insufficient_privilege';
  end if;
end
$$;
grant execute on function optischema.require_role(text) to optischema_viewer;

-- Analysts move recommendations between proposed, validated and dismissed. Applying and rolling
-- back are the apply manager's transitions (admins, through the sandbox-validated apply path).
create function optischema_api.set_recommendation_state(recommendation_id uuid, state text)
returns optischema_api.recommendations language plpgsql volatile as $$
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

create function optischema_api.add_recommendation_note(recommendation_id uuid, body text)
returns optischema_api.recommendation_notes language plpgsql volatile as $$
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

create type optischema_api.new_api_key as (id uuid, prefix text, key text);
comment on type optischema_api.new_api_key is 'A new API key. `key` is shown this once; only its hash is stored.';

create function optischema_api.create_api_key(name text, role text) returns optischema_api.new_api_key
language plpgsql volatile as $$
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

create function optischema_api.revoke_api_key(api_key_id uuid) returns optischema_api.api_keys
language plpgsql volatile as $$
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

create function optischema_api.delete_target(target_id uuid) returns uuid language plpgsql volatile as $$
begin
  perform optischema.require_role('admin');
  delete from optischema.targets t where t.id = target_id;
  if not found then
    raise exception 'no target %', target_id using errcode = 'no_data_found';
  end if;
  return target_id;
end
$$;

create function optischema_api.set_member_role(user_id uuid, role text) returns optischema_api.members
language plpgsql volatile as $$
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

create function optischema_api.remove_member(user_id uuid) returns uuid language plpgsql volatile as $$
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

-- Grants and the role checks inside each function both hold the line: either alone would suffice.
grant execute on function optischema_api.set_recommendation_state(uuid, text), optischema_api.add_recommendation_note(uuid, text)
  to optischema_analyst;
grant execute on function optischema_api.create_api_key(text, text), optischema_api.revoke_api_key(uuid),
  optischema_api.delete_target(uuid), optischema_api.set_member_role(uuid, text), optischema_api.remove_member(uuid)
  to optischema_admin;
