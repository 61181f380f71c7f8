import { jsonParse } from 'postgraphile/@dataplan/json';
import { context, lambda, listen } from 'postgraphile/grafast';
import { extendSchema } from 'postgraphile/utils';
import type { ApiRequestInfo } from './context.ts';

/** The NOTIFY channel of one tenant (optischema.publish_event in 0002_tenancy.sql). */
export function eventChannel(tenantId: string): string {
  return `optischema_events:${tenantId}`;
}

/**
 * `subscription { events { kind data } }`: the live events of the caller's tenant (new slow query,
 * recommendation state change, job progress). The channel comes from the verified identity in the
 * context; the field takes no arguments, so a client cannot name another tenant's channel.
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
            const $topic = lambda(context().get('optischemaRequest'), (request: ApiRequestInfo | undefined) => {
              if (!request) throw new Error('subscriptions need an authenticated identity');
              return eventChannel(request.identity.tenantId);
            });
            return listen(context().get('pgSubscriber'), $topic, jsonParse);
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
