/** The functions of a generated engine.sql: name → parameter names and plv8 body, as PostgreSQL would read them. */
export function readEngineFunctions(sql: string): Map<string, { argNames: string[]; body: string }> {
  const functions = new Map<string, { argNames: string[]; body: string }>();
  const pattern = /create or replace function optischema\.(\w+)\(([^)]*)\)[\s\S]*?as \$plv8\$\n([\s\S]*?)\n\$plv8\$;/g;
  for (const match of sql.matchAll(pattern)) {
    const [, name = '', args = '', body = ''] = match;
    const argNames = args.split(',').map((arg) => arg.trim().split(/\s+/)[0] ?? '').filter((arg) => arg !== '');
    functions.set(name, { argNames, body });
  }
  return functions;
}
