import type pg from 'pg';
import { sideEffectWithPgClient, sideEffectWithPgClientTransaction, type PgClient, type PgExecutor } from 'postgraphile/@dataplan/pg';
import { context, object, SafeError, type Step } from 'postgraphile/grafast';
import { extendSchema } from 'postgraphile/utils';
import type { AppRole } from '../auth/identity.ts';
import { UserError } from '../errors.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { SecretRefAllowlist } from '../secrets/secret-ref-allowlist.ts';
import type { ApiRequestInfo } from './context.ts';
import { withSystemTenant } from './system-tenant.ts';
import { checkTarget } from './target-check.ts';
import { resolveTargetUrl, sealTargetSecret } from './target-secret.ts';

const RANK: Record<AppRole, number> = { viewer: 1, analyst: 2, admin: 3 };

/** The first line of defence (the database's grants and RLS are the second): 42501 below `needed`. */
export function requireRole(request: ApiRequestInfo | undefined, needed: AppRole): ApiRequestInfo {
  if (!request) throw new SafeError('not authenticated', { code: '42501' });
  if (RANK[request.identity.role] < RANK[needed]) throw new SafeError(`this needs the ${needed} role`, { code: '42501' });
  return request;
}

/** A UserError's message is written for people; anything else stays an error for the mask. */
function asClientError(error: unknown, code = '22023'): unknown {
  return error instanceof UserError ? new SafeError(error.message, { code }) : error;
}

async function queryRows<R>(client: PgClient, text: string, values: unknown[]): Promise<readonly R[]> {
  return (await client.query<R>({ text, values: values as never[] })).rows;
}

/**
 * Target mutations that need the sidecar: `createTarget` seals the connection string before it reaches
 * the database (admins; the insert runs under the request's role and RLS, so the database enforces it
 * too), and `testTargetConnection` runs the doctor on a target (analysts and admins).
 */
