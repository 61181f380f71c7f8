/**
 * The AI review on the demo shop: what the deterministic rewriter proposes and what the sandbox
 * measures of it, and what becomes of a model's proposals once PostgreSQL has checked them.
 *
 *   node bench/ai-review.ts [--scale 0.05] [--json FILE]
 *
 * Starts a throwaway PostgreSQL (test/support/cluster.ts), loads the demo at the given scale, and
 * makes one sandbox as a template clone of it. Part 1: each statement of REWRITE_CASES goes
 * through the rewriter, and each rewrite through the sandbox verification (same results on the
 * data, with empty tables and with NULLs; then both statements timed alternately, median of N).
 * Part 2: a fake OpenAI-compatible server on loopback (test/support/fake-llm/) answers with
 * recorded proposals — a useful index, a hallucinated column, an unsafe NOT IN rewrite, a setting —
 * and the review verifies each; the table counts verified, rejected and unverified with the
 * reasons, and the tokens the context cost. With OPTISCHEMA_AI_PROVIDER and OPTISCHEMA_AI_MODEL
 * set, part 3 runs the same statements against that real server.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { defaultProvider } from '../sidecar/ai/ai-settings.ts';
import { createProvider } from '../sidecar/ai/providers/provider.ts';
import { reviewQuery, type Review } from '../sidecar/ai/review/review-query.ts';
import { verifyRewriteProposal, type SandboxAccess } from '../sidecar/ai/review/verify-rewrites.ts';
import { loadDemo } from '../sidecar/demo/load.ts';
import { proposeRewrites } from '../sidecar/rewriter/index.ts';
import { databaseNameOf, databaseUrlOn } from '../sidecar/sandbox/sandbox-database.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { answer, startFakeLlm } from '../test/support/fake-llm/fake-llm-server.ts';
import { cloneWhenQuiet } from './estimate-vs-truth/sandbox-copy.ts';
import { describeMachine } from './support/machine.ts';
import { table } from './support/stats.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '0.05' }, json: { type: 'string' } } });
const scale = Number(values.scale);
if (!(scale > 0)) {
  console.error('usage: node bench/ai-review.ts [--scale 0.05] [--json FILE]');
  process.exit(2);
}

/** Statements of the shapes the rewriter knows, written against the demo schema. */
const REWRITE_CASES = [
  'select c.id, c.email from demo.customers c where c.id not in (select customer_id from demo.orders where status = \'cancelled\')',
  'select p.id, p.name from demo.products p where p.id in (select product_id from demo.order_items where quantity > 8)',
  'select c.id from demo.customers c where (select count(*) from demo.orders o where o.customer_id = c.id and o.status = \'returned\') > 0',
  'select e.id from demo.events e where e.customer_id not in (select id from demo.customers where marketing_opt_in)',
  'select * from demo.orders order by id offset 20000 limit 20',
  'select id from demo.customers where email like \'%@example.org\'',
  'select o.id from demo.orders o where o.customer_id = 77 or o.tracking_number = \'TRK-000123\'',
  'select o.id, o.status from demo.orders o where o.customer_id in (select id from demo.customers where marketing_opt_in)',
  'select c.id, (select count(*) from demo.orders o where o.customer_id = c.id) as orders from demo.customers c',
  'select distinct c.id, c.email from demo.customers c join demo.orders o on o.customer_id = c.id where o.status = \'returned\'',
];

const started = performance.now();
const { url, close } = await privateCluster();
const loader = new pg.Client({ connectionString: url });
await loader.connect();
await loader.query('create extension if not exists hypopg');
const summary = await loadDemo(loader, { scale });
await loader.end();
const server = new pg.Client({ connectionString: databaseUrlOn(url, 'postgres') });
await server.connect();
const clone = await cloneWhenQuiet(server, databaseNameOf(url));
const sandboxPool = new pg.Pool({ connectionString: databaseUrlOn(url, clone.name), max: 1 });
const sandbox: SandboxAccess = { run: async (work) => { const c = await sandboxPool.connect(); try { return await work(c); } finally { c.release(); } } };
const target = new pg.Client({ connectionString: url });
await target.connect();

// Part 1: the rewriter.
const rewrites: { statement: number; rule: string; state: string; beforeMs: number | null; afterMs: number | null; reason: string }[] = [];
for (const [i, sql] of REWRITE_CASES.entries()) {
  for (const p of await proposeRewrites(target, sql)) {
    if (p.after === null) {
      rewrites.push({ statement: i + 1, rule: p.rule, state: 'advice', beforeMs: null, afterMs: null, reason: p.reason });
      continue;
    }
    const v = await verifyRewriteProposal(sandbox, p.before, p.after);
    const m = v as { beforeMedianMs?: number | null; afterMedianMs?: number | null };
    rewrites.push({ statement: i + 1, rule: p.rule, state: v.state, beforeMs: m.beforeMedianMs ?? null, afterMs: m.afterMedianMs ?? null, reason: v.reason ?? '' });
  }
}

