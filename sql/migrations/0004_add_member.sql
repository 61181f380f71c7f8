-- Admins add people to their tenant through the API: by email, with a role. A new person gets a
-- user without a password, so they sign in through single sign-on (OIDC links them by verified
-- email); someone who already has an account in another tenant is simply added to this one.
--
-- Users are shared between tenants, and a new user belongs to no tenant yet, so row-level security
-- cannot allow this insert to an API role. The write therefore runs in a SECURITY DEFINER helper
-- that only the admin role may execute and that takes the tenant from the request's own setting,
-- never from an argument. The role check happens before, in the invoker function, because inside a
-- definer function current_user is the owner.

create function optischema.add_member_to_current_tenant(member_email text, member_role text)
returns uuid language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp as $$
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
revoke all on function optischema.add_member_to_current_tenant(text, text) from public;
grant execute on function optischema.add_member_to_current_tenant(text, text) to optischema_admin;

create function optischema_api.add_member(email text, role text) returns optischema_api.members
language plpgsql volatile as $$
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
$$;
grant execute on function optischema_api.add_member(text, text) to optischema_admin;
