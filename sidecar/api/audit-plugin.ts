import type pg from 'pg';
import type { GrafastExecutionArgs } from 'postgraphile/grafast';
import {
  getOperationAST,
  Kind,
  valueFromASTUntyped,
  type ExecutionResult,
  type FieldNode,
  type GraphQLError,
  type SelectionSetNode,
} from 'postgraphile/graphql';
import { recordAudit } from '../audit/record.ts';
import { mutationOutcome } from './audit-outcome.ts';
import type { ApiRequestInfo } from './context.ts';
import { withSystemTenant } from './system-tenant.ts';

/**
 * Records every mutation field that runs, allowed or refused, in the append-only audit log: grafast's
 * `execute` middleware sees the operation and its result (errors still unmasked) for HTTP and
 * WebSocket alike. Entries are written on the sidecar's own connection, so they survive the
 * rollback of what they record. Operations refused before execution (failed authentication, invalid
 * documents) never touch data and are not recorded here.
 */
export function makeAuditPlugin(deps: { systemPool: pg.Pool }): GraphileConfig.Plugin {
  return {
    name: 'OptischemaAuditPlugin',
    version: '0.1.0',
    grafast: {
      middleware: {
        async execute(next, event) {
          const fields = mutationFields(event.args);
          const result = await next();
          if (fields.length === 0 || Symbol.asyncIterator in (result as object)) return result;
          await auditFields(deps.systemPool, event.args, fields, result as ExecutionResult);
          return result;
        },
      },
    },
  };
}

interface CalledField {
  alias: string;
  name: string;
  input: unknown;
}

function mutationFields(args: GrafastExecutionArgs): CalledField[] {
  const operation = getOperationAST(args.document, args.operationName ?? undefined);
  if (operation?.operation !== 'mutation') return [];
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  const fields: CalledField[] = [];
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.push(calledField(selection, variables));
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else {
        const fragment = args.document.definitions.find(
          (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
        );
        if (fragment?.kind === Kind.FRAGMENT_DEFINITION) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return fields.filter((field) => field.name !== '__typename');
}

function calledField(node: FieldNode, variables: Record<string, unknown>): CalledField {
  const inputArg = node.arguments?.find((a) => a.name.value === 'input');
  return {
    alias: node.alias?.value ?? node.name.value,
    name: node.name.value,
    input: inputArg ? valueFromASTUntyped(inputArg.value, variables) : null,
  };
}

async function auditFields(systemPool: pg.Pool, args: GrafastExecutionArgs, fields: CalledField[], result: ExecutionResult) {
  const request = (args.contextValue as { optischemaRequest?: ApiRequestInfo } | undefined)?.optischemaRequest;
  const data = (typeof result.data === 'string' ? JSON.parse(result.data) : result.data) as Record<string, unknown> | null | undefined;
  const errors: readonly GraphQLError[] = result.errors ?? [];
  const tenantId = request?.identity.tenantId ?? null;
  try {
    await withSystemTenant(systemPool, tenantId, async (client) => {
      for (const field of fields) {
        const reportedIds = (request?.auditObjects ?? [])
          .filter((o) => o.action === field.name)
          .map((o) => o.objectId);
        const outcome = mutationOutcome({
          name: field.name,
          input: field.input,
          data: data?.[field.alias],
          // An error without a path (whole operation failed) counts against every field.
          errors: errors.filter((e) => !e.path || e.path[0] === field.alias),
          reportedIds,
        });
        await recordAudit(client, {
          tenantId,
          actorUserId: request?.identity.userId ?? null,
          actorApiKeyId: request?.identity.apiKeyId ?? null,
          actorLabel: request?.identity.label ?? '',
          action: outcome.action,
          objectType: outcome.objectType,
          objectId: outcome.objectId,
          result: outcome.result,
          clientAddress: request?.clientAddress ?? null,
          details: outcome.code ? { code: outcome.code } : {},
        });
      }
    });
  } catch (error) {
    // The client's answer stands; the missing entry must be visible to operators.
    console.error('optischema: could not write the audit log', error);
  }
}
