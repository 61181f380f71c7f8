-- Sign-in state that every sidecar on this database shares: failed-attempt counts for the rate
-- limit and OIDC logins in progress. Both used to live in one process's memory, so a second sidecar
-- behind the same load balancer doubled the attempts an attacker got and could not finish a login
-- the first one started.
--
-- Neither table belongs to a tenant (sign-in happens before a tenant is known), so neither has
-- row-level security; both are the sidecar's alone (the role that owns OptiSchema's tables), and
-- PUBLIC is refused explicitly. API roles have no grant on them.

-- One row per rate-limit key ('email:…' or 'address:…'): the times of its recent attempts, oldest
-- first. expires_at is the last attempt plus the window: past it every attempt has left the window
-- and the row may be swept.
create table optischema.sign_in_attempts (
  key text primary key,
  attempts timestamptz[] not null default '{}',
  expires_at timestamptz not null
);
create index sign_in_attempts_expires_at_idx on optischema.sign_in_attempts (expires_at);
revoke all on optischema.sign_in_attempts from public;

/*
 * Reserves one sign-in attempt under every key at once, before the password is checked, so that N
 * parallel attempts cannot all pass a check that only counts finished ones.
 *
 * p_keys[i] may have at most p_limits[i] attempts within p_window. Each key's row is upserted (which
 * locks it) in sorted key order, so two attempts that share keys wait for each other and cannot
 * deadlock; the counts read after the lock are therefore exact. When every key has room, the
 * attempt is appended to all of them and reserved_at is its time (the handle for a refund); when
 * any key is full, nothing is recorded and retry_after_seconds says when the oldest attempt that
 * matters leaves the window.
 *
 * p_now is for tests that move the clock; NULL means the database's clock, which every sidecar
 * shares (their own clocks may disagree).
 */
create function optischema.reserve_sign_in_attempt(p_keys text[], p_limits int[], p_window interval, p_now timestamptz default null)
returns table (reserved_at timestamptz, retry_after_seconds int)
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
#variable_conflict use_column
declare
  v_now timestamptz := coalesce(p_now, pg_catalog.clock_timestamp());
  v_wait interval := interval '0';
  v_i int;
  v_recent timestamptz[];
begin
  -- Sweep a bounded batch of rows whose attempts have all left the window; rows another attempt
  -- holds are skipped, not waited for.
  delete from optischema.sign_in_attempts a
  where a.key in (select s.key from optischema.sign_in_attempts s where s.expires_at < v_now limit 1000 for update skip locked);

  for v_i in select i from pg_catalog.generate_subscripts(p_keys, 1) i order by p_keys[i] loop
    insert into optischema.sign_in_attempts as a (key, attempts, expires_at)
    values (p_keys[v_i], '{}', v_now + p_window)
    on conflict (key) do update
      set attempts = array(select t from pg_catalog.unnest(a.attempts) t where t > v_now - p_window order by t)
    returning a.attempts into v_recent;
    if pg_catalog.cardinality(v_recent) >= p_limits[v_i] then
      v_wait := greatest(v_wait, v_recent[pg_catalog.cardinality(v_recent) - p_limits[v_i] + 1] + p_window - v_now);
    end if;
  end loop;

  if v_wait > interval '0' then
    return query select null::timestamptz, greatest(1, pg_catalog.ceil(extract(epoch from v_wait)))::int;
    return;
  end if;
  update optischema.sign_in_attempts a
  set attempts = a.attempts || v_now, expires_at = v_now + p_window
  where a.key = any (p_keys);
  return query select v_now, 0;
end
$$;
revoke execute on function optischema.reserve_sign_in_attempt(text[], int[], interval, timestamptz) from public;

-- OIDC logins in progress, between /auth/oidc/login and the provider's redirect back. Only hashes
-- are stored: state_hash is sha256 of the state the provider echoes, browser_hash sha256 of the
-- random value in the browser's HttpOnly cookie. The PKCE verifier and the ID token nonce are
-- derived from that cookie value, so a row alone (a copy of this table) cannot finish a login.
-- A row is deleted when its callback arrives with the matching cookie (delete … returning), so it
-- is used once; expired rows are swept when new logins start.
create table optischema.oidc_pending_logins (
  state_hash text primary key,
  browser_hash text not null,
  tenant_slug text,
  expires_at timestamptz not null
);
create index oidc_pending_logins_expires_at_idx on optischema.oidc_pending_logins (expires_at);
revoke all on optischema.oidc_pending_logins from public;
