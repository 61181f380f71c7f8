import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../sidecar/database/migrations.ts';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database.ts';

/**
 * The privilege model read back from the catalog, so that a function or tenant table added later
 * cannot slip through: every OptiSchema function (plv8 engine functions too, where installed) is
 * closed to PUBLIC and pins search_path; every tenant table forces row-level security; no API role
 * reads a secret.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
});
afterAll(async () => {
  await db?.close();
});

const API_ROLES = ['optischema_viewer', 'optischema_analyst', 'optischema_admin'] as const;

/** OptiSchema's own functions (not the members of extensions that live in its schema). */
const FUNCTIONS = `
  -- Named by hand: regprocedure's text leaves out schemas on the search_path.
  select p.oid, n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')' as signature, p.proacl::text[] as acl, p.proconfig as config,
         p.prosqlbody is not null as standard_body,
         exists (select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                  where a.grantee = 0 and a.privilege_type = 'EXECUTE') as public_execute
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('optischema', 'optischema_api')
    and not exists (select from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  order by 1`;

interface FunctionRow {
  signature: string;
  acl: string[] | null;
  config: string[] | null;
  standard_body: boolean;
  public_execute: boolean;
}

/** search_path=pg_catalog, …, pg_temp: built-ins first, temporary objects last (never first, as when unlisted). */
function pinsSearchPath(row: FunctionRow): boolean {
  // A SQL-standard body is bound when created: no name is looked up at run time.
  if (row.standard_body) return true;
  const setting = (row.config ?? []).find((entry) => entry.startsWith('search_path='));
  if (!setting) return false;
  const path = setting.slice('search_path='.length).split(',').map((part) => part.trim().replace(/^"|"$/g, ''));
  return path[0] === 'pg_catalog' && path.at(-1) === 'pg_temp';
}

