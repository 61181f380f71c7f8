import { jsonParse } from 'postgraphile/@dataplan/json';
import { context, lambda, listen } from 'postgraphile/grafast';
import { extendSchema } from 'postgraphile/utils';
import type { ApiRequestInfo } from './context.ts';
import { revocableSubscriber } from './revocable-stream.ts';

/** The NOTIFY channel of one tenant (optischema.publish_event in 0002_tenancy.sql). */
export function eventChannel(tenantId: string): string {
  return `optischema_events:${tenantId}`;
}

function authenticated(request: ApiRequestInfo | undefined): ApiRequestInfo {
  if (!request) throw new Error('subscriptions need an authenticated identity');
  return request;
}

/**
 * `subscription { events { kind data } }`: the live events of the caller's tenant (new slow query,
 * recommendation state change, job progress). The channel comes from the verified identity in the
 * context; the field takes no arguments, so a client cannot name another tenant's channel. The
 * credentials are verified again before each event (revocable-stream.ts): the stream ends, with
 * the reason, at the first event after the member is removed or the API key revoked.
 */
export const EventsPlugin = extendSchema(() => ({
  typeDefs: /* GraphQL */ `
    """A live event of your tenant, as published by optischema.publish_event."""
    type ApiEvent {
      """recommendation_created, recommendation_state, slow_query, job_progress, …"""
      kind: String!
      """The whole event payload."""
      data: JSON!
    }
    extend type Subscription {
      events: ApiEvent!
    }
  `,
  objects: {
    Subscription: {
      plans: {
        events: {
          subscribePlan() {
            const $request = context().get('optischemaRequest');
            const $topic = lambda($request, (request: ApiRequestInfo | undefined) => eventChannel(authenticated(request).identity.tenantId));
            const $subscriber = lambda([context().get('pgSubscriber'), $request], ([subscriber, request]) =>
              subscriber ? revocableSubscriber(subscriber, authenticated(request).reauthenticate) : subscriber,
            );
            return listen($subscriber, $topic, jsonParse);
          },
          plan($event) {
            return $event;
          },
        },
      },
    },
    ApiEvent: {
      plans: {
        kind($event: any) {
          return lambda($event, (event: unknown) => {
            const kind = (event as { kind?: unknown } | null)?.kind;
            return typeof kind === 'string' ? kind : 'unknown';
          });
        },
        data($event: any) {
          return $event;
        },
      },
    },
  },
}));
