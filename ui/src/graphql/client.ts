import { createClient as createSocketClient } from 'graphql-ws';
import { Client, fetchExchange, subscriptionExchange } from 'urql';
import { authHeaders } from '../api/session.ts';

/**
 * The app's one GraphQL client: queries and mutations over HTTP, subscriptions over graphql-ws on
 * the same path. The socket sends the session's token in its connection parameters (browsers
 * cannot set headers on a WebSocket); the server checks it again before every event.
 */
export function createApiClient(origin: string = window.location.origin): Client {
  const sockets = createSocketClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    connectionParams: () => authHeaders(),
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
  return new Client({
    url: `${origin}/graphql`,
    // Results are read again on every event that concerns them (live.ts), so the cache only
    // saves a request when two components ask the same thing at once.
    requestPolicy: 'cache-and-network',
    // The API takes operations by POST only (a GET could be sent by any page's <img>).
    preferGetMethod: false,
    fetchOptions: () => ({ headers: authHeaders() }),
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = sockets.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}