// Part 2: recorded answers from a fake model, each proposal checked.
const fake = await startFakeLlm();
const recorded = [
  {
    query: 'select o.id, o.total from demo.orders o where o.customer_id = 4242 and o.status = \'pending\'',
    replies: [
      { toolCalls: [{ name: 'what_if', arguments: { indexes: ['create index on demo.orders (customer_id, status)'] } }] },
      { content: answer({
        explanation: 'The orders of one customer are found by a sequential scan.',
        indexes: [
          { sql: 'create index on demo.orders (customer_id, status)', reason: 'both filters' },
          { sql: 'create index on demo.orders (customer_uuid)', reason: 'a column that does not exist' },
        ],
        settings: [{ name: 'random_page_cost', value: '1.1', reason: 'SSD storage' }],
      }) },
    ],
  },
  {
    query: 'select e.id from demo.events e where e.customer_id not in (select id from demo.customers where marketing_opt_in)',
    replies: [
      { content: answer({
        explanation: 'NOT IN can be written as NOT EXISTS.',
        rewrites: [{ sql: 'select e.id from demo.events e where not exists (select 1 from demo.customers c where c.marketing_opt_in and c.id = e.customer_id)', reason: 'anti-join' }],
      }) },
    ],
  },
  { query: 'select id from demo.customers where email like \'%@example.org\'', replies: [{ content: 'not JSON at all' }, { content: '{"explanation": 3}' }] },
];
const provider = await createProvider({ kind: 'openai', model: 'recorded', baseUrl: `${fake.url}/v1`, apiKey: 'sk-bench' });
const reviews: { source: string; query: number; review: Review }[] = [];
for (const [i, r] of recorded.entries()) {
  fake.reply(...(r.replies as Parameters<typeof fake.reply>));
  reviews.push({ source: 'recorded', query: i + 1, review: await reviewQuery({ target, query: r.query, authors: [], engine: [], provider, allowLiterals: false, sandbox }) });
}
await fake.close();

// Part 3: a real server, when one is configured.
const real = await defaultProvider();
if (real) {
  const live = await createProvider(real);
  for (const [i, r] of recorded.entries()) {
    reviews.push({ source: `${real.kind} ${real.model}`, query: i + 1, review: await reviewQuery({ target, query: r.query, authors: [], engine: [], provider: live, allowLiterals: false, sandbox }) });
  }
}

await target.end();
await sandboxPool.end();
await server.end();
await close();

const ms = (v: number | null) => (v === null ? '–' : v.toFixed(2));
console.log(`# AI review bench — demo at scale ${scale} (${summary.tables.map((t) => `${t.name} ${t.rows}`).join(', ')})`);
console.log(describeMachine());
console.log('\n## The rewriter, verified on the sandbox\n');
console.log(table(['stmt', 'rule', 'verdict', 'before ms', 'after ms', 'speedup', 'reason'], rewrites.map((r) => [
  String(r.statement), r.rule, r.state, ms(r.beforeMs), ms(r.afterMs),
  r.beforeMs && r.afterMs ? `${(r.beforeMs / r.afterMs).toFixed(2)}×` : '–', r.reason.slice(0, 120),
])));
console.log('\n## Model proposals after verification\n');
const rows = reviews.flatMap(({ source, query, review }) =>
  review.proposals.filter((p) => p.source === 'model').map((p) => [source, String(query), review.status, p.kind, p.verification.state, (p.verification.reason ?? '').slice(0, 110)]));
const statusRows = reviews.filter(({ review }) => review.proposals.every((p) => p.source !== 'model'))
  .map(({ source, query, review }) => [source, String(query), review.status, '–', '–', (review.error ?? 'no proposal').slice(0, 110)]);
console.log(table(['model', 'query', 'analysis', 'kind', 'verification', 'reason'], [...rows, ...statusRows]));
const counted = (state: string) => rows.filter((r) => r[4] === state).length;
console.log(`\nverified ${counted('verified')}, rejected ${counted('rejected')}, unverified ${counted('unverified')} of ${rows.length} model proposals`);
console.log('\n## Tokens per analysed query\n');
console.log(table(['model', 'query', 'context tokens', 'input tokens', 'output tokens', 'tool calls'], reviews.map(({ source, query, review }) => [
  source, String(query), String(review.context?.tokens ?? '–'), String(review.run?.usage.inputTokens ?? 0), String(review.run?.usage.outputTokens ?? 0), String(review.run?.toolCalls ?? 0),
])));
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s in all`);
if (values.json) await writeFile(values.json, JSON.stringify({ scale, rewrites, reviews: reviews.map((r) => ({ ...r, review: { ...r.review, context: undefined, run: undefined } })) }, null, 2));
