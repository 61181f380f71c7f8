/**
 * The GraphQL recommendations list under load: a throwaway cluster, OptiSchema's migrations, 1,000
 * recommendations in one tenant, the API mounted on the real HTTP server, then autocannon (10
 * connections, 10 s per case) on `allRecommendations(first: 50)` and on all 1,000 rows.
 * Latency percentiles are computed from every response autocannon timed (not its histogram buckets).
 *
 *   npm run bench:api
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import type { Authenticator } from '../sidecar/auth/identity.ts';
import { createApiMount } from '../sidecar/api/mount.ts';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { apiDatabaseUrl } from '../sidecar/database/api-role.ts';
import { SecretBox } from '../sidecar/secrets/secret-box.ts';
import { startHttpServer } from '../sidecar/server/http-server.ts';
import { privateCluster } from '../test/support/cluster.ts';

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonResult {
  requests: { total: number; average: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => { on(event: 'response', listener: (client: unknown, status: number, bytes: number, responseTimeMs: number) => void): void };
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const RECOMMENDATIONS = 1_000;
const DURATION_S = 10;
const CONNECTIONS = 10;

const cluster = await privateCluster();
const systemPool = new pg.Pool({ connectionString: cluster.url, max: 4 });
try {
  await runMigrations(cluster.url);
  const apiUrl = await apiDatabaseUrl(systemPool, cluster.url);
  const tenantId = randomUUID();
  await systemPool.query(`insert into optischema.tenants (id, name, slug) values ($1, 'bench', 'bench')`, [tenantId]);
  const { rows: [target] } = await systemPool.query(
    `insert into optischema.targets (tenant_id, name, secret_ref) values ($1, 'bench', 'env:BENCH_URL') returning id`, [tenantId]);
  await systemPool.query(
    `insert into optischema.recommendations (tenant_id, target_id, kind, title, statement, rationale, improvement_pct, created_at)
     select $1, $2, 'index', 'index on t' || i, 'create index on t' || i || ' (a, b)', repeat('because ', 20), (i % 90)::numeric,
            now() - i * interval '1 minute'
     from generate_series(1, $3) i`,
    [tenantId, target.id, RECOMMENDATIONS],
  );
  await systemPool.query('analyze');

  const identity = { tenantId, role: 'viewer' as const, userId: null, apiKeyId: null, label: 'bench' };
  const authenticator: Authenticator = { authenticate: async () => identity };
  const api = await createApiMount({
    apiDatabaseUrl: apiUrl,
    authenticator,
    systemPool,
    secretBox: new SecretBox(randomBytes(32)),
    dev: false,
  });
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, uiDir: '/nonexistent', api: {}, mounts: [api.mount] });
  const url = `${server.url.replace('localhost', '127.0.0.1')}/graphql`;
  const fields = 'rowId title kind state improvementPct createdAt';
  try {
    console.log(`PostgreSQL ${(await systemPool.query('show server_version')).rows[0].server_version}, Node ${process.version}, ` +
      `${RECOMMENDATIONS} recommendations, ${CONNECTIONS} connections, ${DURATION_S} s per case, GRAPHILE_ENV=${process.env.GRAPHILE_ENV}`);
    for (const [label, query] of [
      ['first 50', `{ allRecommendations(first: 50, orderBy: CREATED_AT_DESC) { totalCount nodes { ${fields} } } }`],
      ['all 1,000', `{ allRecommendations(orderBy: CREATED_AT_DESC) { nodes { ${fields} } } }`],
    ] as const) {
      const check = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const body = (await check.json()) as { data?: { allRecommendations: { nodes: unknown[] } }; errors?: unknown };
      if (!body.data) throw new Error(`the query failed: ${JSON.stringify(body.errors)}`);
      const rows = body.data.allRecommendations.nodes.length;
      const latencies: number[] = [];
      const result = await new Promise<AutocannonResult>((resolve, reject) => {
        const instance = autocannon(
          { url, method: 'POST', connections: CONNECTIONS, duration: DURATION_S, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) },
          (error, finished) => (error ? reject(error) : resolve(finished)),
        );
        instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
      });
      latencies.sort((x, y) => x - y);
      const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
      console.log(
        `${label.padEnd(10)} rows=${rows} requests=${result.requests.total} non2xx=${result.non2xx} errors=${result.errors} ` +
          `p50=${pct(50).toFixed(1)} ms p95=${pct(95).toFixed(1)} ms p99=${pct(99).toFixed(1)} ms ` +
          `req/s=${result.requests.average.toFixed(0)} (${(result.throughput.average / 1024 / 1024).toFixed(1)} MiB/s)`,
      );
    }
  } finally {
    await server.close();
    await api.release();
  }
} finally {
  await systemPool.end();
  await cluster.close();
}
