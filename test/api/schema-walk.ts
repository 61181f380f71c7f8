import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'postgraphile/graphql';
import type { Identity } from '../../sidecar/auth/identity.ts';
import { gql } from './support.ts';

/** The API's schema as a client sees it (introspection over HTTP). */
export async function fetchSchema(baseUrl: string, identity: Identity): Promise<GraphQLSchema> {
  const response = await gql(baseUrl, identity, getIntrospectionQuery());
  if (!response.data) throw new Error(`introspection failed: ${JSON.stringify(response.errors)}`);
  return buildClientSchema(response.data as never);
}

/**
 * A selection of every leaf field of `type`, following object fields (relations, connections via
 * `nodes`) down to `depth`. Fields with required arguments are skipped.
 */
export function selectAll(type: GraphQLObjectType, depth = 2): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && depth > 0) {
      const inner = selectAll(named, depth - 1);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

/** Variable definitions and values for `field`'s arguments, values chosen by `valueFor`. */
export function fieldCall(
  field: GraphQLField<unknown, unknown>,
  valueFor: (argName: string, type: GraphQLInputType) => unknown,
): { definitions: string; call: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  const defs: string[] = [];
  const uses: string[] = [];
  for (const arg of field.args) {
    if (!isNonNullType(arg.type)) continue;
    variables[arg.name] = valueFor(arg.name, arg.type);
    defs.push(`$${arg.name}: ${String(arg.type)}`);
    uses.push(`${arg.name}: $${arg.name}`);
  }
  return {
    definitions: defs.length ? `(${defs.join(', ')})` : '',
    call: uses.length ? `${field.name}(${uses.join(', ')})` : field.name,
    variables,
  };
}

/**
 * Synthesizes a value for an input type: input objects field by field (by name, through `scalar`),
 * enums take their first value, lists one element. `scalar` receives the input field's name.
 */
export function synthesize(
  type: GraphQLInputType,
  scalar: (name: string, typeName: string) => unknown,
  name = '',
): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [synthesize(inner.ofType, scalar, name)];
  if (isInputObjectType(inner)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      if (field.name === 'clientMutationId') continue;
      const v = synthesize(field.type, scalar, field.name);
      if (v !== undefined) value[field.name] = v;
    }
    return value;
  }
  if (isEnumType(inner)) return inner.getValues()[0]?.name;
  return scalar(name, inner.name);
}

/** The string-typed input fields of a mutation's input, by name. */
export function stringInputs(type: GraphQLInputType): string[] {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (!isInputObjectType(inner)) return [];
  return Object.values(inner.getFields())
    .filter((f) => f.name !== 'clientMutationId' && getNamedType(f.type).name === 'String')
    .map((f) => f.name);
}
