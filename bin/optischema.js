#!/usr/bin/env node
// The `optischema` command. OptiSchema runs on Node.js 22+ (its TypeScript runs through Node's own
// type stripping). npm scripts and `npx optischema` in a checkout put the project's Node 22 first on
// PATH; anything older stops here with one clear line instead of a syntax error.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `optischema: Node.js ${process.versions.node} is too old; OptiSchema needs Node.js 22 or newer. ` +
      'Run it as `npx optischema` from the checkout (after `npm ci`), which uses the Node 22 that npm installed.',
  );
  process.exit(1);
}
// Node keeps the compiled modules on disk between runs, so a command does not parse and compile
// the same sources again each time it starts (in the OS temp dir; a cold cache only costs the
// first run).
const { enableCompileCache, registerHooks, stripTypeScriptTypes } = await import('node:module');
enableCompileCache?.();
// Node strips the types of every .ts module on each start (about 0.2 s for the CLI's modules) and
// its compile cache cannot help, since it is keyed by the stripped text: keep the stripped text
// too, by the source's hash, in the checkout's own node_modules/.cache (not a shared temp dir,
// where another user could plant a file under a name we would run).
if (registerHooks && stripTypeScriptTypes) {
  const { createHash } = await import('node:crypto');
  const { mkdirSync, readFileSync, renameSync, writeFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const cacheDir = fileURLToPath(new URL('../node_modules/.cache/optischema-stripped/', import.meta.url));
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
      const source = readFileSync(fileURLToPath(url), 'utf8');
      const file = `${cacheDir}${createHash('sha256').update(process.version).update('\0').update(source).digest('hex')}.js`;
      let stripped;
      try {
        stripped = readFileSync(file, 'utf8');
      } catch {
        // What Node itself would do to the file, without the "experimental" warning its API prints.
        const emitWarning = process.emitWarning;
        process.emitWarning = () => {};
        try {
          stripped = stripTypeScriptTypes(source, { mode: 'strip', sourceUrl: url });
        } finally {
          process.emitWarning = emitWarning;
        }
        try {
          mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
          writeFileSync(`${file}.${process.pid}`, stripped);
          renameSync(`${file}.${process.pid}`, file);
        } catch {
          // A read-only checkout: strip every time, as Node would.
        }
      }
      return { format: 'module', source: stripped, shortCircuit: true };
    },
  });
}
// grafast (under PostGraphile) reads its mode once, when first imported.
process.env.GRAPHILE_ENV ??= process.argv.includes('--dev') ? 'development' : 'production';
await import('../sidecar/cli/main.ts');
