import type { ReactNode } from 'react';
import { Client, getOperationName, makeResult, Provider, type Exchange, type Operation } from 'urql';
import { filter, fromValue, mergeMap, never, pipe } from 'wonka';
import { SessionContext, type AppRole, type Session } from '../../../ui/src/app/session-context.tsx';

/**
 * A urql client whose one exchange answers from the test's handlers, by operation name: the
 * components run their real hooks and operations, and the test sees every request they made.
 * A handler returns the operation's `data`, or an Error to answer as the API's refusal; with no
 * handler the operation waits forever (subscriptions: the live events).
 */
export type Handler = (variables: Record<string, unknown>) => unknown;

export interface FakeApi {
  client: Client;
  /** Every query and mutation sent, in order. */
  sent: { name: string; kind: string; variables: Record<string, unknown> }[];
}

export function fakeApi(handlers: Record<string, Handler>): FakeApi {
  const sent: FakeApi['sent'] = [];
  const answer = (op: Operation) => {
    const name = getOperationName(op.query) ?? '(anonymous)';
    const handler = handlers[name];
    if (op.kind === 'subscription' || !handler) return never;
    const variables = (op.variables ?? {}) as Record<string, unknown>;
    sent.push({ name, kind: op.kind, variables });
    const data = handler(variables);
    if (data instanceof Error) {
      // As PostGraphile answers a refusal: no data, the database's message in `errors`.
      return fromValue(makeResult(op, { data: null, errors: [{ message: data.message }] }));
    }
    return fromValue(makeResult(op, { data: data as Record<string, unknown> }));
  };
  const exchange: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind !== 'teardown'),
      mergeMap(answer),
    );
  return { client: new Client({ url: 'http://fake.invalid/graphql', exchanges: [exchange] }), sent };
}

/** The app's providers for a component under test: the fake API and a signed-in session of `role`. */
export function WithApi({ api, role, children }: { api: FakeApi; role: AppRole; children: ReactNode }) {
  const session = { role, email: `${role}@example.com`, tenantName: 'acme', status: {} as Session['status'] } satisfies Session;
  return (
    <Provider value={api.client}>
      <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
    </Provider>
  );
}
