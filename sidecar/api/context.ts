import type { IncomingMessage } from 'node:http';
import { AuthError, pgSettingsFor, type Authenticator, type Identity } from '../auth/identity.ts';

/** What a request carries besides PostGraphile's own keys. Prefixed: grafast reserves short names. */
export interface ApiRequestInfo {
  identity: Identity;
  /** The peer's IP address as the socket saw it (no proxy headers are trusted). */
  clientAddress: string | null;
  /** Object ids the API's own mutation plans learned (createTarget's new id), for the audit log. */
  auditObjects: { action: string; objectId: string }[];
  /**
   * Verifies the same credentials again (throws AuthError when they no longer hold): a subscription
   * calls it before each event, so it does not outlive a removed member or a revoked key.
   */
  reauthenticate(): Promise<Identity>;
}

declare global {
  namespace Grafast {
    interface Context {
      optischemaRequest?: ApiRequestInfo;
    }
  }
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * The `grafast.context` callback: verifies the caller with the injected Authenticator for every HTTP
 * operation and every WebSocket subscribe, and turns the identity into PostgreSQL settings. Nothing the
 * client sends reaches pgSettings except through the Authenticator.
 */
export function makeApiContext(authenticator: Authenticator) {
  return async (requestContext: Partial<Grafast.RequestContext>): Promise<Partial<Grafast.Context>> => {
    const ws = requestContext.ws;
    const request: IncomingMessage | undefined = requestContext.node?.req ?? ws?.request;
    const headers: Headers = { ...(request?.headers ?? {}) };
    // Browsers cannot set headers on a WebSocket: graphql-ws connectionParams stand in for them.
    for (const [key, value] of Object.entries(ws?.normalizedConnectionParams ?? {})) {
      if (typeof value === 'string') headers[key.toLowerCase()] = value;
    }
    const clientAddress = normalizeAddress(request?.socket?.remoteAddress ?? null);
    let identity: Identity;
    try {
      identity = await authenticator.authenticate({ headers, clientAddress });
    } catch (error) {
      if (error instanceof AuthError) {
        // grafserv answers with this status and message (it reads `statusCode`).
        throw Object.assign(new AuthError(error.message, error.status), { statusCode: error.status });
      }
      throw error;
    }
    return {
      pgSettings: pgSettingsFor(identity),
      optischemaRequest: {
        identity,
        clientAddress,
        auditObjects: [],
        reauthenticate: () => authenticator.authenticate({ headers, clientAddress }),
      },
    };
  };
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so the inet column reads naturally. */
function normalizeAddress(address: string | null): string | null {
  if (!address) return null;
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
