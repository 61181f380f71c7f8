import { Command, CommanderError } from 'commander';
import { UsageError, messageOf } from '../errors.ts';
import { registerAdvise } from './commands/advise.ts';
import { registerDb } from './commands/db.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerSnapshot } from './commands/snapshot.ts';
import { registerStart } from './commands/start.ts';
import { registerUsers } from './commands/users.ts';
import { registerRecommendations } from './commands/recommendations.ts';
import { registerSandbox } from './commands/sandbox.ts';
import { registerExplainAi } from './commands/explain-ai.ts';
import { registerAi } from './commands/ai.ts';
import { registerHealth } from './commands/health.ts';

/**
 * The `optischema` command line. Exit codes: 0 success, 1 failure, 2 bad usage. A failure prints
 * one line on stderr; `--verbose` adds the stack and causes.
 */
export function buildProgram(): Command {
  const program = new Command('optischema')
    .description('OptiSchema: a PostgreSQL performance advisor')
    .option('--verbose', 'print stack traces on errors')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerStart(program);
  registerDb(program);
  registerMigrate(program);
  registerDemo(program);
  registerDoctor(program);
  registerSnapshot(program);
  registerAdvise(program);
  registerUsers(program);
  registerRecommendations(program);
  registerSandbox(program);
  registerExplainAi(program);
  registerAi(program);
  registerHealth(program);
  // Every subcommand reports usage errors through the same exitOverride.
  const inherit = (command: Command) => {
    for (const sub of command.commands) {
      sub.exitOverride().showHelpAfterError('(add --help for usage)');
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the message or the help text.
      return error.exitCode === 0 ? 0 : 2;
    }
    const verbose = program.opts().verbose === true || argv.includes('--verbose');
    process.stderr.write(`optischema: ${messageOf(error)}\n`);
    if (verbose && error instanceof Error) process.stderr.write(`${describe(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

function describe(error: Error): string {
  let text = error.stack ?? error.message;
  for (let cause = error.cause; cause instanceof Error; cause = cause.cause) text += `\ncaused by: ${cause.stack ?? cause.message}`;
  return text;
}

// A closed pipe (`optischema db status | head -1`) ends the output, not the process with a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv);
// Pools and timers that a failed command left open must not keep the process alive.
if (process.exitCode !== 0) setTimeout(() => process.exit(), 100).unref();
