import { Option, type Command } from 'commander';
import { openPool, redactUrl } from '../../database/connection.ts';
import type { runDoctor } from '../../doctor/doctor.ts';
import { UserError } from '../../errors.ts';
import { parsePort } from '../../net/ports.ts';
import { checkBind } from '../../server/bind-check.ts';
import { addDatabaseOptions, openDatabase, type DatabaseOptions } from '../database-option.ts';
import { DEFAULT_SCALE } from '../../demo/dataset.ts';
import { note, print } from '../output.ts';

interface StartOptions extends DatabaseOptions {
  port: number;
  host: string;
  demo?: boolean;
  demoScale: number;
  auth?: boolean;
  dev?: boolean;
  worker: boolean;
  demoWorkload: boolean;
  logFormat: 'pretty' | 'json';
  demoPolicy: keyof typeof DEMO_POLICIES;
}

/** --demo-policy: how much of the loop the embedded demo runs unattended. */
const DEMO_POLICIES = {
  auto: { autoValidate: true, autoApply: 'validated' },
  validate: { autoValidate: true, autoApply: 'never' },
  manual: { autoValidate: false, autoApply: 'never' },
} as const;

export function registerStart(program: Command): void {
  addDatabaseOptions(program.command('start').description('start OptiSchema: database, migrations, then the web app and API'))
    .addOption(new Option('--port <port>', 'HTTP port of the web app and API').env('PORT').default(3000).argParser((v) => parsePort(v, '--port')))
    .addOption(new Option('--host <address>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--auth', 'require sign-in (accounts, tokens, API keys); without it, slim mode: no login, loopback only').env('OPTISCHEMA_AUTH'))
    .option('--dev', 'development mode: GraphiQL (Ruru) at /graphiql')
    .option('--no-worker', 'do not run the collection schedule in this process (another sidecar runs it)')
    .addOption(new Option('--log-format <format>', 'the log on stderr: pretty (one line an event) or json (JSON lines)').choices(['pretty', 'json']).env('OPTISCHEMA_LOG_FORMAT').default('pretty'))
    .option('--demo', 'load the demo dataset if it is missing (the default on the embedded cluster)')
    .option('--no-demo', 'do not load the demo dataset')
    .option('--no-demo-workload', 'do not run the demo application\'s workload in the background (it runs on the embedded demo)')
    .addOption(
      new Option('--demo-policy <policy>', 'what the embedded demo does by itself when loaded: auto (validate, then apply what validated), validate (validate only), manual (nothing until you ask)')
        .choices(['auto', 'validate', 'manual'])
        .default('auto'),
    )
    .addOption(new Option('--demo-scale <n>', 'size of the demo dataset when it is loaded').default(DEFAULT_SCALE).argParser(Number))
    .action(async (options: StartOptions, command: Command) => {
      checkBind(options.host, options.auth === true);
      const database = await openDatabase(options);
      const pool = await openPool(database.url).catch(async (error) => {
        await database.release();
        throw error;
      });
      const shutdown = async () => {
        await pool.end().catch(() => undefined);
        await database.release();
      };
      try {
        await prepareDatabase(database.url, pool, options, database.cluster !== null);
        // Loaded here, not at start-up: PostGraphile and graphile-worker are for this command only.
        const [{ startAppServer }, { createLogger, workerLogger }] = await Promise.all([import('../../server/app-server.ts'), import('../../logging/logger.ts')]);
        // --verbose is the program's: debug lines too (graphile-worker's routine ones).
        const log = createLogger({ format: options.logFormat, verbose: command.optsWithGlobals().verbose === true });
        const server = await startAppServer({
          pool,
          url: database.url,
          embedded: database.cluster !== null,
          host: options.host,
          port: options.port,
          signIn: options.auth === true,
          dev: options.dev === true,
          worker: options.worker,
          logger: workerLogger(log),
        });
        print(`OptiSchema is running at ${server.url} on ${redactUrl(database.url)} (Ctrl-C to stop)`);
        const workload = await demoWorkload(database.url, options, database.cluster !== null);
        await untilSignal();
        note('Stopping OptiSchema…');
        await workload?.stop();
        await server.close();
      } finally {
        await shutdown();
      }
    });
}

async function prepareDatabase(url: string, pool: Parameters<typeof runDoctor>[0], options: StartOptions, embedded: boolean) {
  const [{ runDoctor }, { demoStatus }, { loadDemoInto }, { runMigrations }] = await Promise.all([
    import('../../doctor/doctor.ts'),
    import('../../demo/status.ts'),
    import('./demo.ts'),
    import('./migrate.ts'),
  ]);
  const report = await runDoctor(pool);
  const failed = report.checks.filter((check) => check.status === 'fail');
  if (failed.length > 0) {
    const problems = failed.map((check) => `${check.message}${check.fix ? ` (fix: ${check.fix})` : ''}`).join('; ');
    throw new UserError(`${report.database} is not ready for OptiSchema: ${problems}. Run \`optischema doctor\` for the full report`);
  }
  const migrated = await runMigrations(url);
  for (const name of migrated.applied) note(`Applied migration ${name}`);
  const wantDemo = options.demo ?? embedded;
  if (wantDemo && !(await demoStatus(pool)).loaded) {
    note(`Loading the demo dataset (scale ${options.demoScale}) into schema "demo"…`);
    await loadDemoInto(url, options.demoScale);
    // The embedded demo shows the whole loop by itself: new recommendations are validated in a
    // sandbox, and validated ones applied (docs/apply.md, "The loop, unattended"). Set once, when
    // the demo is loaded: a user who turns it off keeps it off. Its sandbox is a 2 % sample: a
    // full copy of its 2 GB takes about 3 minutes here, the sample a fraction of that
    // (docs/benchmarks.md), and each validation compares the sample's plans with the demo's own.
    if (embedded) {
      // Two statements: the UPDATE's snapshot would not see a target local_target() creates.
      const { rows } = await pool.query<{ id: string }>('select optischema.local_target() as id');
      const policy = DEMO_POLICIES[options.demoPolicy];
      await pool.query(
        `update optischema.targets set auto_validate = $2, auto_apply = $3, sandbox_strategy = 'sample', sandbox_sample_fraction = 0.02 where id = $1`,
        [rows[0]!.id, policy.autoValidate, policy.autoApply],
      );
    }
  }
}

/**
 * The demo application's traffic beside the embedded demo, so the loop runs by itself; not on a
 * database of the user's (it would be someone else's data), nor with --no-demo-workload.
 */
async function demoWorkload(url: string, options: StartOptions, embedded: boolean) {
  if (!embedded || !options.demoWorkload || (options.demo ?? true) === false) return null;
  const [{ startBackgroundWorkload, BACKGROUND_RATE_PER_SECOND }, { demoStatus }] = await Promise.all([
    import('../../demo/background-workload.ts'),
    import('../../demo/status.ts'),
  ]);
  const pool = await openPool(url, { max: 1 });
  const loaded = await demoStatus(pool).then((s) => s.loaded).finally(() => pool.end());
  if (!loaded) return null;
  note(`Running the demo application's workload in the background (at most ${BACKGROUND_RATE_PER_SECOND} statements a second; --no-demo-workload turns it off)`);
  return startBackgroundWorkload(url, note);
}

/** Resolves on the first SIGINT or SIGTERM: the server then shuts down in order. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
