import type { Row, Step } from './protocol.ts';

/** What the engine needs to know about the server before advising. */
export interface ServerFacts {
  /** server_version_num, e.g. 150004 for 15.4. */
  version: number;
  /** hypopg is installable on the server (listed in pg_available_extensions). */
  hypopg: boolean;
  /** plv8 is installable on the server (listed in pg_available_extensions). */
  plv8: boolean;
}

// Casts keep the row types the same in both hosts: int4 and bool decode to number and boolean in
// node-postgres and plv8 alike (int8 would be a string in one and a number in the other).
const SERVER_FACTS_SQL = `
select current_setting('server_version_num')::int4 as version_num,
       exists (select from pg_available_extensions where name = 'hypopg') as hypopg_available,
       exists (select from pg_available_extensions where name = 'plv8') as plv8_available`;

/** Reads the server version and which optional extensions the server can install. */
export function* serverFacts(): Step<ServerFacts> {
  const rows = yield { sql: SERVER_FACTS_SQL, params: [] };
  return toServerFacts(rows[0]);
}

export function toServerFacts(row: Row | undefined): ServerFacts {
  if (row === undefined) throw new Error('server facts: the query returned no row');
  return {
    version: Number(row.version_num),
    hypopg: row.hypopg_available === true,
    plv8: row.plv8_available === true,
  };
}
