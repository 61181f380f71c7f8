import { useEffect, useRef } from 'react';
import { useQuery, useSubscription, type AnyVariables, type TypedDocumentNode, type UseQueryArgs } from 'urql';
import { graphql } from './graphql.ts';

const EventsSubscription = graphql(`
  subscription LiveEvents {
    events {
      kind
      data
    }
  }
`);

export interface LiveEvent {
  kind: string;
  data: unknown;
}

/** Calls `onEvent` for each of the tenant's live events (recommendation states, slow queries, jobs). */
export function useLiveEvents(onEvent: (event: LiveEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [result] = useSubscription({ query: EventsSubscription });
  useEffect(() => {
    if (result.data?.events) handler.current(result.data.events);
  }, [result.data]);
}

/**
 * A query that is read again when an event of one of `kinds` arrives (and every `fallbackMs`, for
 * what changes without an event: counters between snapshots). The page shows the new state
 * without a reload.
 */
export function useLiveQuery<Data, Variables extends AnyVariables>(
  args: UseQueryArgs<Variables, Data> & { query: TypedDocumentNode<Data, Variables> },
  kinds: readonly string[],
  fallbackMs = 30_000,
) {
  const [result, reexecute] = useQuery<Data, Variables>(args);
  const refresh = useRef(() => reexecute({ requestPolicy: 'network-only' }));
  refresh.current = () => reexecute({ requestPolicy: 'network-only' });
  useLiveEvents((event) => {
    if (kinds.includes(event.kind)) refresh.current();
  });
  useEffect(() => {
    const timer = setInterval(() => refresh.current(), fallbackMs);
    return () => clearInterval(timer);
  }, [fallbackMs]);
  return [result, () => refresh.current()] as const;
}
