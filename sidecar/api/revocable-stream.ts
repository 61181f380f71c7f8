import type { GrafastSubscriber } from 'postgraphile/grafast';

/**
 * A subscriber whose streams end as soon as the subscriber's credential stops being valid: before
 * each event is delivered, `recheck` runs (the same Authenticator as every request: membership,
 * disabled account, API key revoked, access token expired), and when it throws, the stream stops
 * listening and fails with that error instead of handing the event over. A removed member or a
 * revoked key therefore sees no further event; the client must subscribe again with a valid credential.
 *
 * @example
 * listen(lambda(context().get('pgSubscriber'), (s) => revocableSubscriber(s, request.reauthenticate)), $topic)
 */
export function revocableSubscriber(inner: GrafastSubscriber, recheck: () => Promise<unknown>): GrafastSubscriber {
  return {
    subscribe: async (topic) => endWhenRevoked(await inner.subscribe(topic), recheck),
  } as GrafastSubscriber;
}

/**
 * A hand-written iterator, not an async generator: a generator would delay `return()` (the client
 * unsubscribing) until the next event arrives, keeping the LISTEN open in between.
 */
export function endWhenRevoked<T>(source: AsyncIterable<T>, recheck: () => Promise<unknown>): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  const finish = async () => {
    if (finished) return;
    finished = true;
    await iterator.return?.();
  };
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (finished) return done;
      const result = await iterator.next();
      if (result.done) {
        finished = true;
        return result;
      }
      try {
        await recheck();
      } catch (error) {
        await finish();
        throw error;
      }
      return result;
    },
    async return() {
      await finish();
      return done;
    },
    async throw(error?: unknown) {
      await finish();
      throw error;
    },
  };
}