export function makeTargetsPlugin(deps: {
  systemPool: pg.Pool;
  secretBox: SecretBox;
  secretRefs?: SecretRefAllowlist;
  /** OptiSchema's own database: the local target (secret_ref 'local') is tested there. */
  localUrl?: string;
}) {
  return extendSchema((build) => {
    const executor = build.input.pgRegistry.pgExecutors.main as PgExecutor;
    const targets = build.input.pgRegistry.pgResources.targets;
    if (!targets) throw new Error('the optischema_api.targets view is not visible to the API role');
    return {
      typeDefs: /* GraphQL */ `
        input CreateTargetInput {
          name: String!
          """A postgres:// URL. Encrypted by the server before storage; never returned."""
          connectionString: String
          """
          Instead of a connection string: env:NAME or file:/path, read by the server when it connects.
          Only references the operator lists in OPTISCHEMA_TARGET_SECRET_REFS are accepted.
          """
          secretRef: String
        }
        type CreateTargetPayload {
          targetId: UUID!
          target: Target
        }
        input TestTargetConnectionInput {
          targetId: UUID!
        }
        type TargetCheck {
          id: String!
          """ok, warn, fail or info"""
          status: String!
          message: String!
          """What to run or change, when something should change."""
          fix: String
        }
        type TestTargetConnectionPayload {
          targetId: UUID!
          reachable: Boolean!
          """True when OptiSchema can run on the target (no failed check)."""
          ready: Boolean!
          """Why the target could not be checked, in words."""
          error: String
          serverVersion: String
          checks: [TargetCheck!]!
          checkedAt: Datetime!
        }
        extend type Mutation {
          """Registers a monitored database (admins)."""
          createTarget(input: CreateTargetInput!): CreateTargetPayload
          """Connects to a target, runs the doctor's checks and stores the result (analysts and admins)."""
          testTargetConnection(input: TestTargetConnectionInput!): TestTargetConnectionPayload
        }
      `,
      objects: {
        Mutation: {
          plans: {
            createTarget(_: Step, fieldArgs: any) {
              const $id = sideEffectWithPgClientTransaction(
                executor,
                { input: fieldArgs.getRaw('input'), request: context().get('optischemaRequest') },
                async (client, { input, request }) => {
                  const caller = requireRole(request as ApiRequestInfo | undefined, 'admin');
                  // The tenant's slug, for references the operator scoped to it (under RLS: only its own).
                  const [tenant] = await queryRows<{ id: string; slug: string }>(
                    client,
                    'select id, slug from optischema.tenants where id = optischema.current_tenant_id()',
                    [],
                  );
                  let sealed;
                  try {
                    sealed = sealTargetSecret(input, deps.secretBox, {
                      tenant: tenant ?? { id: caller.identity.tenantId ?? '' },
                      allowlist: deps.secretRefs,
                    });
                  } catch (error) {
                    throw asClientError(error);
                  }
                  // Under the request's role and settings: the grant and the RLS WITH CHECK decide too.
                  const [row] = await queryRows<{ id: string }>(
                    client,
                    `insert into optischema.targets (tenant_id, name, secret_ciphertext, secret_ref, created_by)
                     values (optischema.current_tenant_id(), $1, $2, $3, optischema.current_user_id())
                     returning id`,
                    [sealed.name, sealed.secretCiphertext, sealed.secretRef],
                  );
                  caller.auditObjects.push({ action: 'createTarget', objectId: row!.id });
                  return row!.id;
                },
              );
              return object({ targetId: $id, target: targets.get({ id: $id }) });
            },
            testTargetConnection(_: Step, fieldArgs: any) {
              return sideEffectWithPgClient(
                executor,
                { input: fieldArgs.getRaw('input'), request: context().get('optischemaRequest') },
                async (client, { input, request }) => {
                  const caller = requireRole(request as ApiRequestInfo | undefined, 'analyst');
                  const targetId = String((input as { targetId: string }).targetId);
                  // Visible to the caller under RLS, or it does not exist for them.
                  const visible = await queryRows(client, 'select id from optischema_api.targets where id = $1', [targetId]);
                  if (visible.length === 0) throw new SafeError(`no target ${targetId}`, { code: 'P0002' });
                  caller.auditObjects.push({ action: 'testTargetConnection', objectId: targetId });
                  const tenantId = caller.identity.tenantId;
                  // Secrets are granted to no API role: the sidecar reads them on its own connection.
                  const stored = await withSystemTenant(deps.systemPool, tenantId, async (system) =>
                    (await system.query<{ secret_ciphertext: Buffer | null; secret_ref: string | null; slug: string }>(
                      `select t.secret_ciphertext, t.secret_ref, n.slug
                         from optischema.targets t join optischema.tenants n on n.id = t.tenant_id
                        where t.id = $1 and t.tenant_id = $2`,
                      [targetId, tenantId],
                    )).rows[0],
                  );
                  if (!stored) throw new SafeError(`no target ${targetId}`, { code: 'P0002' });
                  // The local target belongs to the local tenant alone (RLS showed it to this caller).
                  const url = stored.secret_ref === 'local' && deps.localUrl ? deps.localUrl : await resolveTargetUrl(
                    { secretCiphertext: stored.secret_ciphertext, secretRef: stored.secret_ref },
                    deps.secretBox,
                    { tenant: { id: tenantId ?? '', slug: stored.slug }, allowlist: deps.secretRefs },
                  ).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
                  const result = await checkTarget(url);
                  await withSystemTenant(deps.systemPool, tenantId, (system) =>
                    system.query(
                      'update optischema.targets set last_check = $1, last_check_at = $2 where id = $3 and tenant_id = $4',
                      [JSON.stringify(result), result.checkedAt, targetId, tenantId],
                    ),
                  );
                  return { targetId, ...result };
                },
              );
            },
          },
        },
      },
    };
  });
}
