import type pg from 'pg';
import { minifyIntrospection, outputIntrospectionFile } from '@gql.tada/internal';
import { postgraphile } from 'postgraphile';
import { graphqlSync, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'postgraphile/graphql';
import { AuthError } from '../auth/identity.ts';
import { SecretBox } from '../secrets/secret-box.ts';
import { makeApiPreset } from './preset.ts';

export interface PrintedSchema {
  /** The API as SDL, types sorted by name so a change reads as a small diff. */
  sdl: string;
  /** The same schema as gql.tada's introspection types: what types the web app's operations. */
  introspectionTypes: string;
}

/**
 * The GraphQL API the web app is written against, built from the installed `optischema_api`
 * schema exactly as the server builds it. `npm run schema:graphql` writes it to ui/src/graphql/;
 * a test fails when the committed copy and the migrations disagree.
 */
export async function printApiSchema(systemPool: pg.Pool, apiPool: pg.Pool): Promise<PrintedSchema> {
  const preset = makeApiPreset({
    apiPool,
    systemPool,
    // Building a schema runs no request: nothing is ever authenticated here.
    authenticator: { authenticate: async () => { throw new AuthError('schema printing takes no requests'); } },
    secretBox: new SecretBox(Buffer.alloc(32)),
    dev: false,
  });
  const pgl = postgraphile(preset);
  try {
    const { schema } = await pgl.getSchemaResult();
    const sorted = lexicographicSortSchema(schema);
    const introspection = graphqlSync({ schema: sorted, source: getIntrospectionQuery({ descriptions: false }) });
    if (!introspection.data) throw new Error(`introspection failed: ${JSON.stringify(introspection.errors)}`);
    return {
      sdl: `${printSchema(sorted)}\n`,
      introspectionTypes: outputIntrospectionFile(minifyIntrospection(introspection.data as unknown as IntrospectionQuery), {
        fileType: '.d.ts',
        shouldPreprocess: true,
      }),
    };
  } finally {
    await pgl.release();
    for (const service of pgl.getResolvedPreset().pgServices ?? []) await service.release?.();
  }
}