describe('functions', () => {
  it('none is executable by PUBLIC, and each pins search_path', async () => {
    const { rows } = await db.pool.query<FunctionRow>(FUNCTIONS);
    expect(rows.length).toBeGreaterThan(40);
    expect(rows.filter((row) => row.public_execute).map((row) => `${row.signature} ${JSON.stringify(row.acl)}`)).toEqual([]);
    expect(rows.filter((row) => !pinsSearchPath(row)).map((row) => `${row.signature} ${JSON.stringify(row.config)}`)).toEqual([]);
  });

  it('API roles may execute exactly what the API calls', async () => {
    const executable: Record<string, string[]> = {};
    for (const role of API_ROLES) {
      const { rows } = await db.pool.query<{ signature: string }>(
        `select f.signature from (${FUNCTIONS}) f where has_function_privilege($1, f.oid, 'execute') order by 1`,
        [role],
      );
      executable[role] = rows.map((row) => row.signature);
    }
    const viewer = [
      'optischema.current_app_role()', 'optischema.current_tenant_id()', 'optischema.current_user_id()', 'optischema.require_role(text)',
      // The web app's reads (0015).
      'optischema_api.query_history(uuid, bigint, interval)',
      'optischema_api.query_stats(uuid, interval, integer, integer)',
      'optischema_api.recommendations_for_query(uuid, bigint)',
      'optischema_api.whoami()',
      'optischema_api.ai_status()',
    ];
    const analyst = [
      ...viewer,
      'optischema_api.add_recommendation_note(uuid, text)',
      'optischema_api.set_recommendation_state(uuid, text)',
      // The transitions a request may ask for (0014) and the helpers they call as the caller.
      'optischema.dismiss(uuid, text)',
      'optischema.move_recommendation(uuid, text, jsonb)',
      'optischema.recommendation_dedup_key(text, text)',
      'optischema.recommendation_for_transition(uuid)',
      'optischema.recommendation_transition_allowed(text, text)',
      'optischema.recommendation_transition_requestable(text, text)',
      'optischema.transition_caller(text)',
      'optischema.validate(uuid)',
      'optischema_api.dismiss_recommendation(uuid, text)',
      'optischema_api.validate_recommendation(uuid)',
    ];
    const admin = [
      ...analyst,
      'optischema.add_member_to_current_tenant(text, text)',
      'optischema_api.add_member(text, text)',
      'optischema_api.create_api_key(text, text)',
      'optischema_api.delete_target(uuid)',
      'optischema_api.remove_member(uuid)',
      'optischema_api.revoke_api_key(uuid)',
      'optischema_api.set_member_role(uuid, text)',
      'optischema.apply(uuid, timestamp with time zone, text)',
      'optischema.rollback(uuid)',
      'optischema_api.apply_recommendation(uuid, timestamp with time zone, text)',
      'optischema_api.rollback_recommendation(uuid)',
      'optischema_api.set_target_policy(uuid, text, double precision, boolean, text, time without time zone, integer, boolean)',
      'optischema_api.set_target_thresholds(uuid, double precision, integer, integer)',
      'optischema_api.set_ai_settings(boolean, text, text, text, boolean, bigint, integer)',
    ];
    expect(executable).toEqual({
      optischema_viewer: viewer.sort(),
      optischema_analyst: analyst.sort(),
      optischema_admin: admin.sort(),
    });
  });

  it('a function a later migration creates is not PUBLIC either, and the installer keeps its own defaults', async () => {
    const fresh = await createTestDatabase({ migrated: true });
    try {
      const migrations = await readMigrations();
      const sql = 'create function optischema.later_one() returns int language sql set search_path = pg_catalog, pg_temp as $$ select 1 $$;';
      const later = { id: migrations.length + 1, name: 'later.sql', sql, checksum: createHash('sha256').update(sql).digest('hex') };
      expect((await withClient(fresh.url, (client) => migrate(client, [...migrations, later]))).applied).toEqual(['later.sql']);
      const { rows } = await fresh.pool.query<FunctionRow>(`select * from (${FUNCTIONS}) f where f.signature = 'optischema.later_one()'`);
      expect(rows[0]).toMatchObject({ public_execute: false });
      // Outside migrations, the role's new functions get PostgreSQL's usual default again.
      const { rows: defaults } = await fresh.pool.query('select defaclrole::regrole::text, defaclacl::text from pg_default_acl');
      expect(defaults).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe('tables', () => {
  it('every tenant table (one with tenant_id) has row-level security enabled and forced', async () => {
    const { rows } = await db.pool.query<{ table: string; enabled: boolean; forced: boolean }>(`
      select n.nspname || '.' || c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('optischema', 'optischema_api') and c.relkind in ('r', 'p')
        and exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
      order by 1`);
    expect(rows.map((row) => row.table)).toEqual(expect.arrayContaining(['optischema.targets', 'optischema.recommendations', 'optischema.advice_requests']));
    expect(rows.filter((row) => !row.enabled || !row.forced)).toEqual([]);
  });

  it('no API role may read a secret column', async () => {
    const secrets = [
      ['optischema.targets', 'secret_ciphertext'],
      ['optischema.targets', 'secret_ref'],
      ['optischema.users', 'password_hash'],
      ['optischema.api_keys', 'key_hash'],
      ['optischema.refresh_tokens', 'token_hash'],
    ];
    const readable: string[] = [];
    for (const role of API_ROLES) {
      for (const [table, column] of secrets) {
        const { rows } = await db.pool.query('select has_column_privilege($1, $2, $3, $4) as yes', [role, table, column, 'select']);
        if (rows[0].yes) readable.push(`${role}: ${table}.${column}`);
      }
    }
    expect(readable).toEqual([]);
  });
});

describe('publish_event', () => {
  it('publishes on the tenant of the verified setting, not an argument, and no API role may call it', async () => {
    const { rows: [tenant] } = await db.pool.query(`insert into optischema.tenants (name, slug) values ('Events', 'events') returning id`);
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    try {
      const heard: { channel: string; payload?: string }[] = [];
      listener.on('notification', (message) => heard.push({ channel: message.channel, payload: message.payload }));
      await listener.query(`listen "optischema_events:${tenant.id}"`);

      await expect(db.pool.query(`select optischema.publish_event('{"kind": "x"}')`)).rejects.toMatchObject({ code: '42501' });
      // The old form, tenant as an argument, is gone.
      await expect(db.pool.query(`select optischema.publish_event($1::uuid, '{}'::jsonb)`, [tenant.id])).rejects.toMatchObject({ code: '42883' });

      const client = await db.pool.connect();
      try {
        await client.query('begin');
        await client.query(`select set_config('optischema.tenant_id', $1, true)`, [tenant.id]);
        await client.query(`select optischema.publish_event('{"kind": "job_progress", "pct": 50}')`);
        await client.query('commit');
      } finally {
        client.release();
      }
      // The listener's own round trip after the commit: the notification arrived before its answer.
      await listener.query('select 1');
      expect(heard).toEqual([{ channel: `optischema_events:${tenant.id}`, payload: '{"pct": 50, "kind": "job_progress"}' }]);
    } finally {
      await listener.end();
    }
    for (const role of API_ROLES) {
      const { rows } = await db.pool.query(`select has_function_privilege($1, 'optischema.publish_event(jsonb)', 'execute') as yes`, [role]);
      expect(rows[0].yes, role).toBe(false);
    }
  });
});
