import { createSyncFn } from 'synckit';
import type { Rows } from '../../../plv8/engine/protocol.ts';
import type { Plv8, Plv8Cursor, Plv8Plan } from '../../../plv8/host/plv8-host.ts';
import type { WorkerRequest } from './sync-query-worker.ts';

/**
 * A synchronous `plv8` object backed by a real database, for running generated function bodies in
 * a bare node:vm context. Queries go to a worker thread (synckit), so every call blocks like SPI.
 *
 * How each call maps onto the server, following plv8_func.cc and spi.c:
 * - plv8.execute / plan.execute: SPI runs every statement of the text. Emulated with the simple
 *   protocol when there are no parameters (several statements run, the last one's rows return) and
 *   the extended protocol with parameters (where the real SPI would still run several statements).
 * - plan.cursor: SPI_cursor_open refuses a multi-query plan (42P11). Emulated with the extended
 *   protocol, whose Parse refuses several commands (42601): a refusal by the real server.
 * - plv8 runs every SPI call in a subtransaction of its own, so a failed call leaves the function's
 *   transaction usable. Emulated, once the test has opened a transaction with `begin`, by a
 *   savepoint around each call.
 */
export interface Plv8Stub extends Plv8 {
  /** Every call in order: 'execute', 'prepare', 'plan.execute', 'plan.cursor', 'cursor.close', 'plan.free', 'elog'. */
  readonly calls: string[];
  readonly logs: { level: number; message: string }[];
  /** Closes the worker's connection. */
  end(): void;
}

const WORKER = new URL('./sync-query-worker.ts', import.meta.url);

export function createPlv8Stub(url: string): Plv8Stub {
  // synckit starts a .ts worker with --experimental-transform-types on Node 22, which warns once;
  // the worker uses erasable syntax only, so the warning says nothing here.
  const call = createSyncFn<(request: WorkerRequest) => Promise<Record<string, unknown>[] | null>>(WORKER, {
    execArgv: ['--disable-warning=ExperimentalWarning'],
  });
  call({ op: 'connect', url });
  const calls: string[] = [];
  const logs: { level: number; message: string }[] = [];
  let inTransaction = false;
  const query = (sql: string, params: readonly unknown[], protocol: 'simple' | 'extended'): Rows =>
    call({ op: 'query', sql, params: [...params], protocol, subtransaction: inTransaction }) ?? [];
  const spiExecute = (sql: string, params: readonly unknown[] = []): Rows => {
    // The test's own transaction control (a plv8 function runs inside its caller's transaction).
    if (/^\s*begin\b/i.test(sql)) {
      const rows = query(sql, params, 'simple');
      inTransaction = true;
      return rows;
    }
    if (/^\s*(commit|rollback)\b/i.test(sql)) inTransaction = false;
    return query(sql, params, params.length === 0 ? 'simple' : 'extended');
  };

  return {
    calls,
    logs,
    execute(sql, params) {
      calls.push('execute');
      return spiExecute(sql, params);
    },
    prepare(sql): Plv8Plan {
      calls.push('prepare');
      return {
        execute(params) {
          calls.push('plan.execute');
          return spiExecute(sql, params);
        },
        cursor(params = []): Plv8Cursor {
          calls.push('plan.cursor');
          const rows = query(sql, params, 'extended');
          let position = 0;
          return {
            fetch(count) {
              if (position >= rows.length) return undefined;
              const batch = rows.slice(position, position + count);
              position += batch.length;
              return batch;
            },
            close() {
              calls.push('cursor.close');
            },
          };
        },
        free() {
          calls.push('plan.free');
        },
      };
    },
    elog(level, ...message) {
      calls.push('elog');
      logs.push({ level, message: message.map(String).join(' ') });
    },
    end() {
      call({ op: 'end' });
    },
  };
}
