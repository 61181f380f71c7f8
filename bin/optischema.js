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
// Node keeps the compiled (and type-stripped) modules on disk between runs, so a command does not
// parse and compile the same sources again each time it starts (in the OS temp dir; a cold cache
// only costs the first run).
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
// grafast (under PostGraphile) reads its mode once, when first imported.
process.env.GRAPHILE_ENV ??= process.argv.includes('--dev') ? 'development' : 'production';
await import('../sidecar/cli/main.ts');
