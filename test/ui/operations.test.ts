import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSchema, parse, validate } from 'postgraphile/graphql';
import { describe, expect, it } from 'vitest';

const UI_SRC = new URL('../../ui/src/', import.meta.url).pathname;

/** Every `graphql(`…`)` operation in the web app's source, with the file it is in. */
async function operations(): Promise<{ file: string; text: string }[]> {
  const found: { file: string; text: string }[] = [];
  for (const entry of await readdir(UI_SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || entry.name.endsWith('.d.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(/\bgraphql\(\s*`([^`]*)`/g)) found.push({ file: path.relative(UI_SRC, file), text: match[1]! });
  }
  return found;
}

// gql.tada types each operation's result, but only its editor plugin reports an unknown field;
// this is the same check for CI: every operation the app sends is valid against the schema the
// server builds (ui/src/graphql/schema.graphql, itself checked against the migrations).
describe('the web app operations', async () => {
  const schema = buildSchema(await readFile(path.join(UI_SRC, 'graphql/schema.graphql'), 'utf8'));
  const all = await operations();

  it('are found in the source', () => {
    expect(all.length).toBeGreaterThan(5);
  });

  it.each(all.map((op) => [op.file, op.text.match(/(query|mutation|subscription)\s+(\w+)/)?.[2] ?? '(anonymous)', op.text] as const))(
    '%s: %s is valid against the API schema',
    (_file, _name, text) => {
      const errors = validate(schema, parse(text)).map((e) => e.message);
      expect(errors).toEqual([]);
    },
  );
});
