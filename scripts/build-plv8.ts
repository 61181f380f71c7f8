/**
 * Bundles each plv8 entry point (plv8/entry-points.ts) with esbuild and writes sql/plv8/engine.sql:
 * one `CREATE OR REPLACE FUNCTION optischema.… LANGUAGE plv8` per entry point.
 *
 *   npm run build:plv8                      # writes sql/plv8/engine.sql
 *   node scripts/build-plv8.ts --out x.sql  # writes elsewhere (the up-to-date test builds in a temp dir)
 *
 * The output is deterministic (no timestamps, paths relative to the repository) so the committed
 * file is its own snapshot: test/engine/generated-sql.test.ts rebuilds it and compares.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ENTRY_POINTS, type EntryPoint } from '../plv8/entry-points.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PLV8_DIR = path.join(REPO_ROOT, 'plv8');
export const ENGINE_SQL_FILE = path.join(REPO_ROOT, 'sql', 'plv8', 'engine.sql');

/** The variable the IIFE bundle assigns; the function body's last line calls its `main`. */
const BUNDLE_GLOBAL = 'optischema_engine';
const DOLLAR_QUOTE = '$plv8$';

const HEADER = `-- GENERATED FILE, do not edit. Regenerate with \`npm run build:plv8\` (scripts/build-plv8.ts)
-- from the entry points in plv8/entry-points.ts. Installed by sidecar/advisor/install-plv8.ts
-- when the server has plv8.
`;

/** Bundles one entry point into a self-contained script that defines `optischema_engine.main`. */
export async function bundleEntryPoint(entry: EntryPoint): Promise<string> {
  const virtualEntry = `
import { runInPlv8 } from './host/plv8-host.ts';
import { ${entry.exportName} as step } from '${entry.module}';
export function main(plv8, args) {
  return runInPlv8(plv8, step(...args));
}
`;
  const result = await build({
    stdin: { contents: virtualEntry, resolveDir: PLV8_DIR, sourcefile: `entry:${entry.name}.ts`, loader: 'ts' },
    absWorkingDir: REPO_ROOT,
    bundle: true,
    format: 'iife',
    globalName: BUNDLE_GLOBAL,
    platform: 'neutral',
    target: 'es2020',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error(`esbuild wrote nothing for ${entry.name}`);
  const code = file.text.trimEnd();
  // The body must not end its own dollar quote, and nothing may be left to load at run time.
  if (code.includes(DOLLAR_QUOTE)) throw new Error(`the bundle of ${entry.name} contains ${DOLLAR_QUOTE}`);
  if (/\brequire\(|\bimport\(|^\s*import\s/m.test(code)) throw new Error(`the bundle of ${entry.name} still imports something`);
  return code;
}

/** The plv8 function body: the bundle, then a call with the SQL arguments (plv8 binds them by name). */
export function functionBody(entry: EntryPoint, bundle: string): string {
  const args = entry.args.map((arg) => arg.name).join(', ');
  return `${bundle}\nreturn ${BUNDLE_GLOBAL}.main(plv8, [${args}]);`;
}

/**
 * One function, as every OptiSchema function is (0011_function_privileges.sql): search_path pinned
 * (the plv8 host gives the statements a step plans the session's default path, see runInPlv8) and
 * not executable by PUBLIC, only by its owner, the role that installed OptiSchema.
 */
export function createFunctionSql(entry: EntryPoint, body: string): string {
  const args = entry.args.map((arg) => `${arg.name} ${arg.type}`).join(', ');
  const types = entry.args.map((arg) => arg.type).join(', ');
  return `create or replace function optischema.${entry.name}(${args})
  returns ${entry.returns}
  language plv8
  ${entry.volatility}
  set search_path = pg_catalog, pg_temp
as ${DOLLAR_QUOTE}
${body}
${DOLLAR_QUOTE};
revoke execute on function optischema.${entry.name}(${types}) from public;
`;
}

/** The whole generated file. */
export async function buildEngineSql(entries: readonly EntryPoint[] = ENTRY_POINTS): Promise<string> {
  const parts = [HEADER];
  for (const entry of entries) {
    parts.push(createFunctionSql(entry, functionBody(entry, await bundleEntryPoint(entry))));
  }
  return parts.join('\n');
}

async function main(argv: string[]): Promise<void> {
  const outIndex = argv.indexOf('--out');
  const out = outIndex === -1 ? ENGINE_SQL_FILE : path.resolve(argv[outIndex + 1] ?? '');
  await writeFile(out, await buildEngineSql());
  console.log(`wrote ${path.relative(process.cwd(), out) || out} (${ENTRY_POINTS.length} functions)`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
