import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

/**
 * Typed GraphQL operations: `graphql(\`query { … }\`)` checks each operation against the API's
 * schema (graphql-env.d.ts, printed by `npm run schema:graphql`) and types its result and variables.
 * Scalars arrive as JSON: big numbers and decimals as strings (PostGraphile keeps their precision).
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: {
    UUID: string;
    BigInt: string;
    BigFloat: string;
    Datetime: string;
    Time: string;
    Cursor: string;
    JSON: unknown;
    InternetAddress: string;
  };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
