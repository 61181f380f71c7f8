import type { QueryResultRow } from 'pg';

/**
 * What logic needs of a database: run one statement with bind parameters. A pg.Pool, a pg.Client
 * and a transaction's client all fit, so callers choose the connection and logic never opens one.
 */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}
