/**
 * The web app's JavaScript, as a browser downloads it (issue 12 §6): the first route's script and
 * everything it imports statically, gzipped, against the 300 kB target; then each lazily loaded
 * page chunk.
 *
 *   node bench/web-bundle.ts [--json]     (builds ui/ first)
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
const root = new URL('..', import.meta.url).pathname;
const dist = path.join(root, 'ui/dist');
execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', 'ui', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });

const html = await readFile(path.join(dist, 'index.html'), 'utf8');
const entry = /<script type="module" crossorigin src="\/([^"]+)"/.exec(html)?.[1];
if (!entry) throw new Error('no entry script in ui/dist/index.html');

const sizes = new Map<string, { raw: number; gzip: number }>();
async function size(file: string) {
  if (!sizes.has(file)) {
    const bytes = await readFile(path.join(dist, file));
    sizes.set(file, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return sizes.get(file)!;
}

/** The entry and its static imports (what the first page cannot render without). */
async function initial(file: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = await readFile(path.join(dist, file), 'utf8');
  // Rolldown writes static imports as `import … from "./x.js"` at the top; dynamic ones as import("./x.js").
  for (const m of text.matchAll(/(?:^|[;\s])import\s*(?:[\w*{}\s,$]+from\s*)?["'](\.\/[^"']+\.js)["']/g)) {
    await initial(path.join(path.dirname(file), m[1]!), seen);
  }
  return seen;
}

const first = [...(await initial(entry))];
const css = [...html.matchAll(/<link rel="stylesheet" crossorigin href="\/([^"]+)"/g)].map((m) => m[1]!);
let firstJs = 0;
let firstRaw = 0;
for (const f of first) {
  firstJs += (await size(f)).gzip;
  firstRaw += (await size(f)).raw;
}
const { readdir } = await import('node:fs/promises');
const lazy: { file: string; raw: number; gzip: number }[] = [];
for (const f of await readdir(path.join(dist, 'assets'))) {
  const file = `assets/${f}`;
  if (f.endsWith('.js') && !first.includes(file)) lazy.push({ file, ...(await size(file)) });
}
lazy.sort((a, b) => b.gzip - a.gzip);
let cssGzip = 0;
for (const f of css) cssGzip += (await size(f)).gzip;
const result = {
  initialRoute: { files: first, rawBytes: firstRaw, gzipBytes: firstJs, targetGzipBytes: 300 * 1024, withinTarget: firstJs <= 300 * 1024 },
  initialCssGzipBytes: cssGzip,
  lazyChunks: lazy,
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  console.log(`first route: ${first.length} script(s), ${kb(firstRaw)} raw, ${kb(firstJs)} gzipped (target ${kb(300 * 1024)}): ${result.initialRoute.withinTarget ? 'within' : 'OVER'}`);
  console.log(`first route CSS: ${kb(cssGzip)} gzipped`);
  for (const c of lazy) console.log(`  lazy ${c.file.padEnd(48)} ${kb(c.raw).padStart(10)} raw ${kb(c.gzip).padStart(9)} gzipped`);
}
