/**
 * The engine steps exposed as SQL functions. scripts/build-plv8.ts bundles each one into
 * sql/plv8/engine.sql as `optischema.<name>(<args>) returns <returns> language plv8`.
 *
 * Plain data, no imports: the build bundles `module`'s `exportName` alone, so a function carries
 * only the engine code it uses. test/engine/entry-points.test.ts checks that each export exists.
 */

/** A PostgreSQL type as written in a function signature. */
export type PgType = 'text' | 'int4' | 'int8' | 'float8' | 'bool' | 'jsonb' | 'text[]' | 'oid';

export interface EntryPointArg {
  /** Parameter name in SQL, also the JS variable plv8 binds it to. */
  name: string;
  type: PgType;
}

export interface EntryPoint {
  /** SQL function name in schema optischema. */
  name: string;
  /** Module path relative to plv8/, and the generator function it exports. */
  module: string;
  exportName: string;
  /** Passed to the generator in this order. */
  args: readonly EntryPointArg[];
  /** jsonb: the step's plain-data result converts to jsonb. */
  returns: PgType;
  volatility: 'volatile' | 'stable' | 'immutable';
}

export const ENTRY_POINTS: readonly EntryPoint[] = [
  {
    name: 'engine_server_facts',
    module: './engine/server-facts.ts',
    exportName: 'serverFacts',
    args: [],
    returns: 'jsonb',
    volatility: 'stable',
  },
  {
    // optischema.advise() calls this where plv8 exists: {recommendations, errors} for one query.
    name: 'engine_advise_query',
    module: './advisor/query/advise-query.ts',
    exportName: 'adviseQuery',
    args: [
      { name: 'query', type: 'text' },
      { name: 'options', type: 'jsonb' },
    ],
    returns: 'jsonb',
    // Volatile: it creates and drops hypothetical indexes and prepared statements in the session.
    volatility: 'volatile',
  },
  {
    // optischema.advise_workload() calls this where plv8 exists: the database's own collected
    // workload (else its pg_stat_statements), {workload, recommendations, errors}.
    name: 'engine_advise_workload',
    module: './advisor/workload/advise-workload.ts',
    exportName: 'adviseLocalWorkload',
    args: [{ name: 'options', type: 'jsonb' }],
    returns: 'jsonb',
    volatility: 'volatile',
  },
];
