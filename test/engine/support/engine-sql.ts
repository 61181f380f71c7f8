import vm from 'node:vm';
import type { Plv8 } from '../../../plv8/host/plv8-host.ts';

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

/**
 * Compiles a generated function body as plv8 does (a function of the SQL arguments) in a bare V8
 * context whose only non-standard global is `plv8`: no require, process, Buffer or console.
 */
export function compileInBareContext(plv8: Plv8, argNames: string[], body: string): (...args: unknown[]) => unknown {
  const context = vm.createContext({ plv8 });
  return vm.runInContext(`(function (${argNames.join(', ')}) {\n${body}\n})`, context, { filename: 'engine.sql' }) as (
    ...args: unknown[]
  ) => unknown;
}
