import { spawn } from 'node:child_process';

/** Where pgbench lives unless PGBENCH names another binary. */
export const PGBENCH = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';

export interface PgbenchRun {
  /** Transactions per second as pgbench reports it, without initial connection time. */
  tps: number;
  transactions: number;
  failed: number;
  /** Mean latency per transaction (ms), as pgbench reports it. */
  latencyMs: number;
}

export interface PgbenchOptions {
  url: string;
  /** Script files, each optionally weighted as pgbench's `file@weight`. */
  scripts: string[];
  seconds: number;
  clients: number;
  threads: number;
  /** `-D name=value` variables for the scripts. */
  define?: Record<string, string | number>;
}

/**
 * Runs pgbench once without vacuuming (-n: the demo has no pgbench tables) and parses its summary.
 * The connection comes from the URL through libpq's environment variables, so the password never
 * shows on a command line.
 */
export async function runPgbench(options: PgbenchOptions): Promise<PgbenchRun> {
  const url = new URL(options.url);
  const args = ['-n', '-T', String(options.seconds), '-c', String(options.clients), '-j', String(options.threads)];
  for (const script of options.scripts) args.push('-f', script);
  for (const [name, value] of Object.entries(options.define ?? {})) args.push('-D', `${name}=${value}`);
  const env = {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
    PGDATABASE: url.pathname.slice(1),
    PGAPPNAME: 'optischema-bench-pgbench',
  };
  const { code, stdout, stderr } = await run(PGBENCH, args, env);
  if (code !== 0) throw new Error(`pgbench exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const number = (pattern: RegExp) => {
    const match = stdout.match(pattern);
    if (!match?.[1]) throw new Error(`pgbench output lacks ${pattern}:\n${stdout}`);
    return Number(match[1]);
  };
  return {
    tps: number(/^tps = ([\d.]+) \(without initial connection time\)/m),
    transactions: number(/^number of transactions actually processed: (\d+)/m),
    failed: /^number of failed transactions: (\d+)/m.test(stdout) ? number(/^number of failed transactions: (\d+)/m) : 0,
    latencyMs: number(/^latency average = ([\d.]+) ms/m),
  };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new Error(`could not run ${file}: ${error.message}`, { cause: error })));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
