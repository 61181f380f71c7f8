/**
 * Runs in a worker thread under synckit: the test's main thread calls it synchronously (blocking on
 * Atomics) to give the plv8 stub a synchronous, real database, as plv8's SPI is.
 */
import pg from 'pg';
import { runAsWorker } from 'synckit';

export type WorkerRequest =
  | { op: 'connect'; url: string }
  | { op: 'query'; sql: string; params: unknown[]; protocol: 'simple' | 'extended'; subtransaction: boolean }
  | { op: 'end' };

let client: pg.Client | undefined;

runAsWorker(async (request: WorkerRequest): Promise<Record<string, unknown>[] | null> => {
  switch (request.op) {
    case 'connect':
      client = new pg.Client({ connectionString: request.url });
      await client.connect();
      return null;
    case 'end':
      await client?.end();
      client = undefined;
      return null;
    case 'query': {
      if (client === undefined) throw new Error('sync-query-worker: connect first');
      if (request.subtransaction) {
        // plv8 runs each SPI call in a subtransaction: a failed one leaves the transaction usable.
        await client.query('savepoint plv8_spi_call');
        try {
          const rows = await run(client, request);
          await client.query('release savepoint plv8_spi_call');
          return rows;
        } catch (error) {
          await client.query('rollback to savepoint plv8_spi_call');
          throw error;
        }
      }
      return run(client, request);
    }
  }
});

async function run(client: pg.Client, request: Extract<WorkerRequest, { op: 'query' }>): Promise<Record<string, unknown>[]> {
  if (request.protocol === 'simple') {
    // Several statements give several results: SPI_exec reports the last one's rows.
    const result: pg.QueryResult | pg.QueryResult[] = await client.query(request.sql);
    const last = Array.isArray(result) ? result.at(-1) : result;
    return last?.rows ?? [];
  }
  const result = await client.query({ text: request.sql, values: request.params, queryMode: 'extended' } as pg.QueryConfig);
  return result.rows;
}
