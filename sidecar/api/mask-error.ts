import { defaultMaskError } from 'postgraphile/grafserv';
import { GraphQLError } from 'postgraphile/graphql';
import { AuthError } from '../auth/identity.ts';

/**
 * SQLSTATEs the API's functions and constraints raise on purpose; their messages are written for
 * clients (0003_api.sql). Everything else is masked to an id that points into the server's log.
 */
export const CLIENT_SQLSTATES: ReadonlySet<string> = new Set([
  '42501', // insufficient_privilege: the role may not do this
  'P0002', // no_data_found: no such row in this tenant
  '22023', // invalid_parameter_value
  '23514', // check_violation
  '23505', // unique_violation (a target name already in use)
  '22P02', // invalid_text_representation (a malformed uuid)
]);

export function maskApiError(error: GraphQLError): GraphQLError {
  const original = error.originalError as (Error & { code?: unknown }) | undefined;
  const code =
    original instanceof AuthError ? 'UNAUTHENTICATED'
    : typeof original?.code === 'string' && CLIENT_SQLSTATES.has(original.code) ? original.code
    : null;
  if (code === null || !original) return defaultMaskError(error);
  return new GraphQLError(original.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: original,
    extensions: { code },
  });
}
